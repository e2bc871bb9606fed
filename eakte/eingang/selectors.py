"""Who sees which Antrag, rule and Rückmeldung.

An Antrag is seen by whoever sees the Akte of its Vorgang (eakte.akten.selectors); one that went
to the Posteingang by the Kommunen-Admin (its files are in the Posteingang for everyone of the
Kommune). Rules: the Verbund's defaults and the rules of the own Kommune.
"""

from django.db.models import Q, QuerySet

from eakte.akten import selectors as akten_selectors
from eakte.common.regeln import darf

from .models import (
    Antrag,
    Antwortkennung,
    Plattform,
    Postfach,
    Regel,
    Rueckmeldung,
    Zulassung,
    Zustellpunkt,
)


def _nutzbar(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.kommune_id)


def antraege_fuer(user) -> QuerySet[Antrag]:
    if not _nutzbar(user):
        return Antrag.objects.none()
    sichtbar = Q(vorgang__akte__in=akten_selectors.akten_fuer(user))
    if darf(user, "eingang.alle_antraege_sehen"):
        sichtbar |= Q(kommune_id=user.kommune_id)
    return (
        Antrag.objects.filter(sichtbar)
        .select_related("plattform", "vorgang__akte", "regel")
        .order_by("-eingegangen_am", "-id")
    )


def antrag_zum_vorgang(user, vorgang) -> Antrag | None:
    return antraege_fuer(user).filter(vorgang=vorgang).first()


def antwortkennung_zeigen(vorgang) -> Antwortkennung | None:
    """The reply token of a Vorgang the caller has already found visible (given when the
    Vorgang was created; migration eingang 0006 gave one to every older Vorgang)."""
    return Antwortkennung.alle.filter(vorgang=vorgang).first()


def regeln_fuer(user) -> QuerySet[Regel]:
    if not _nutzbar(user):
        return Regel.objects.none()
    return (
        Regel.objects.filter(
            Q(kommune_id=user.kommune_id)
            | Q(kommune__isnull=True, verbund_id=user.kommune.verbund_id)
        )
        .select_related("aktenplaneinheit", "oe", "kommune", "vorlage")
        .order_by("leistung", "kommune_id")
    )


def rueckmeldungen_fuer(user) -> QuerySet[Rueckmeldung]:
    return (
        Rueckmeldung.objects.filter(antrag__in=antraege_fuer(user))
        .select_related("antrag__vorgang", "dokument", "angelegt_von")
        .order_by("-angelegt_am", "-id")
    )


def kanaele_fuer(user) -> dict:
    """The inbound channels of the person's Kommune (for its administrators): platforms allowed
    to deliver, functional mailboxes, FIT-Connect Zustellpunkte, with their last errors."""
    if not _nutzbar(user) or not darf(user, "eingang.zulassung_erteilen", user.kommune):
        return {"zulassungen": [], "postfaecher": [], "zustellpunkte": []}
    eigene = {"kommune_id": user.kommune_id}
    return {
        "zulassungen": list(
            Zulassung.objects.filter(**eigene).select_related("plattform", "konto")
        ),
        "postfaecher": list(Postfach.objects.filter(**eigene).select_related("oe", "konto")),
        "zustellpunkte": list(Zustellpunkt.objects.filter(**eigene).select_related("plattform")),
    }


def postfaecher_fuer(user) -> QuerySet[Postfach]:
    """The functional mailboxes of the person's Kommune, for those who keep them."""
    if not _nutzbar(user) or not darf(user, "eingang.postfach_verwalten", user.kommune):
        return Postfach.objects.none()
    return Postfach.objects.filter(kommune_id=user.kommune_id).select_related("oe", "konto")


def zustellpunkte_fuer(user) -> QuerySet[Zustellpunkt]:
    """The FIT-Connect destinations of the person's Kommune, for those who keep them."""
    if not _nutzbar(user) or not darf(user, "eingang.zustellpunkt_verwalten", user.kommune):
        return Zustellpunkt.objects.none()
    return (
        Zustellpunkt.objects.filter(kommune_id=user.kommune_id)
        .select_related("plattform")
        .order_by("pk")
    )


def zulassungen_fuer(user) -> QuerySet[Zulassung]:
    """The platforms allowed to deliver to the person's Kommune, for its administrators."""
    if not _nutzbar(user) or not darf(user, "eingang.zulassung_erteilen", user.kommune):
        return Zulassung.objects.none()
    return Zulassung.objects.filter(kommune_id=user.kommune_id).select_related("plattform", "konto")


def plattformen_im_verbund(user) -> QuerySet[Plattform]:
    """The active platforms of the person's Verbund (names only: shared by the Verbund)."""
    if not _nutzbar(user):
        return Plattform.objects.none()
    return Plattform.objects.filter(verbund_id=user.kommune.verbund_id, aktiv=True)


def plattformen_fuer(user) -> QuerySet[Plattform]:
    """Every platform of the person's Verbund, for its Verbund-Admins (who register them)."""
    if not _nutzbar(user) or not darf(user, "eingang.plattform_verwalten", user.kommune.verbund):
        return Plattform.objects.none()
    return Plattform.objects.filter(verbund_id=user.kommune.verbund_id).order_by("name")
