"""The named rules of the cockpit (loaded by CockpitConfig.ready).

| rule                    | object  | who
|-------------------------|---------|-----
| cockpit.verbund_sehen   | –       | Verbund-Admin: all Kommunen side by side (aggregates)
| cockpit.kommune_sehen   | Kommune | its Kommunen-Admin (per OE); a Verbund-Admin: own only
"""

import rules

from eakte.kommunen.regeln import ist_kommunen_admin, ist_verbund_admin


@rules.predicate
def eigene_kommune(user, kommune) -> bool:
    return kommune is not None and kommune.pk == user.kommune_id


rules.add_rule("cockpit.verbund_sehen", ist_verbund_admin)
rules.add_rule("cockpit.kommune_sehen", eigene_kommune & (ist_kommunen_admin | ist_verbund_admin))
