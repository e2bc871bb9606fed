"""The named rules of the records (loaded by AktenConfig.ready).

Which Akten a person sees at all is decided by the selectors; the rules about one Akte build on
them. Roles are asked here and nowhere else in the records.

| rule                            | object        | who
|---------------------------------|---------------|-----
| akten.lesen                     | Akte          | whoever sees it (selectors.akten_fuer)
| akten.schreiben                 | Akte          | own OE, or a read-write share
| akten.freigeben                 | Akte          | federführende OE; Kommunen-Admin of the Kommune
| akten.freigaben_sehen           | Akte          | the same: share holders do not list each other
| akten.zustaendigkeit_aendern    | Akte          | the same (federführende / aktenführende OE)
| akten.dokument_stornieren       | Akte          | the same (a Dokument filed by mistake)
| akten.wiedereroeffnen           | Akte          | Kommunen-Admin of the Akte's Kommune
| akten.alle_der_kommune_sehen    | –             | Kommunen-Admin (every Akte of the own Kommune)
| akten.fuer_jede_oe_anlegen      | –             | Kommunen-Admin (Akten for any OE of the Kommune)
| akten.anlegen_fuer              | OE            | members of the OE; Kommunen-Admin for every OE
| akten.wiedervorlage_erledigen   | Wiedervorlage | the person it belongs to
| akten.uebergeben                | Benutzer      | Kommunen-Admin of the person's Kommune

An Akte handed over to the archive or deleted (Akte.verbleib, set by the Aussonderung) is a
read-only stub: schreiben, freigeben, zustaendigkeit_aendern and wiedereroeffnen refuse it (and so
does every rule of a higher app built on them, e.g. geschaeftsgang.starten).
"""

import rules

from eakte.kommunen.regeln import ist_kommunen_admin
from eakte.kommunen.selectors import darf_benutzer_verwalten

from . import selectors


@rules.predicate
def sieht_akte(user, akte) -> bool:
    return akte is not None and selectors.akten_fuer(user).filter(pk=akte.pk).exists()


@rules.predicate
def schreibt_in_akte(user, akte) -> bool:
    if akte is None or akte.pk is None:
        return False
    # the common case first: the Akte of one's own OE, by the instance given (callers pass one
    # read in the same request or locked by the service), one short query; a share is then
    # looked up in the whole scope
    if selectors.in_eigener_oe(user, akte.kommune_id, akte.federfuehrende_oe_id):
        return True
    return selectors.akten_beschreibbar_fuer(user).filter(pk=akte.pk).exists()


@rules.predicate
def akte_der_eigenen_kommune(user, akte) -> bool:
    return akte is not None and akte.kommune_id == user.kommune_id


@rules.predicate
def in_federfuehrender_oe(user, akte) -> bool:
    return akte is not None and selectors.akten_meiner_oe(user).filter(pk=akte.pk).exists()


@rules.predicate
def nicht_ausgesondert(user, akte) -> bool:
    return akte is not None and not akte.verbleib


@rules.predicate
def oe_fuer_akten(user, oe) -> bool:
    if oe is None:
        return False
    if oe.aktiv and selectors.in_eigener_oe(user, oe.kommune_id, oe.pk):
        return True  # one's own active OE, without composing the Kommunen-Admin's alternative
    return selectors.oes_fuer_federfuehrung(user).filter(pk=oe.pk).exists()


@rules.predicate
def eigene_wiedervorlage(user, wiedervorlage) -> bool:
    return wiedervorlage is not None and wiedervorlage.benutzer_id == user.pk


@rules.predicate
def verwaltet_person(user, person) -> bool:
    # kommunen.benutzer_bearbeiten: a Verbund-Admin's things only by a Verbund-Admin
    return (
        person is not None
        and person.kommune_id == user.kommune_id
        and darf_benutzer_verwalten(user, person.kommune)
        and rules.test_rule("kommunen.benutzer_bearbeiten", user, person)
    )


federfuehrung = akte_der_eigenen_kommune & (ist_kommunen_admin | in_federfuehrender_oe)
aenderbar = nicht_ausgesondert

rules.add_rule("akten.lesen", sieht_akte)
rules.add_rule("akten.schreiben", aenderbar & schreibt_in_akte)
rules.add_rule("akten.freigeben", aenderbar & federfuehrung)
rules.add_rule("akten.freigaben_sehen", federfuehrung)
rules.add_rule("akten.zustaendigkeit_aendern", aenderbar & federfuehrung)
rules.add_rule("akten.dokument_stornieren", aenderbar & federfuehrung)
rules.add_rule("akten.wiedereroeffnen", aenderbar & akte_der_eigenen_kommune & ist_kommunen_admin)
rules.add_rule("akten.alle_der_kommune_sehen", ist_kommunen_admin)
rules.add_rule("akten.fuer_jede_oe_anlegen", ist_kommunen_admin)
rules.add_rule("akten.anlegen_fuer", oe_fuer_akten)
rules.add_rule("akten.wiedervorlage_erledigen", eigene_wiedervorlage)
rules.add_rule("akten.uebergeben", ist_kommunen_admin & verwaltet_person)
