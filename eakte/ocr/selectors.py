"""Reads of the processing state; visibility always comes from the Akte (eakte.akten.selectors)."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from eakte.akten import selectors as akten_selectors
from eakte.akten.models import Version

from .models import Status


def version_mit_verarbeitung(user, version_uuid) -> Version:
    """The visible Version with its processing (raises Version.DoesNotExist otherwise)."""
    return (
        akten_selectors.versionen_fuer(user)
        .select_related("datei__verarbeitung__archiv", "dokument__akte", "dokument__vorgang")
        .get(uuid=version_uuid)
    )


def meine_hochladungen(user, *, tage: int = 7) -> QuerySet[Version]:
    """What the user uploaded recently, with the processing state, newest first."""
    seit = timezone.now() - timedelta(days=tage)
    return (
        akten_selectors.versionen_fuer(user)
        .filter(hochgeladen_von=user, hochgeladen_am__gte=seit)
        .select_related("datei__verarbeitung", "dokument__akte")
        .order_by("-hochgeladen_am", "-id")
    )


def noch_in_arbeit(versionen) -> int:
    return sum(
        1
        for version in versionen
        if getattr(getattr(version.datei, "verarbeitung", None), "status", None)
        in (Status.WARTET, Status.LAEUFT)
    )
