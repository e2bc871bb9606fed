import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from eakte.kommunen.models import Benutzer

from .models import ApiSchluessel

# How often the last use of a key is written down (not on every request).
NUTZUNG_MERKEN_ALLE = timedelta(hours=1)


def schluessel_hash(schluessel: str) -> str:
    return hashlib.sha256(schluessel.encode()).hexdigest()


@transaction.atomic
def api_token_regenerate(*, benutzer: Benutzer) -> str:
    """Replace the user's API key with a new one and return it: the only time it exists in
    plain text (the page shows it once)."""
    schluessel = secrets.token_urlsafe(32)
    ApiSchluessel.objects.update_or_create(
        benutzer=benutzer,
        defaults={
            "hash": schluessel_hash(schluessel),
            "angelegt_am": timezone.now(),
            "zuletzt_benutzt_am": None,
        },
    )
    return schluessel


@transaction.atomic
def api_token_delete(*, benutzer: Benutzer) -> None:
    ApiSchluessel.objects.filter(benutzer=benutzer).delete()


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
