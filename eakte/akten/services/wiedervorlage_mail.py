"""The daily e-mail about due Wiedervorlagen (sent by Celery beat, see tasks.py).

Each person with due, open Wiedervorlagen on Akten they can still see gets one e-mail listing
them. A Wiedervorlage is reported once: `gemeldet_am` is set in the same transaction that sends
the mail, so a second run (the same day or later) does not send it again; a failed mail is tried
again on the next run. Due ones stay on the start page until they are marked done.
"""

import logging
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from eakte.kommunen.models import Benutzer

from .. import selectors
from ..models import Wiedervorlage

logger = logging.getLogger(__name__)


def _link(wiedervorlage: Wiedervorlage) -> str:
    """The absolute address of the Vorgang (or the Akte) the Wiedervorlage is about."""
    if wiedervorlage.vorgang is not None:
        pfad = reverse("akten:vorgang", kwargs={"vorgang_uuid": wiedervorlage.vorgang.uuid})
    else:
        pfad = reverse("akten:detail", kwargs={"akte_uuid": wiedervorlage.akte.uuid})
    return settings.SITE_URL.rstrip("/") + pfad


def _text(benutzer: Benutzer, eintraege: list[Wiedervorlage], stichtag: date) -> str:
    zeilen = [
        f"Guten Tag {benutzer.get_full_name() or benutzer.username},",
        "",
        f"in der eAkte sind am {stichtag:%d.%m.%Y} folgende Wiedervorlagen für Sie fällig:",
        "",
    ]
    for wv in eintraege:
        zeilen.append(f"- {wv.akte.aktenzeichen} – {wv.akte.betreff}")
        if wv.vorgang is not None:
            zeilen.append(f"  Vorgang: {wv.vorgang.vorgangszeichen} – {wv.vorgang.betreff}")
        zeilen.append(f"  Wiedervorlage am: {wv.datum:%d.%m.%Y}")
        if wv.notiz:
            zeilen.append(f"  Notiz: {wv.notiz}")
        zeilen.append(f"  {_link(wv)}")
        zeilen.append("")
    zeilen += [
        "Auf Ihrer Startseite in der eAkte sehen Sie alle fälligen Wiedervorlagen und können "
        "sie als erledigt markieren.",
        "",
        "Diese Nachricht wurde automatisch versandt.",
    ]
    return "\n".join(zeilen) + "\n"


def _betreff(anzahl: int) -> str:
    if anzahl == 1:
        return "eAkte: 1 fällige Wiedervorlage"
    return f"eAkte: {anzahl} fällige Wiedervorlagen"


def _melden_an(benutzer: Benutzer, stichtag: date) -> bool:
    with transaction.atomic():
        eintraege = list(
            selectors.faellige_wiedervorlagen(benutzer, stichtag=stichtag)
            .filter(gemeldet_am__isnull=True)
            .select_for_update(of=("self",), skip_locked=True)
            .order_by("datum", "akte__aktenzeichen", "id")
        )
        if not eintraege:
            return False
        send_mail(
            subject=_betreff(len(eintraege)),
            message=_text(benutzer, eintraege, stichtag),
            from_email=None,
            recipient_list=[benutzer.email],
        )
        Wiedervorlage.objects.filter(pk__in=[wv.pk for wv in eintraege]).update(
            gemeldet_am=stichtag
        )
    return True


def wiedervorlagen_melden(*, stichtag: date) -> int:
    """Send the e-mails for `stichtag`; returns how many were sent."""
    empfaenger = (
        Benutzer.objects.filter(
            is_active=True,
            wiedervorlagen__erledigt_am__isnull=True,
            wiedervorlagen__gemeldet_am__isnull=True,
            wiedervorlagen__datum__lte=stichtag,
        )
        .exclude(email="")
        .select_related("kommune")
        .prefetch_related("groups")
        .distinct()
        .order_by("pk")
    )
    gesendet = 0
    for benutzer in empfaenger:
        try:
            gesendet += _melden_an(benutzer, stichtag)
        except Exception:  # one unreachable mailbox must not stop the others
            logger.exception("Wiedervorlagen-Mail an %s fehlgeschlagen", benutzer.username)
    return gesendet
