"""Demo data: the Dienstanweisung E-Akte of the IKZ Odenwald, published, to be confirmed, and
the Schulung "Einführung in die E-Akte" with two upcoming Termine (Erbach Rathaus and online)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from eakte.common.akteur import Akteur
from eakte.kommunen.demo import VERBUND
from eakte.kommunen.models import Benutzer

from . import services
from .models import Dokument, Schulung

TEXT = """## 1. Geltungsbereich

Diese Dienstanweisung gilt für alle Beschäftigten der Kommunen der IKZ Odenwald, die mit der
gemeinsamen E-Akte arbeiten.

## 2. Grundsatz

Akten werden **elektronisch** geführt. Eingehende Papierpost wird im Posteingang gescannt und
der richtigen Akte zugeordnet; das Papier wird nach der Qualitätskontrolle nach den Vorgaben der
TR-RESISCAN behandelt.

## 3. Aktenplan

Jede Akte wird unter einer Einheit des gemeinsamen Aktenplans angelegt. Fragen zum Aktenplan
beantworten die Digitallotsen.

## 4. Kenntnisnahme

Bitte bestätigen Sie, dass Sie diese Dienstanweisung gelesen haben.
"""


def _demo_akteur(person: Benutzer) -> Akteur:
    """The demo data is written in the trainer's name by the system (no request, no address)."""
    return Akteur.system("Demodaten", im_namen_von=person)


def laden() -> list[str]:
    return _dienstanweisung() + _schulung()


def _dienstanweisung() -> list[str]:
    if Dokument.objects.filter(
        verbund__slug=VERBUND["slug"], titel="Dienstanweisung E-Akte"
    ).exists():
        return []
    trainer = Benutzer.objects.get(username="schulung.erbach")
    dokument = services.dokument_anlegen(
        akteur=_demo_akteur(trainer),
        art="dienstanweisung",
        titel="Dienstanweisung E-Akte",
        kategorie="E-Akte",
        text=TEXT,
        erfordert_kenntnisnahme=True,
    )
    services.entwurf_veroeffentlichen(akteur=_demo_akteur(trainer), dokument=dokument)
    return ["Dienstanweisung E-Akte veröffentlicht"]


SCHULUNG_TITEL = "Einführung in die E-Akte"
SCHULUNG_TEXT = """Die Grundlagen der gemeinsamen E-Akte der IKZ Odenwald in drei Stunden:

- Anmelden, die Startseite und „Meine Akten“
- eine Akte unter dem gemeinsamen Aktenplan anlegen, Vorgänge und Dokumente
- Posteingang scannen und zuordnen, Wiedervorlagen
- die Dienstanweisung E-Akte

Für alle, die mit der E-Akte arbeiten. Vorkenntnisse sind nicht nötig.
"""


def _schulung() -> list[str]:
    """Idempotent: creates the Schulung once, and its two Termine whenever it has no upcoming
    Termin (so that a demo set up long ago gets fresh dates again)."""
    trainer = Benutzer.objects.get(username="schulung.erbach")
    schulung = Schulung.objects.filter(verbund__slug=VERBUND["slug"], titel=SCHULUNG_TITEL).first()
    meldungen = []
    if schulung is None:
        schulung = services.schulung_anlegen(
            akteur=_demo_akteur(trainer), titel=SCHULUNG_TITEL, beschreibung=SCHULUNG_TEXT
        )
        meldungen.append(f"Schulung „{SCHULUNG_TITEL}“ angelegt")
    if schulung.termine.filter(beginn__gt=timezone.now(), abgesagt=False).exists():
        return meldungen
    heute = timezone.localdate()
    for tage, beginn, ende, ort, link, plaetze in (
        (14, time(9), time(12), "Erbach, Rathaus, Sitzungssaal", "", 12),
        (21, time(14), time(16), "", "https://konferenz.odenwald.example/e-akte-einfuehrung", 30),
    ):
        tag = heute + timedelta(days=tage)
        services.termin_anlegen(
            akteur=_demo_akteur(trainer),
            schulung=schulung,
            beginn=timezone.make_aware(datetime.combine(tag, beginn)),
            ende=timezone.make_aware(datetime.combine(tag, ende)),
            ort=ort,
            online_link=link,
            kapazitaet=plaetze,
            anmeldeschluss=timezone.make_aware(datetime.combine(tag - timedelta(days=2), time(12))),
        )
    meldungen.append(f"Zwei Termine für „{SCHULUNG_TITEL}“ angelegt")
    return meldungen
