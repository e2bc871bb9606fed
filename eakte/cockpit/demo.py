"""Demo data of the cockpit: the roll-ups of the IKZ Odenwald for the last 13 weeks.

The demo Akten are all created today, so the real roll-up (`tag_verdichten`) has only one day
of filings, and pages are known only once the OCR worker has processed the documents. So that
the cockpit shows a readable history at once, the days BEFORE today get demonstration figures
(a fixed seed per Kommune, OE and day: the same each run, rising as the roll-out proceeds);
today is computed by the real roll-up from the demo data. Nothing here runs outside the demo.
"""

import random
from datetime import timedelta

from django.utils import timezone

from eakte.kommunen.models import Kommune, Organisationseinheit

from .models import Tagesstand
from .services import tag_verdichten

TAGE = 91
GROESSE = {"erbach": 1.0, "michelstadt": 1.3, "oberzent": 0.7, "brombachtal": 0.4}


def _vorfuehrwerte(kommune: Kommune, heute) -> list[Tagesstand]:
    oes = list(Organisationseinheit.alle.filter(kommune=kommune, aktiv=True).order_by("pk"))
    faktor = GROESSE.get(kommune.slug, 0.8)
    zeilen = []
    for tage in range(TAGE, 0, -1):
        tag = heute - timedelta(days=tage)
        if tag.weekday() >= 5:
            continue
        anlauf = (TAGE - tage + 10) / TAGE  # the roll-out: more filing week by week
        aktiv = 0
        for oe in oes:
            zufall = random.Random(f"{kommune.slug}-{oe.kuerzel}-{tag.isoformat()}")  # noqa: S311
            scans = int(zufall.randint(0, 6) * faktor * anlauf)
            digital = int(zufall.randint(0, 9) * faktor * anlauf)
            seiten_scan = sum(zufall.randint(1, 6) for _ in range(scans))
            seiten_dig = sum(zufall.randint(1, 4) for _ in range(digital))
            ist_aktiv = zufall.random() < 0.55 + 0.4 * anlauf
            aktiv += ist_aktiv
            zeilen.append(
                Tagesstand(
                    kommune=kommune,
                    oe=oe,
                    tag=tag,
                    seiten_gescannt=seiten_scan,
                    seiten_digital=seiten_dig,
                    dokumente_gescannt=scans,
                    dokumente_digital=digital,
                    ablagen=scans + digital,
                    akten_angelegt=int(zufall.randint(0, 2) * anlauf),
                    vorgaenge_angelegt=int(zufall.randint(0, 4) * anlauf),
                    aktiv_30_tage=ist_aktiv,
                    aktive_personen_7_tage=zufall.randint(0, 3) if ist_aktiv else 0,
                )
            )
        zufall = random.Random(f"{kommune.slug}-{tag.isoformat()}")  # noqa: S311
        zeilen.append(
            Tagesstand(
                kommune=kommune,
                oe=None,
                tag=tag,
                aktive_personen_7_tage=int(len(oes) * 2 * anlauf),
                oes_gesamt=len(oes),
                oes_ohne_lotse=max(0, len(oes) - 1 - int(len(oes) * anlauf)),
                kenntnisnahme_soll=100,
                kenntnisnahme_ist=min(100, int(100 * anlauf * zufall.uniform(0.8, 1.0))),
                schulung_teilnahmen=int(20 * faktor * anlauf),
                aktenplaneinheiten_genutzt=int(30 * faktor * anlauf),
            )
        )
    return zeilen


def laden() -> list[str]:
    heute = timezone.localdate()
    bericht = []
    for kommune in Kommune.objects.filter(verbund__slug="odenwald"):
        if not Tagesstand.alle.filter(kommune=kommune, tag__lt=heute).exists():
            Tagesstand.alle.bulk_create(_vorfuehrwerte(kommune, heute))
            bericht.append(f"Cockpit: Vorführwerte der letzten {TAGE} Tage für {kommune.name}")
        tag_verdichten(tag=heute, kommunen=[kommune])
    return bericht
