"""The named rules of the Akteneinsicht (loaded by EinsichtConfig.ready).

| rule                            | object   | who
|---------------------------------|----------|-----
| einsicht.gewaehren              | Akte     | who may write the Akte (akten.schreiben), own Kommune
| einsicht.bearbeiten             | Einsicht | who may write its Akte (redact, release, revoke)
| einsicht.sehen                  | Einsicht | the same; Datenschutz, Kommunen-Admin of its Kommune
| einsicht.alle_der_kommune_sehen | –        | Datenschutz, Kommunen-Admin (the Kommune-wide list)
"""

import rules

from eakte.common.regeln import darf
from eakte.kommunen.regeln import ist_datenschutz, ist_kommunen_admin


@rules.predicate
def schreibt_in_akte(user, akte) -> bool:
    return (
        akte is not None
        and akte.kommune_id == user.kommune_id
        and darf(user, "akten.schreiben", akte)
    )


@rules.predicate
def schreibt_in_akte_der_einsicht(user, einsicht) -> bool:
    return einsicht is not None and schreibt_in_akte(user, einsicht.akte)


@rules.predicate
def einsicht_der_eigenen_kommune(user, einsicht) -> bool:
    return einsicht is not None and einsicht.kommune_id == user.kommune_id


aufsicht = ist_datenschutz | ist_kommunen_admin

rules.add_rule("einsicht.gewaehren", schreibt_in_akte)
rules.add_rule("einsicht.bearbeiten", schreibt_in_akte_der_einsicht)
rules.add_rule(
    "einsicht.sehen", schreibt_in_akte_der_einsicht | (einsicht_der_eigenen_kommune & aufsicht)
)
rules.add_rule("einsicht.alle_der_kommune_sehen", aufsicht)
