"""The named rules of the Posteingang (loaded by PosteingangConfig.ready).

| rule                             | object | who
|----------------------------------|--------|-----
| posteingang.erledigte_sehen      | –      | Kommunen-Admin: also what others filed or discarded
| posteingang.deckblatt_drucken    | Akte   | whoever may write the Akte (akten.schreiben)

Filing an item needs `akten.schreiben` on the target Akte (selectors.zuordnungsziele).
"""

import rules

from eakte.common.regeln import darf
from eakte.kommunen.regeln import ist_kommunen_admin


@rules.predicate
def schreibt_in_akte(user, akte) -> bool:
    return akte is not None and darf(user, "akten.schreiben", akte)


rules.add_rule("posteingang.erledigte_sehen", ist_kommunen_admin)
rules.add_rule("posteingang.deckblatt_drucken", schreibt_in_akte)
