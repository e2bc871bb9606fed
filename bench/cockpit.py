"""Benchmark of the Digitalisierungs-Cockpit (issue 21).

Creates a throw-away database (default eakte_cockpit_daten) and fills it with the search
benchmark's generator (bench/daten/suchdaten_erzeugen.py; a few words per Dokument, the text is
not what is measured), spread over 11 Kommunen; the filings are then spread over the last year.
Then it measures

  1. the daily roll-up (`tag_verdichten`, all Kommunen) of a day with --neu new Dokumente
     (issue: 5,000 new Dokumente in under 10 s),
  2. the backfill of --tage days (the Tagesstand rows the pages read),
  3. the cockpit pages as the Verbund-Admin (all Kommunen side by side) and the Kommunen-Admin
     (per OE), through Django's test client (the whole page: selectors, SVG, template), and the
     CSV export (issue: p95 under 200 ms with 1,000,000 Dokumente).

    make bench BENCH=cockpit                                   # 1,000,000 Dokumente
    make bench BENCH=cockpit ARGS="--dokumente 50000 --wiederholungen 10"
    make bench BENCH=cockpit ARGS="--behalten" / ARGS="--wiederverwenden"

Prints a table and, as its last line, one JSON object.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eakte.settings")

PASSWORT = "Bench-Passwort-2026"
ZIEL_P95_MS, ZIEL_TAG_S = 200, 10


def _erzeugen(dokumente: int, akten: int) -> float:
    from django.core.management import call_command

    from aktenplan import demo as aktenplan_demo
    from aktenplan import services as aktenplan_services
    from bench.daten import suchdaten_erzeugen
    from eakte.common.akteur import Akteur
    from eakte.kommunen import services as kommunen_services
    from eakte.kommunen.models import Verbund

    if not Verbund.objects.filter(slug="bench").exists():
        verbund = kommunen_services.verbund_anlegen(name="Cockpit-Verbund", slug="bench")
        kommunen_services.kommune_anlegen_ungeprueft(
            verbund=verbund, name="Benchstadt", slug="benchstadt", ags="99999001",
            aktenzeichen_praefix="BEN",
        )  # fmt: skip
        aktenplan = aktenplan_services.aktenplan_anlegen(
            verbund=verbund, name="Aktenplan", fassung="2026", trenner=".", stellen="1,1,2",
            gueltig_ab=None, akteur=Akteur.system("Benchmark"),
        )  # fmt: skip
        aktenplan_services.aktenplan_importieren(
            aktenplan=aktenplan,
            inhalt=aktenplan_demo.STARTER_PLAN.read_bytes(),
            format="csv",
            akteur=Akteur.system("Benchmark"),
            probelauf=False,
        )
    start = time.perf_counter()
    call_command(
        suchdaten_erzeugen.Command(),
        verbund="bench",
        dokumente=dokumente,
        akten=akten,
        kommunen=11,
        woerter=5,
        force=True,
    )
    return round(time.perf_counter() - start, 1)


def _verteilen(tage: int) -> None:
    """Spread the filings (and the Akten) over the last `tage` days, some scanned, some not."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE akten_version SET hochgeladen_am = now() "
            "- random() * %s * interval '1 day' - interval '1 day'",
            [tage],
        )
        cursor.execute("UPDATE ocr_verarbeitung SET verfahren = 'textebene' WHERE id % 3 = 0")
        cursor.execute(
            "UPDATE akten_akte SET angelegt_am = now() "
            "- random() * %s * interval '1 day' - interval '1 day'",
            [tage],
        )
        cursor.execute("ANALYZE")


def _personen():
    from eakte.kommunen import services as kommunen_services
    from eakte.kommunen.models import Benutzer, Kommune
    from eakte.kommunen.rollen import Rolle

    kommune = Kommune.objects.get(slug="benchstadt")
    vorhanden = Benutzer.objects.filter(username="bench.verbundadmin").first()
    if vorhanden:
        return vorhanden, Benutzer.objects.get(username="bench.kommunenadmin")

    def person(username, rolle):
        return kommunen_services.benutzer_anlegen_ungeprueft(
            kommune=kommune, username=username, email=f"{username}@bench.invalid",
            password=PASSWORT, rollen=[rolle], organisationseinheiten=(),
        )  # fmt: skip

    return (
        person("bench.verbundadmin", Rolle.VERBUND_ADMIN),
        person("bench.kommunenadmin", Rolle.KOMMUNEN_ADMIN),
    )


def _kennzahlen(zeiten: list[float]) -> dict:
    zeiten = sorted(zeiten)
    p95 = zeiten[min(len(zeiten) - 1, int(round(0.95 * len(zeiten))) - 1)]
    return {
        "median_ms": round(statistics.median(zeiten), 1),
        "p95_ms": round(p95, 1),
        "anzahl": len(zeiten),
    }


