"""E-mails about registrations: confirmation, waiting list, moved up, cancelled, reminder.

Built and sent by Celery tasks (see tasks.py); a message whose reason no longer holds (e.g. the
person left again before the worker got to it) is not sent.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from . import kalender, selectors
from .models import Anmeldestatus, Anmeldung

# reason -> (subject, first paragraph, status the registration must still have)
ANLAESSE = {
    "angemeldet": (
        "Anmeldung bestätigt",
        "Sie sind für die folgende Schulung angemeldet.",
        Anmeldestatus.ANGEMELDET,
    ),
    "warteliste": (
        "Warteliste",
        "Die Schulung ist ausgebucht. Sie stehen auf der Warteliste, auf Platz {platz}. Sobald "
        "ein Platz frei wird, rücken Sie automatisch nach und erhalten eine Nachricht.",
        Anmeldestatus.WARTELISTE,
    ),
    "nachgerueckt": (
        "Sie sind nachgerückt",
        "Ein Platz ist frei geworden: Sie sind von der Warteliste nachgerückt und jetzt für die "
        "folgende Schulung angemeldet.",
        Anmeldestatus.ANGEMELDET,
    ),
    "abgesagt": (
        "Termin abgesagt",
        "Der folgende Schulungstermin wurde leider abgesagt.",
        None,
    ),
    "erinnerung": (
        "Erinnerung",
        "Wir erinnern Sie an Ihre Schulung.",
        Anmeldestatus.ANGEMELDET,
    ),
}


def _wann(termin) -> str:
    beginn, ende = timezone.localtime(termin.beginn), timezone.localtime(termin.ende)
    if beginn.date() == ende.date():
        return f"{beginn:%d.%m.%Y}, {beginn:%H:%M}–{ende:%H:%M} Uhr"
    return f"{beginn:%d.%m.%Y, %H:%M} Uhr bis {ende:%d.%m.%Y, %H:%M} Uhr"


def _link(schulung) -> str:
    basis = getattr(settings, "SITE_URL", "") or ""
    if not basis:
        return ""
    pfad = reverse("schulung:kurs", kwargs={"schulung_uuid": schulung.uuid})
    return basis.rstrip("/") + pfad


def nachricht(anmeldung: Anmeldung, anlass: str) -> EmailMessage:
    termin, person = anmeldung.termin, anmeldung.benutzer
    schulung = termin.schulung
    betreff, einleitung, _ = ANLAESSE[anlass]
    zeilen = [
        f"Guten Tag {person.get_full_name() or person.username},",
        "",
        einleitung.format(platz=selectors.wartelistenplatz(anmeldung) or "–"),
        "",
        f"Schulung: {schulung.titel}",
        f"Termin:   {_wann(termin)}",
    ]
    if termin.ort:
        zeilen.append(f"Ort:      {termin.ort}")
    if termin.online_link and anlass != "abgesagt":
        zeilen.append(f"Online:   {termin.online_link}")
    link = _link(schulung)
    if link:
        zeilen += ["", f"Zur Schulung und zur Abmeldung: {link}"]
    if anlass in ("angemeldet", "nachgerueckt", "erinnerung"):
        zeilen += ["", "Den Termin für Ihren Kalender finden Sie im Anhang."]
    zeilen += ["", f"Ihre Schulungsredaktion der {schulung.verbund.name}", ""]
    mail = EmailMessage(
        subject=f"eAkte Schulung: {betreff} – {schulung.titel}",
        body="\n".join(zeilen),
        to=[person.email],
    )
    if anlass in ("angemeldet", "nachgerueckt", "erinnerung"):
        mail.attach(
            kalender.dateiname(termin),
            kalender.termin_als_ics(termin, url=link),
            "text/calendar; charset=utf-8",
        )
    return mail


def senden(anmeldung: Anmeldung, anlass: str) -> bool:
    """Send the message unless the person has no address or the reason no longer holds."""
    _, _, noch_gueltig = ANLAESSE[anlass]
    if not anmeldung.benutzer.email or not anmeldung.benutzer.is_active:
        return False
    if noch_gueltig is not None and anmeldung.status != noch_gueltig:
        return False
    if anlass != "abgesagt" and anmeldung.termin.abgesagt:
        return False
    nachricht(anmeldung, anlass).send()
    return True


def mitteilen(anmeldung_id: int, anlass: str) -> bool:
    anmeldung = (
        Anmeldung.objects.select_related("termin__schulung__verbund", "benutzer")
        .filter(pk=anmeldung_id)
        .first()
    )
    if anmeldung is None or anlass not in ANLAESSE:
        return False
    return senden(anmeldung, anlass)
