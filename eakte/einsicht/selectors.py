"""Who sees which Akteneinsicht. Recipients have no account: their pages find the Einsicht by
its secret key (`per_schluessel`) and then read inside that Einsicht's Kommune only."""

from django.db.models import QuerySet

from eakte.akten import selectors as akten_selectors
from eakte.akten.models import Dokument
from eakte.common.regeln import darf

from .models import Einsicht, EinsichtDokument, Zugriff


def _nutzbar(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.kommune_id)


def einsichten_fuer(user) -> QuerySet[Einsicht]:
    """Einsichten of the person's Kommune on Akten they may write; all of the Kommune for the
    Datenschutz role and the Kommunen-Admin."""
    if not _nutzbar(user):
        return Einsicht.objects.none()
    einsichten = Einsicht.objects.filter(kommune_id=user.kommune_id)
    if not darf(user, "einsicht.alle_der_kommune_sehen"):
        einsichten = einsichten.filter(akte__in=akten_selectors.akten_beschreibbar_fuer(user))
    return einsichten.select_related("akte", "angelegt_von")


def dokumente_zur_auswahl(user, akte) -> QuerySet[Dokument]:
    """The documents of the Akte the person can read (the candidates of an Einsicht)."""
    return (
        akten_selectors.dokumente_fuer(user)
        .filter(akte=akte)
        .select_related("vorgang")
        .order_by("vorgang__nummer", "angelegt_am", "id")
    )


def dokumente_der_einsicht(einsicht: Einsicht) -> QuerySet[EinsichtDokument]:
    return (
        EinsichtDokument.objects.filter(einsicht=einsicht)
        .select_related("dokument", "version", "quelle", "freigabedatei")
        .order_by("id")
    )


def freigegebene_dokumente(einsicht: Einsicht) -> QuerySet[EinsichtDokument]:
    return dokumente_der_einsicht(einsicht).filter(freigegeben=True)


def zugriffe(einsicht: Einsicht) -> QuerySet[Zugriff]:
    return Zugriff.objects.filter(einsicht=einsicht).select_related("einsicht_dokument__dokument")


def per_schluessel(schluessel: str) -> Einsicht | None:
    """The Einsicht of a recipient's link (any Kommune: the key is the secret), or None."""
    if not schluessel or len(schluessel) > 64:
        return None
    return (
        Einsicht.alle.filter(zugangsschluessel=schluessel)
        .exclude(status="entwurf")
        .select_related("akte", "kommune")
        .first()
    )
