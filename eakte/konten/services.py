import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from eakte.common.akteur import Akteur
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren

from .models import ApiSchluessel

# How often the last use of a key is written down (not on every request).
NUTZUNG_MERKEN_ALLE = timedelta(hours=1)


def schluessel_hash(schluessel: str) -> str:
    return hashlib.sha256(schluessel.encode()).hexdigest()


def _person(akteur: Akteur):
    """A person manages only their own key and password; the system has neither."""
    if akteur.benutzer is None:
        raise PermissionDenied("Nur die Person selbst verwaltet ihren API-Schlüssel.")
    return akteur.benutzer


@transaction.atomic
def api_schluessel_erneuern(*, akteur: Akteur) -> str:
    """Replace the actor's API key with a new one and return it: the only time it exists in
    plain text (the page shows it once)."""
    benutzer = _person(akteur)
    schluessel = secrets.token_urlsafe(32)
    _, neu = ApiSchluessel.objects.update_or_create(
        benutzer=benutzer,
        defaults={
            "hash": schluessel_hash(schluessel),
            "angelegt_am": timezone.now(),
            "zuletzt_benutzt_am": None,
        },
    )
    protokollieren(
        kommune_id=benutzer.kommune_id,
        aktion=Aktion.API_SCHLUESSEL_ERSTELLT,
        akteur=akteur,
        beschreibung="API-Schlüssel erstellt"
        if neu
        else "API-Schlüssel erneuert (der alte gilt nicht mehr)",
        objekt=benutzer,
        details={"erneuert": not neu},
    )
    return schluessel


def _schluessel_loeschen(akteur: Akteur, benutzer, grund: str) -> bool:
    geloescht, _ = ApiSchluessel.objects.filter(benutzer=benutzer).delete()
    if geloescht:
        protokollieren(
            kommune_id=benutzer.kommune_id,
            aktion=Aktion.API_SCHLUESSEL_WIDERRUFEN,
            akteur=akteur,
            beschreibung=f"API-Schlüssel gelöscht ({grund})",
            objekt=benutzer,
            details={"grund": grund},
        )
    return bool(geloescht)


@transaction.atomic
def api_schluessel_loeschen(*, akteur: Akteur) -> bool:
    """Delete the actor's API key; whether there was one."""
    return _schluessel_loeschen(akteur, _person(akteur), "auf Wunsch der Person")


@transaction.atomic
def passwort_geaendert(*, akteur: Akteur) -> bool:
    """After a password change (own page or the set-password link) the person's API key goes
    too: whoever knew the old password may have taken the key with it. Returns whether a key
    was deleted (the page says so)."""
    benutzer = _person(akteur)
    protokollieren(
        kommune_id=benutzer.kommune_id,
        aktion=Aktion.PASSWORT_GEAENDERT,
        akteur=akteur,
        beschreibung="Passwort geändert",
        objekt=benutzer,
    )
    return _schluessel_loeschen(akteur, benutzer, "Passwort geändert")


def api_schluessel_pruefen(schluessel: str) -> ApiSchluessel | None:
    """The key's entry (with its person), or None; notes the use at most once an hour."""
    eintrag = (
        ApiSchluessel.objects.select_related("benutzer")
        .filter(hash=schluessel_hash(schluessel))
        .first()
    )
    if eintrag is not None:
        jetzt = timezone.now()
        if (
            not eintrag.zuletzt_benutzt_am
            or jetzt - eintrag.zuletzt_benutzt_am > NUTZUNG_MERKEN_ALLE
        ):
            ApiSchluessel.objects.filter(pk=eintrag.pk).update(zuletzt_benutzt_am=jetzt)
    return eintrag


@transaction.atomic
def mitteilungen_einstellen(*, akteur: Akteur, freigabe_mail: bool) -> bool:
    """The person's own preference: an e-mail when an Akte is shared with them (on by
    default). Returns whether it changed; a change is written to the Protokoll."""
    benutzer = _person(akteur)
    if benutzer.freigabe_mail == freigabe_mail:
        return False
    benutzer.freigabe_mail = freigabe_mail
    benutzer.save(update_fields=["freigabe_mail"])
    protokollieren(
        kommune_id=benutzer.kommune_id,
        aktion=Aktion.EINSTELLUNG_GEAENDERT,
        akteur=akteur,
        beschreibung="E-Mail bei Freigaben "
        + ("eingeschaltet" if freigabe_mail else "ausgeschaltet"),
        objekt=benutzer,
        details={"freigabe_mail": freigabe_mail},
    )
    return True
