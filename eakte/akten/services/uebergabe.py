"""Handing over a person's Wiedervorlagen and shares when they leave (Kommunen-Admin).

A deactivated person can no longer log in; what they were following up and what was shared with
them is listed on their page for reassignment to a colleague of the same Kommune.

Only shares of the Kommune's own Akten move: a share granted by another Kommune was a decision of
that Kommune about one person, not the admin's to pass on. Those lapse at the handover (revoked,
logged in the granting Kommune's Protokoll), and the page lists them before.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from eakte.common.akteur import Akteur
from eakte.common.regeln import darf
from eakte.kommunen.models import Benutzer
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren

from .. import selectors, services
from ..models import AkteBenutzerfreigabe, Wiedervorlage


@dataclass(frozen=True)
class Freigabe:
    akte: object
    schreiben: bool
    verfaellt: bool = False  # granted by another Kommune: lapses at the handover


def offene_wiedervorlagen(person: Benutzer):
    # `alle`: the person's own Wiedervorlagen also on Akten another Kommune shared with them,
    # which the admin's Bereich would hide (they are listed and stay with the person, counted)
    return (
        Wiedervorlage.alle.filter(benutzer=person, erledigt_am__isnull=True)
        .select_related("akte", "vorgang")
        .order_by("datum", "id")
    )


def freigaben_an(person: Benutzer) -> list[Freigabe]:
    rechte: dict[int, Freigabe] = {}
    for freigabe in AkteBenutzerfreigabe.objects.filter(user=person).select_related(
        "content_object", "permission"
    ):
        bisher = rechte.get(freigabe.content_object_id)
        schreiben = freigabe.permission.codename == selectors.SCHREIBEN
        rechte[freigabe.content_object_id] = Freigabe(
            freigabe.content_object,
            schreiben or (bisher.schreiben if bisher else False),
            verfaellt=freigabe.content_object.kommune_id != person.kommune_id,
        )
    return sorted(rechte.values(), key=lambda f: f.akte.aktenzeichen)


def darf_uebergeben(user: Benutzer, von: Benutzer) -> bool:
    """The rule `akten.uebergeben`: only the Kommunen-Admin of the person's own Kommune (records
    stay in their Kommune, so a Verbund-Admin of another Kommune neither sees nor moves them)."""
    return darf(user, "akten.uebergeben", von)


def _pruefen(akteur: Akteur, von: Benutzer, an: Benutzer) -> None:
    admin = akteur.benutzer
    if admin is None or not darf_uebergeben(admin, von):
        raise PermissionDenied("Nur Kommunen-Admins übertragen Aufgaben ihrer Leute.")
    if von.is_active:
        raise ValidationError("Übertragen wird erst, wenn die Person deaktiviert ist.")
    if an.kommune_id != von.kommune_id or not an.is_active or an.pk in (von.pk, admin.pk):
        raise ValidationError(
            {"an": "Bitte eine aktive andere Person derselben Kommune wählen (nicht sich selbst)."}
        )


def _log(akteur: Akteur, akte, beschreibung, details, aktion=Aktion.GEAENDERT):
    protokollieren(
        kommune_id=akte.kommune_id,
        akteur=akteur,
        aktion=aktion,
        beschreibung=beschreibung,
        objekt=akte,
        akte=akte,
        details=details,
    )


@transaction.atomic
def wiedervorlagen_uebertragen(*, akteur: Akteur, von: Benutzer, an: Benutzer) -> tuple[int, int]:
    """Move the open Wiedervorlagen to `an`; those on Akten `an` cannot see stay (counted)."""
    _pruefen(akteur, von, an)
    sichtbar = set(selectors.akten_fuer(an).values_list("pk", flat=True))
    uebertragen = bleiben = 0
    for wiedervorlage in offene_wiedervorlagen(von).select_for_update(of=("self",)):
        if wiedervorlage.akte_id not in sichtbar:
            bleiben += 1
            continue
        wiedervorlage.benutzer = an
        wiedervorlage.save(update_fields=["benutzer"])
        _log(
            akteur,
            wiedervorlage.akte,
            f"Wiedervorlage zum {wiedervorlage.datum:%d.%m.%Y} von {von.username} an "
            f"{an.username} übertragen",
            {"von": von.username, "an": an.username},
        )
        uebertragen += 1
    return uebertragen, bleiben


@transaction.atomic
def freigaben_uebertragen(*, akteur: Akteur, von: Benutzer, an: Benutzer) -> int:
    """Give `an` the same rights on every Akte of the Kommune shared with `von`, and revoke them
    from `von`; shares of other Kommunen's Akten lapse. Returns the number moved."""
    _pruefen(akteur, von, an)
    freigaben = freigaben_an(von)
    schreibt_schon = {f.akte.pk for f in freigaben_an(an) if f.schreiben}
    uebertragen = 0
    for freigabe in freigaben:
        if freigabe.verfaellt:
            services.freigaberechte_entziehen(von, freigabe.akte)
            _log(
                akteur,
                freigabe.akte,
                f"Freigabe für {von.username} ({von.kommune}) erloschen: die Person ist "
                "ausgeschieden, Freigaben einer anderen Kommune werden nicht übertragen",
                {"von": von.username, "schreiben": freigabe.schreiben},
                aktion=Aktion.FREIGABE_ENTZOGEN,
            )
            continue
        schreiben = freigabe.schreiben or freigabe.akte.pk in schreibt_schon
        services.freigaberechte_setzen(an, freigabe.akte, schreiben=schreiben)
        services.freigaberechte_entziehen(von, freigabe.akte)
        _log(
            akteur,
            freigabe.akte,
            f"Freigabe von {von.username} auf {an.username} ({an.kommune}) übertragen",
            {"von": von.username, "an": an.username, "schreiben": freigabe.schreiben},
        )
        uebertragen += 1
    return uebertragen
