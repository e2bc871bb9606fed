"""The Teilnahmebescheinigung (certificate of attendance) as a born-digital text PDF."""

from django.utils import timezone

from eakte.common.pdf import text_pdf


def _ort(termin) -> str:
    if termin.ort and termin.online_link:
        return f"{termin.ort} und online"
    return termin.ort or "online (Videokonferenz)"


def bescheinigung_pdf(anmeldung) -> bytes:
    termin = anmeldung.termin
    schulung = termin.schulung
    person = anmeldung.benutzer
    beginn, ende = timezone.localtime(termin.beginn), timezone.localtime(termin.ende)
    if beginn.date() == ende.date():
        wann = f"am {beginn:%d.%m.%Y} von {beginn:%H:%M} bis {ende:%H:%M} Uhr"
    else:
        wann = f"vom {beginn:%d.%m.%Y, %H:%M} Uhr bis {ende:%d.%m.%Y, %H:%M} Uhr"
    name = person.get_full_name() or person.username
    zeilen = [
        "TEILNAHMEBESCHEINIGUNG",
        "",
        schulung.verbund.name,
        "",
        "Hiermit wird bescheinigt, dass",
        "",
        f"    {name}",
        f"    {person.kommune.name}",
        "",
        f"{wann}",
        "an der Schulung",
        "",
        f"    „{schulung.titel}“",
        "",
        "teilgenommen hat.",
        "",
        f"Ort: {_ort(termin)}",
        "",
        f"Bescheinigungsnummer: {anmeldung.bescheinigungsnummer}",
        f"Ausgestellt am {timezone.localdate():%d.%m.%Y} durch die eAkte {schulung.verbund.name}.",
        "Diese Bescheinigung wurde maschinell erstellt und ist ohne Unterschrift gültig.",
    ]
    return text_pdf(zeilen, titel=f"Teilnahmebescheinigung {anmeldung.bescheinigungsnummer}")
