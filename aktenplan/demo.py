"""Demo data: the shared starter Aktenplan of the IKZ Odenwald (aktenplan/daten/)."""

from datetime import date
from pathlib import Path

from eakte.common.akteur import Akteur
from eakte.kommunen.demo import VERBUND
from eakte.kommunen.models import Verbund

from . import services
from .models import Aktenplan

STARTER_PLAN = Path(__file__).parent / "daten" / "starter_aktenplan.csv"
SYSTEM = Akteur.system("Demodaten")


def laden() -> list[str]:
    verbund = Verbund.objects.get(slug=VERBUND["slug"])
    if Aktenplan.objects.filter(verbund=verbund).exists():
        return []
    aktenplan = services.aktenplan_anlegen(
        verbund=verbund,
        name=f"Aktenplan {verbund.name}",
        fassung="2026",
        trenner=".",
        stellen="1,1,2",
        gueltig_ab=date(2026, 1, 1),
        akteur=SYSTEM,
    )
    ergebnis = services.aktenplan_importieren(
        aktenplan=aktenplan,
        inhalt=STARTER_PLAN.read_bytes(),
        format="csv",
        akteur=SYSTEM,
        probelauf=False,
        quelle="Demodaten: Muster-Aktenplan",
    )
    if not ergebnis.ok:
        raise RuntimeError("Muster-Aktenplan fehlerhaft: " + "; ".join(map(str, ergebnis.fehler)))
    return [f"Aktenplan mit {len(ergebnis.neu)} Einheiten angelegt"]
