"""Who sees which Posteingang item, and where an item can be filed.

The Posteingang is shared within a Kommune: every active person of the Kommune sees its open
items (paper arrives for the town hall, not for one person; the OE that takes a letter files it).
Items of other Kommunen are answered with 404. Filing needs write permission on the target Akte
(eakte.akten.selectors), and only Akten of the item's own Kommune are targets.
"""

from django.db.models import Q, QuerySet

from eakte.akten import selectors as akten_selectors
from eakte.akten.models import Akte, Vorgang
from eakte.common.regeln import darf

from .models import Posteingangseintrag, Status


def _nutzbar(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.kommune_id)


def eintraege_fuer(user) -> QuerySet[Posteingangseintrag]:
    """Open items of the person's Kommune; filed or discarded ones only for the person who filed
    or discarded them and for the Kommunen-Admin.

    Once filed, a scan belongs to an Akte whose OE may not be the person's; its original (which
    may hold several filed parts) must not stay readable for the whole Kommune.
    """
    if not _nutzbar(user):
        return Posteingangseintrag.objects.none()
    eintraege = Posteingangseintrag.objects.filter(kommune_id=user.kommune_id)
    if darf(user, "posteingang.erledigte_sehen"):
        return eintraege
    return eintraege.filter(Q(status=Status.OFFEN) | Q(zugeordnet_von=user))


def offene_eintraege_fuer(user) -> QuerySet[Posteingangseintrag]:
    """The open Posteingang of the person's Kommune, newest first, with the processing state."""
    return (
        eintraege_fuer(user)
        .filter(status=Status.OFFEN)
        .select_related("datei__verarbeitung")
        .order_by("-eingegangen_am", "-id")
    )


def zuordnungsziele(user, eintrag: Posteingangseintrag, suchtext: str = "") -> QuerySet[Vorgang]:
    """Open Vorgänge of open Akten of the item's Kommune that the person may write in."""
    ziele = Vorgang.objects.filter(
        kommune_id=eintrag.kommune_id,
        zda_am__isnull=True,
        akte__zda_am__isnull=True,
        akte__in=akten_selectors.akten_beschreibbar_fuer(user),
    )
    suchtext = suchtext.strip()
    if suchtext:
        ziele = ziele.filter(
            Q(vorgangszeichen__icontains=suchtext)
            | Q(betreff__icontains=suchtext)
            | Q(akte__aktenzeichen__icontains=suchtext)
            | Q(akte__betreff__icontains=suchtext)
        )
    return ziele.select_related("akte").order_by("akte__aktenzeichen", "nummer")


def akten_fuer_deckblatt(user) -> QuerySet[Akte]:
    """Akten a person may print a cover sheet for: writable and not zdA."""
    return akten_selectors.akten_beschreibbar_fuer(user).filter(zda_am__isnull=True)


def vorgaenge_fuer_deckblatt(user) -> QuerySet[Vorgang]:
    return Vorgang.objects.filter(
        zda_am__isnull=True, akte__in=akten_fuer_deckblatt(user)
    ).select_related("akte")
