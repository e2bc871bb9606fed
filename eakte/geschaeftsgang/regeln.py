"""The named rules of the Geschäftsgang (loaded by GeschaeftsgangConfig.ready).

| rule                              | object    | who
|-----------------------------------|-----------|-----
| geschaeftsgang.starten            | Vorgang   | who may write in the Akte (akten.schreiben)
| geschaeftsgang.schritt_bearbeiten | Schritt   | in the person's Postkorb (own, OE, role, i. V.)
| geschaeftsgang.abbrechen          | Gang      | who started it; Kommunen-Admin of the Kommune
| geschaeftsgang.vorlage_verwalten  | Vorlage/– | Kommunen-Admin (Kommune); Digitallotse (Verbund)
| geschaeftsgang.verbund_vorlagen   | –         | Digitallotse
| geschaeftsgang.vertretung_setzen  | Benutzer  | the person; Kommunen-Admin of their Kommune
| geschaeftsgang.oe_postkorb_sehen  | OE        | members of the OE; Kommunen-Admin of its Kommune
| geschaeftsgang.verbund_einstellen | –         | Verbund-Admin
"""

import rules

from eakte.common.regeln import darf
from eakte.kommunen.regeln import (
    ist_digitallotse,
    ist_kommunen_admin,
    ist_verbund_admin,
)

from . import selectors


@rules.predicate
def schreibt_in_vorgang(user, vorgang) -> bool:
    return vorgang is not None and darf(user, "akten.schreiben", vorgang.akte)


@rules.predicate
def schritt_im_postkorb(user, schritt) -> bool:
    return schritt is not None and selectors.postkorb_fuer(user).filter(pk=schritt.pk).exists()


@rules.predicate
def hat_gestartet(user, gang) -> bool:
    return gang is not None and gang.gestartet_von_id == user.pk


@rules.predicate
def gang_der_eigenen_kommune(user, gang) -> bool:
    return gang is not None and gang.kommune_id == user.kommune_id


@rules.predicate
def vorlage_der_eigenen_kommune(user, vorlage) -> bool:
    return vorlage is None or vorlage.kommune_id == user.kommune_id


@rules.predicate
def vorlage_des_verbunds(user, vorlage) -> bool:
    return (
        vorlage is not None
        and vorlage.kommune_id is None
        and vorlage.verbund_id == user.kommune.verbund_id
    )


@rules.predicate
def ist_selbst(user, person) -> bool:
    return person is not None and person.pk == user.pk


@rules.predicate
def person_der_eigenen_kommune(user, person) -> bool:
    return person is not None and person.kommune_id == user.kommune_id


@rules.predicate
def mitglied_der_oe(user, oe) -> bool:
    return oe is not None and user.organisationseinheiten.filter(pk=oe.pk).exists()


@rules.predicate
def oe_der_eigenen_kommune(user, oe) -> bool:
    return oe is not None and oe.kommune_id == user.kommune_id


rules.add_rule("geschaeftsgang.starten", schreibt_in_vorgang)
rules.add_rule("geschaeftsgang.schritt_bearbeiten", schritt_im_postkorb)
rules.add_rule(
    "geschaeftsgang.abbrechen",
    hat_gestartet | (gang_der_eigenen_kommune & ist_kommunen_admin),
)
rules.add_rule(
    "geschaeftsgang.vorlage_verwalten",
    (vorlage_der_eigenen_kommune & ist_kommunen_admin) | (vorlage_des_verbunds & ist_digitallotse),
)
rules.add_rule("geschaeftsgang.verbund_vorlagen", ist_digitallotse)
rules.add_rule(
    "geschaeftsgang.vertretung_setzen",
    ist_selbst | (person_der_eigenen_kommune & ist_kommunen_admin),
)
rules.add_rule(
    "geschaeftsgang.oe_postkorb_sehen",
    mitglied_der_oe | (oe_der_eigenen_kommune & ist_kommunen_admin),
)
rules.add_rule("geschaeftsgang.verbund_einstellen", ist_verbund_admin)
