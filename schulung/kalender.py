"""iCalendar export of a Schulungstermin (RFC 5545), built with the icalendar library."""

from datetime import UTC

from django.utils import timezone
from icalendar import Calendar, Event

PRODID = "-//eAkte IKZ//Schulungen//DE"


def termin_als_ics(termin, *, url: str = "") -> bytes:
    """One VEVENT; times in UTC, the UID from the Termin's UUID so that calendars update the
    same entry when it is downloaded again. `url` points to the Schulung in the eAkte."""
    schulung = termin.schulung
    kalender = Calendar()
    kalender.add("prodid", PRODID)
    kalender.add("version", "2.0")
    kalender.add("method", "CANCEL" if termin.abgesagt else "PUBLISH")
    ereignis = Event()
    ereignis.add("uid", f"{termin.uuid}@eakte")
    ereignis.add("dtstamp", timezone.now().astimezone(UTC))
    ereignis.add("dtstart", termin.beginn.astimezone(UTC))
    ereignis.add("dtend", termin.ende.astimezone(UTC))
    ereignis.add("summary", f"Schulung: {schulung.titel}")
    if termin.ort:
        ereignis.add("location", termin.ort)
    elif termin.online_link:
        ereignis.add("location", "Online")
    if termin.online_link:
        ereignis.add("url", termin.online_link)
    elif url:
        ereignis.add("url", url)
    beschreibung = schulung.beschreibung.strip()
    if termin.online_link:
        beschreibung = f"{beschreibung}\n\nOnline-Teilnahme: {termin.online_link}".strip()
    if beschreibung:
        ereignis.add("description", beschreibung)
    ereignis.add("status", "CANCELLED" if termin.abgesagt else "CONFIRMED")
    kalender.add_component(ereignis)
    return kalender.to_ical()


def dateiname(termin) -> str:
    return f"schulung-{timezone.localtime(termin.beginn):%Y-%m-%d}.ics"
