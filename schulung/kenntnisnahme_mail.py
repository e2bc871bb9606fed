"""Reminder e-mails to people who have not yet confirmed a Dienstanweisung.

The trainer or Kommunen-Admin asks for them on the completion page; the service picks the
people (within what the asker sees, at most one reminder per person and day) and a Celery task
sends one e-mail each, skipping whoever confirmed in the meantime.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from eakte.common.regeln import darf
from eakte.kommunen.models import Benutzer

from . import selectors
from .models import Fassung, Kenntnisnahme, Kenntnisnahmeerinnerung

ABSTAND = timedelta(hours=24)


@transaction.atomic
def erinnern(*, benutzer: Benutzer, fassung: Fassung) -> int:
    """Queue reminders for the open people the asker sees; returns how many were queued."""
    if not darf(benutzer, "schulung.abschluss_sehen"):
        raise PermissionDenied("Erinnerungen verschicken Schulung und Kommunen-Admins.")
    jetzt = timezone.now()
    offen = [z.person.pk for z in selectors.abschluss(benutzer, fassung) if not z.bestaetigt_am]
    kuerzlich = set(
        Kenntnisnahmeerinnerung.objects.filter(
            fassung=fassung, benutzer_id__in=offen, gesendet_am__gt=jetzt - ABSTAND
        ).values_list("benutzer_id", flat=True)
    )
    empfaenger = [pk for pk in offen if pk not in kuerzlich]
    for pk in empfaenger:
        Kenntnisnahmeerinnerung.objects.update_or_create(
            fassung=fassung, benutzer_id=pk, defaults={"gesendet_am": jetzt}
        )
    if empfaenger:
        from .tasks import kenntnisnahme_erinnern

        transaction.on_commit(lambda: kenntnisnahme_erinnern.delay(fassung.pk, empfaenger))
    return len(empfaenger)


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
