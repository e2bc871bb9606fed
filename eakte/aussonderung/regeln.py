"""The named rules of Aussonderung, Löschung and DSGVO requests (loaded by the app's ready()).

| rule                               | object      | who
|------------------------------------|-------------|-----
| aussonderung.verwalten             | – / object  | Kommunen-Admin (object of the own Kommune)
| aussonderung.loeschung_vorschlagen | –           | settings.LOESCHUNG_VORSCHLAGEN_ROLLEN
| aussonderung.loeschung_genehmigen  | Loeschlauf  | settings.LOESCHUNG_GENEHMIGEN_ROLLEN
| aussonderung.seite_sehen           | – / object  | any of the three above
| aussonderung.datenschutz           | – / Anfrage | Datenschutz of the own Kommune

Which roles propose and approve a deletion run is configurable (two settings), the two people
must differ in any case (services and a database constraint).
"""

import rules
from django.conf import settings

from eakte.kommunen import regeln as kommunen_regeln

_ROLLEN_PRAEDIKATE = {
    "Kommunen-Admin": kommunen_regeln.ist_kommunen_admin,
    "Datenschutz": kommunen_regeln.ist_datenschutz,
    "Digitallotse": kommunen_regeln.ist_digitallotse,
    "Sachbearbeitung": kommunen_regeln.ist_sachbearbeitung,
}


@rules.predicate
def eigene_kommune(user, obj) -> bool:
    return obj is None or getattr(obj, "kommune_id", None) == user.kommune_id


def _hat_eine_rolle(einstellung: str):
    @rules.predicate(name=einstellung.lower())
    def hat(user) -> bool:
        namen = getattr(settings, einstellung)
        return any(_ROLLEN_PRAEDIKATE[name](user) for name in namen if name in _ROLLEN_PRAEDIKATE)

    return hat


darf_vorschlagen = _hat_eine_rolle("LOESCHUNG_VORSCHLAGEN_ROLLEN")
darf_genehmigen = _hat_eine_rolle("LOESCHUNG_GENEHMIGEN_ROLLEN")

rules.add_rule("aussonderung.verwalten", kommunen_regeln.ist_kommunen_admin & eigene_kommune)
rules.add_rule("aussonderung.loeschung_vorschlagen", darf_vorschlagen & eigene_kommune)
rules.add_rule("aussonderung.loeschung_genehmigen", darf_genehmigen & eigene_kommune)
rules.add_rule(
    "aussonderung.seite_sehen",
    (kommunen_regeln.ist_kommunen_admin | darf_vorschlagen | darf_genehmigen) & eigene_kommune,
)
rules.add_rule("aussonderung.datenschutz", kommunen_regeln.ist_datenschutz & eigene_kommune)
