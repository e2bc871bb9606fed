"""Demo data: the Dienstanweisung E-Akte of the IKZ Odenwald, published, to be confirmed."""

from eakte.kommunen.demo import VERBUND
from eakte.kommunen.models import Benutzer

from . import services
from .models import Dokument

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


def laden() -> list[str]:
    if Dokument.objects.filter(
        verbund__slug=VERBUND["slug"], titel="Dienstanweisung E-Akte"
    ).exists():
        return []
    trainer = Benutzer.objects.get(username="schulung.erbach")
    dokument = services.dokument_create(
        benutzer=trainer,
        art="dienstanweisung",
        titel="Dienstanweisung E-Akte",
        kategorie="E-Akte",
        text=TEXT,
        erfordert_kenntnisnahme=True,
    )
    services.entwurf_veroeffentlichen(benutzer=trainer, dokument=dokument)
    return ["Dienstanweisung E-Akte veröffentlicht"]