def _lauf(args) -> dict:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from eakte.akten.models import Dokument
    from eakte.cockpit import services
    from eakte.cockpit.models import Tagesstand
    from eakte.kommunen.models import Kommune

    ergebnis: dict = {"erzeugen_s": None}
    if not Dokument.objects.exists():
        ergebnis["erzeugen_s"] = _erzeugen(args.dokumente, args.akten)
        _verteilen(args.tage)
    heute = timezone.localdate()
    # 1. one day with --neu new Dokumente (they get today's date from the generator)
    start = time.perf_counter()
    _erzeugen(args.neu, max(1, args.neu // 10))
    ergebnis["neu_erzeugen_s"] = round(time.perf_counter() - start, 1)
    kommunen = list(Kommune.objects.all())
    start = time.perf_counter()
    zeilen = services.tag_verdichten(tag=heute, kommunen=kommunen)
    ergebnis["tag_verdichten_s"] = round(time.perf_counter() - start, 2)
    start = time.perf_counter()
    services.tag_verdichten(tag=heute, kommunen=kommunen)
    ergebnis["tag_verdichten_nochmal_s"] = round(time.perf_counter() - start, 2)
    ergebnis["zeilen_je_tag"] = zeilen
    # 2. backfill
    start = time.perf_counter()
    services.zeitraum_verdichten(
        von=heute - timedelta(days=args.tage), bis=heute - timedelta(days=1), kommunen=kommunen
    )
    ergebnis["nachberechnen_s"] = round(time.perf_counter() - start, 1)
    ergebnis["nachberechnen_tage"] = args.tage
    ergebnis["tagesstaende"] = Tagesstand.alle.count()
    # 3. pages
    verbundadmin, kommunenadmin = _personen()
    seiten = {
        "verbund_13_wochen": (verbundadmin, "/cockpit/verbund/"),
        "verbund_1_jahr": (
            verbundadmin,
            f"/cockpit/verbund/?von={heute - timedelta(days=365)}&bis={heute}",
        ),
        "verbund_csv": (verbundadmin, "/cockpit/verbund/csv/kennzahlen/"),
        "kommune_13_wochen": (kommunenadmin, "/cockpit/kommune/benchstadt/"),
        "kommune_1_jahr": (
            kommunenadmin,
            f"/cockpit/kommune/benchstadt/?von={heute - timedelta(days=365)}&bis={heute}",
        ),
        "api_verbund": (verbundadmin, "/api/v1/cockpit/verbund/"),
    }
    messungen = {}
    alle = []
    for name, (person, adresse) in seiten.items():
        client = Client()
        client.force_login(person)
        antwort = client.get(adresse)
        assert antwort.status_code == 200, (adresse, antwort.status_code)
        zeiten = []
        for _ in range(args.wiederholungen):
            start = time.perf_counter()
            client.get(adresse)
            zeiten.append((time.perf_counter() - start) * 1000)
        messungen[name] = _kennzahlen(zeiten)
        alle += zeiten
        print(f"{name:<22}{messungen[name]['median_ms']:>10}{messungen[name]['p95_ms']:>10}")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    gesamt = _kennzahlen(alle)
    return {
        **ergebnis,
        "dokumente": Dokument.objects.count(),
        "kommunen": len(kommunen),
        "seiten": messungen,
        "seiten_median_ms": gesamt["median_ms"],
        "seiten_p95_ms": gesamt["p95_ms"],
        "maschine": {
            "cpus": os.cpu_count(),
            "postgresql": version,
            "python": platform.python_version(),
            "last": round(os.getloadavg()[0], 2),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dokumente", type=int, default=1_000_000)
    parser.add_argument("--akten", type=int, default=100_000)
    parser.add_argument("--neu", type=int, default=5000, help="neue Dokumente des gemessenen Tages")
    parser.add_argument("--tage", type=int, default=365, help="Tage, über die verteilt wird")
    parser.add_argument("--wiederholungen", type=int, default=30)
    parser.add_argument("--datenbank", default="eakte_cockpit_daten")
    parser.add_argument("--behalten", action="store_true")
    parser.add_argument("--wiederverwenden", action="store_true")
    args = parser.parse_args()
    os.environ.pop("DATABASE_CONN_MAX_AGE", None)

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from eakte.common.mandantenbereich import systembereich

    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = args.datenbank
    alter_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=args.wiederverwenden
    )
    print(f"{'Seite':<22}{'Median':>10}{'p95':>10}")
    try:
        with systembereich("Benchmark cockpit"):
            ergebnis = _lauf(args)
    finally:
        if args.behalten or args.wiederverwenden:
            connection.close()
            connection.settings_dict["NAME"] = alter_name
        else:
            connection.creation.destroy_test_db(alter_name, verbosity=0)
    print(
        f"\n{ergebnis['dokumente']} Dokumente in {ergebnis['kommunen']} Kommunen; Tag mit "
        f"{args.neu} neuen verdichtet in {ergebnis['tag_verdichten_s']} s (Ziel < {ZIEL_TAG_S} s); "
        f"{ergebnis['nachberechnen_tage']} Tage nachberechnet in {ergebnis['nachberechnen_s']} s; "
        f"Seiten: Median {ergebnis['seiten_median_ms']} ms, p95 {ergebnis['seiten_p95_ms']} ms "
        f"(Ziel p95 < {ZIEL_P95_MS} ms)"
    )
    print(json.dumps(ergebnis, ensure_ascii=False))


if __name__ == "__main__":
    main()
