"""| rule                          | object  | who
|-------------------------------|---------|-----
| signatur.zertifikat_verwalten | Kommune | Kommunen-Admin of that Kommune
"""

import rules

from eakte.kommunen.regeln import ist_kommunen_admin


@rules.predicate
def verwaltet_eigene_kommune(user, kommune) -> bool:
    return kommune is not None and user.kommune_id == kommune.pk and ist_kommunen_admin(user)


rules.add_rule("signatur.zertifikat_verwalten", verwaltet_eigene_kommune)
