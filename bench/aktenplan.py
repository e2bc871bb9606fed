"""Benchmark of the shared Aktenplan: tree page, search-as-you-type, import.

Creates a throw-away database (eakte_bench), fills a plan of N units (10 groups x 10 subgroups x
N/100 leaves), and measures server time (Django's full request cycle through the test client, no
network) and query counts. Prints a table and, as its last line, one JSON object.

    make bench BENCH=aktenplan                 # 5,000 units, the issue's scale
    make bench BENCH=aktenplan ARGS="--einheiten 500 --wiederholungen 20"
"""

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

from eakte.common.akteur import Akteur

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eakte.settings")

SUCHBEGRIFFE = ["3", "3.4", "Satzung", "Bau", "Gebühren Friedhof", "unbekanntes Wort", "0.1.0"]


def _csv(einheiten: int) -> bytes:
    blaetter = max(1, einheiten // 100 - 1)
    zeilen = [
        "Kennzeichen;Übergeordnet;Titel;Beschreibung;Aufbewahrungsfrist;Aussonderungsart;"
        "Gültig ab;Gültig bis;Stillgelegt;Nachfolger"
    ]
    worte = ["Satzung", "Gebühren", "Bau", "Friedhof", "Verträge", "Anträge", "Personal", "Wahlen"]
    for gruppe in range(10):
        zeilen.append(f"{gruppe};;Hauptgruppe {gruppe};;10;B;;;nein;")
        for unter in range(10):
            kennzeichen = f"{gruppe}.{unter}"
            zeilen.append(
                f"{kennzeichen};{gruppe};Gruppe {kennzeichen} {worte[unter % 8]};;10;B;;;nein;"
            )
            for blatt in range(1, blaetter + 1):
                wort = worte[(gruppe + unter + blatt) % 8]
                zeilen.append(
                    f"{kennzeichen}.{blatt:02d};{kennzeichen};{wort} {blatt} der Gruppe "
                    f"{kennzeichen};Vorgänge zu {wort};{5 + blatt % 3 * 5};"
                    f"{'ABV'[blatt % 3]};;;nein;"
                )
    return ("\n".join(zeilen) + "\n").encode()


def _messen(client, url, wiederholungen):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches
    zeiten, abfragen = [], set()
    for _ in range(wiederholungen):
        with CaptureQueriesContext(connection) as erfasst:
            start = time.perf_counter()
            antwort = client.get(url)
            zeiten.append((time.perf_counter() - start) * 1000)
        assert antwort.status_code == 200, (url, antwort.status_code)
        abfragen.add(len(erfasst))
    zeiten.sort()
    return {
        "median_ms": round(statistics.median(zeiten), 2),
        "p95_ms": round(zeiten[max(0, int(len(zeiten) * 0.95) - 1)], 2),
        "abfragen": sorted(abfragen),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--einheiten", type=int, default=5000, help="Größe des Plans (Standard 5000)"
    )
    parser.add_argument("--wiederholungen", type=int, default=50, help="Anfragen je Messpunkt")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from eakte.common.mandantenbereich import systembereich

    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = "eakte_bench"
    alter_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with systembereich("Benchmark aktenplan"):
            ergebnis = _lauf(args, Client)
    finally:
        connection.creation.destroy_test_db(alter_name, verbosity=0)

    print(
        f"\nAktenplan-Benchmark, {ergebnis['einheiten']} Einheiten, "
        f"{args.wiederholungen} Wiederholungen"
    )
    print(f"{'Messpunkt':<40}{'Median ms':>12}{'p95 ms':>10}  Abfragen")
    for name, werte in ergebnis["messungen"].items():
        print(f"{name:<40}{werte['median_ms']:>12}{werte['p95_ms']:>10}  {werte['abfragen']}")
    print(f"{'Import (alles neu, eine Transaktion)':<40}{ergebnis['import_s'] * 1000:>12.0f}")
    print(
        f"{'Import derselben Datei (nichts ändert sich)':<40}{ergebnis['reimport_s'] * 1000:>12.0f}"
    )
    print(json.dumps(ergebnis, ensure_ascii=False))


def _lauf(args, Client) -> dict:
    from aktenplan import services
    from aktenplan.models import Aktenplan
    from eakte.kommunen import services as kommunen_services
    from eakte.kommunen.rollen import Rolle

    verbund = kommunen_services.verbund_anlegen(name="Bench-Verbund", slug="bench")
    kommune = kommunen_services.kommune_anlegen_ungeprueft(
        verbund=verbund,
        name="Benchstadt",
        slug="benchstadt",
        ags="99999999",
        aktenzeichen_praefix="BEN",
    )
    person = kommunen_services.benutzer_anlegen_ungeprueft(
        kommune=kommune,
        username="bench.digitallotse",
        email="b@bench.invalid",
        password="Bench-Passwort-1",
        rollen=[Rolle.DIGITALLOTSE],
    )
    aktenplan = Aktenplan.objects.create(verbund=verbund, name="Bench-Plan", stellen="1,1,2")
    datei = _csv(args.einheiten)
    start = time.perf_counter()
    importiert = services.aktenplan_importieren(
        aktenplan=aktenplan,
        inhalt=datei,
        format="csv",
        akteur=Akteur.person(person),
        probelauf=False,
    )
    import_s = time.perf_counter() - start
    assert importiert.ok, importiert.fehler[:3]
    start = time.perf_counter()
    services.aktenplan_importieren(
        aktenplan=aktenplan,
        inhalt=datei,
        format="csv",
        akteur=Akteur.person(person),
        probelauf=False,
    )
    reimport_s = time.perf_counter() - start

    client = Client()
    client.force_login(person)
    gruppe = aktenplan.einheiten.get(kennzeichen="3.4")
    messungen = {
        "Baumseite /aktenplan/": _messen(client, "/aktenplan/", args.wiederholungen),
        "Kinder nachladen (50 Blätter)": _messen(
            client, f"/aktenplan/einheit/{gruppe.uuid}/kinder/", args.wiederholungen
        ),
    }
    for begriff in SUCHBEGRIFFE:
        messungen[f"Suche „{begriff}“"] = _messen(
            client, f"/aktenplan/suche/?q={begriff}", args.wiederholungen
        )
    alle_suchen = [m for name, m in messungen.items() if name.startswith("Suche")]
    return {
        "einheiten": aktenplan.einheiten.count(),
        "import_s": round(import_s, 3),
        "reimport_s": round(reimport_s, 3),
        "messungen": messungen,
        "suche_median_der_mediane_ms": round(
            statistics.median(m["median_ms"] for m in alle_suchen), 2
        ),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "maschine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
    }


if __name__ == "__main__":
    main()
