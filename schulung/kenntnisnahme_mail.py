"""Reminder e-mails to people who have not yet confirmed a Dienstanweisung.

The trainer or Kommunen-Admin asks for them on the completion page; the service
`services.kenntnisnahme_erinnern` picks the people (within what the asker sees, at most one
reminder per person and day) and the Celery task `schulung.kenntnisnahme_erinnern` sends one
e-mail each with `senden` below, skipping whoever confirmed in the meantime. Nothing is written
here.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from eakte.kommunen.models import Benutzer

from .models import Fassung, Kenntnisnahme


def senden(fassung_id: int, benutzer_ids: list[int]) -> int:
    fassung = Fassung.objects.select_related("dokument__verbund").get(pk=fassung_id)
    bestaetigt = set(
        Kenntnisnahme.objects.filter(fassung=fassung).values_list("benutzer_id", flat=True)
    )
    gesendet = 0
    for person in Benutzer.objects.filter(pk__in=benutzer_ids, is_active=True).exclude(email=""):
        if person.pk in bestaetigt:
            continue
        _nachricht(fassung, person).send()
        gesendet += 1
    return gesendet


def _nachricht(fassung: Fassung, person: Benutzer) -> EmailMessage:
    dokument = fassung.dokument
    pfad = reverse("schulung:dokument", kwargs={"dokument_uuid": dokument.uuid})
    zeilen = [
        f"Guten Tag {person.get_full_name() or person.username},",
        "",
        f"bitte lesen und bestätigen Sie „{dokument.titel}“ (Fassung {fassung.nummer}).",
        "Sie haben die Kenntnisnahme noch nicht bestätigt.",
        "",
        f"Zum Dokument: {settings.SITE_URL.rstrip('/')}{pfad}",
        "",
        f"Ihre Schulungsredaktion der {dokument.verbund.name}",
        "",
    ]
    return EmailMessage(
        subject=f"eAkte: Bitte bestätigen – {dokument.titel}",
        body="\n".join(zeilen),
        to=[person.email],
    )
