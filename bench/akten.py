"""Benchmark of the records: "Meine Akten", Akte detail and the API list at the issue's scale.

Creates a database (default eakte_bench_daten), fills one Kommune with bench/daten/akten_erzeugen.py
(N Akten over 10 OEs, 5 Dokumente per Akte on average), and measures server time (Django's whole
request cycle through the test client, no network) and query counts for three people:

  a) a clerk whose OE has N/10 Akten (10,000 at the full size),
  b) a clerk of another OE of the same Kommune who sees 20 Akten only through explicit shares,
  c) a clerk of another Kommune of the Verbund with 20 shared Akten (mutual support in the IKZ).

Prints a table, EXPLAIN ANALYZE of the slowest query (if it takes 10 ms or more) of every
measurement whose p95 misses the target (of all with --explain) and, as its last line, one JSON
object.

    make bench BENCH=akten                                # 100,000 Akten, 500,000 Dokumente
    make bench BENCH=akten ARGS="--akten 2000 --wiederholungen 20"      # a few seconds
    make bench BENCH=akten ARGS="--behalten"              # keep the filled database, and then
    make bench BENCH=akten ARGS="--wiederverwenden"       # measure again without refilling
"""

import argparse
import json
import math
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eakte.settings")

ZIEL_P95_MS = 100
KOMMUNE = "benchstadt"
OES = 10
FREIGABEN = 20
PASSWORT = "Bench-Passwort-2026"


def _messen(client, url, wiederholungen, **kopf) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    antwort = client.get(url, **kopf)  # warm caches
    assert antwort.status_code == 200, (url, antwort.status_code)
    zeiten, abfragen, je_abfrage, datenbank = [], set(), {}, []
    for _ in range(wiederholungen):
        with CaptureQueriesContext(connection) as erfasst:
            start = time.perf_counter()
            antwort = client.get(url, **kopf)
            zeiten.append((time.perf_counter() - start) * 1000)
        assert antwort.status_code == 200, (url, antwort.status_code)
        abfragen.add(len(erfasst))
        datenbank.append(sum(float(abfrage["time"]) for abfrage in erfasst.captured_queries))
        for stelle, abfrage in enumerate(erfasst.captured_queries):
            je_abfrage.setdefault(stelle, []).append((float(abfrage["time"]), abfrage["sql"]))
    zeiten.sort()
    # The query (by its position in the request) with the highest median time.
    mediane = {
        stelle: (statistics.median(t for t, _ in laeufe), laeufe[-1][1])
        for stelle, laeufe in je_abfrage.items()
    }
    langsam_ms, langsam_sql = max(mediane.values(), key=lambda eintrag: eintrag[0])
    return {
        "url": url,
        "median_ms": round(statistics.median(zeiten), 1),
        "p95_ms": round(zeiten[math.ceil(len(zeiten) * 0.95) - 1], 1),
        "max_ms": round(zeiten[-1], 1),
        "abfragen": sorted(abfragen),
        "datenbank_ms": round(statistics.median(datenbank) * 1000, 1),
        "langsamste_abfrage_ms": round(langsam_ms * 1000, 1),
        "_sql": langsam_sql,
    }


def _erklaeren(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(zeile[0] for zeile in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--akten", type=int, default=100_000, help="Akten (Standard 100000)")
    parser.add_argument(
        "--dokumente", type=int, help="Dokumente (Standard: fünfmal so viele wie Akten)"
    )
    parser.add_argument("--wiederholungen", type=int, default=50, help="Anfragen je Messpunkt")
    parser.add_argument(
        "--datenbank", default="eakte_bench_daten", help="Name der Wegwerf-Datenbank"
    )
    parser.add_argument(
        "--behalten", action="store_true", help="die gefüllte Datenbank am Ende nicht löschen"
    )
    parser.add_argument(
        "--wiederverwenden",
        action="store_true",
        help="eine mit --behalten gefüllte Datenbank gleicher Größe weiterverwenden",
    )
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE auch für schnelle Listen zeigen"
    )
    parser.add_argument(
        "--ohne-parallele-abfragen",
        action="store_true",
        help="PostgreSQL ohne parallele Abfragen (max_parallel_workers_per_gather=0) messen",
    )
    args = parser.parse_args()
    args.dokumente = 5 * args.akten if args.dokumente is None else args.dokumente
    # Measure with the persistent connections of production (settings default), not a
    # DATABASE_CONN_MAX_AGE=0 left in the shell by a test run: that adds a connect per request.
    os.environ.pop("DATABASE_CONN_MAX_AGE", None)

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from eakte.common.mandantenbereich import systembereich

    setup_test_environment()
    if args.ohne_parallele_abfragen:
        optionen = connection.settings_dict.setdefault("OPTIONS", {})
        optionen["options"] = "-c max_parallel_workers_per_gather=0"
    connection.settings_dict["TEST"]["NAME"] = args.datenbank
    alter_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=args.wiederverwenden
    )
    try:
        with systembereich("Benchmark akten"):  # the data; requests get the person's Bereich
            ergebnis, plaene = _lauf(args)
    finally:
        if args.behalten or args.wiederverwenden:
            connection.close()
            connection.settings_dict["NAME"] = alter_name
        else:
            connection.creation.destroy_test_db(alter_name, verbosity=0)

    print(
        f"\nAkten-Benchmark: {_zahl(ergebnis['akten'])} Akten, {_zahl(ergebnis['dokumente'])} "
        f"Dokumente in einer Kommune, {args.wiederholungen} Anfragen je Messpunkt, Ziel p95 < "
        f"{ZIEL_P95_MS} ms (Last vorher/nachher: {ergebnis['maschine']['last_vorher']} / "
        f"{ergebnis['maschine']['last_nachher']})"
    )
    if ergebnis["erzeugen_s"] is not None:
        print(f"Erzeugen (akten_erzeugen): {ergebnis['erzeugen_s']:.0f} s")
    for person, beschreibung in ergebnis["personen"].items():
        print(f"  {person}) {beschreibung}")
    print(
        f"\n{'Messpunkt':<52}{'Median ms':>10}{'p95 ms':>9}{'max ms':>9}  {'Abfragen':<9}"
        f"{'DB ms':>7}{'langsamste Abfrage ms':>23}"
    )
    for name, werte in ergebnis["messungen"].items():
        ziel = "" if werte["p95_ms"] < ZIEL_P95_MS else "  ✗ Ziel verfehlt"
        abfragen = ",".join(map(str, werte["abfragen"]))
        print(
            f"{name:<52}{werte['median_ms']:>10}{werte['p95_ms']:>9}{werte['max_ms']:>9}  "
            f"{abfragen:<9}{werte['datenbank_ms']:>7}{werte['langsamste_abfrage_ms']:>23}{ziel}"
        )
    for name, plan in plaene.items():
        print(f"\nEXPLAIN ANALYZE der langsamsten Abfrage: {name}\n{plan}")
    print(json.dumps(ergebnis, ensure_ascii=False))


def _vorbereiten(args) -> dict:
    """Verbund, two Kommunen, the starter Aktenplan, the generated Akten and three people."""
    from django.core.management import call_command

    from aktenplan import demo as aktenplan_demo
    from aktenplan import services as aktenplan_services
    from bench.daten import akten_erzeugen
    from eakte.akten import services as akten_services
    from eakte.akten.models import Akte
    from eakte.common.akteur import Akteur
    from eakte.kommunen import services as kommunen_services
    from eakte.kommunen.rollen import Rolle

    verbund = kommunen_services.verbund_anlegen(name="Bench-Verbund", slug="bench")
    kommune = kommunen_services.kommune_anlegen_ungeprueft(
        verbund=verbund, name="Benchstadt", slug=KOMMUNE, ags="99999001", aktenzeichen_praefix="BEN"
    )
    nachbar = kommunen_services.kommune_anlegen_ungeprueft(
        verbund=verbund, name="Nachbardorf", slug="nachbardorf", ags="99999002",
        aktenzeichen_praefix="NAD",
    )  # fmt: skip
    aktenplan = aktenplan_services.aktenplan_anlegen(
        verbund=verbund,
        name="Aktenplan Bench-Verbund",
        fassung="2026",
        trenner=".",
        stellen="1,1,2",
        gueltig_ab=None,
        akteur=Akteur.system("Benchmark"),
    )
    import_ergebnis = aktenplan_services.aktenplan_importieren(
        aktenplan=aktenplan,
        inhalt=aktenplan_demo.STARTER_PLAN.read_bytes(),
        format="csv",
        akteur=Akteur.system("Benchmark"),
        probelauf=False,
    )
    assert import_ergebnis.ok, import_ergebnis.fehler[:3]

    def person(kommune_, username, rollen, oes=()):
        return kommunen_services.benutzer_anlegen_ungeprueft(
            kommune=kommune_,
            username=username,
            email=f"{username}@bench.invalid",
            password=PASSWORT,
            rollen=rollen,
            organisationseinheiten=oes,
        )

    admin = person(kommune, "bench.kommunenadmin", [Rolle.KOMMUNEN_ADMIN])
    start = time.perf_counter()
    call_command(
        akten_erzeugen.Command(),
        kommune=KOMMUNE,
        akten=args.akten,
        dokumente=args.dokumente,
        oes=OES,
        force=True,
    )
    erzeugen_s = time.perf_counter() - start
    oes = list(kommune.organisationseinheiten.order_by("id"))
    person(kommune, "bench.sachbearbeitung", [Rolle.SACHBEARBEITUNG], [oes[0]])
    rpa = kommunen_services.organisationseinheit_anlegen_ungeprueft(
        kommune=kommune, name="Revision", kuerzel="REV"
    )
    empfaenger = person(kommune, "bench.freigaben", [Rolle.SACHBEARBEITUNG], [rpa])
    oa = kommunen_services.organisationseinheit_anlegen_ungeprueft(
        kommune=nachbar, name="Ordnungsamt", kuerzel="OA"
    )
    nachbarin = person(nachbar, "bench.nachbarin", [Rolle.SACHBEARBEITUNG], [oa])
    # Shared by the Kommunen-Admin: open Akten of all OEs, each person gets 20 different ones.
    offene = list(
        Akte.objects.filter(kommune=kommune, zda_am__isnull=True)
        .order_by("?")
        .values_list("pk", flat=True)[: 2 * FREIGABEN]
    )
    for nummer, pk in enumerate(offene):
        akten_services.akte_freigeben(
            akteur=Akteur.person(admin),
            akte=Akte.objects.get(pk=pk),
            empfaenger=empfaenger if nummer % 2 == 0 else nachbarin,
            schreiben=nummer % 4 == 0,
        )
    return {"erzeugen_s": round(erzeugen_s, 1)}


def _lauf(args) -> tuple[dict, dict]:
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from eakte.akten import selectors
    from eakte.akten.models import Akte, Dokument
    from eakte.kommunen.models import Benutzer, Kommune

    vorhanden = Kommune.objects.filter(slug=KOMMUNE).first()
    if vorhanden is None:
        vorbereitung = _vorbereiten(args)
    else:
        anzahl = Akte.objects.filter(kommune=vorhanden).count()
        dokumente = Dokument.objects.filter(kommune=vorhanden).count()
        if (anzahl, dokumente) != (args.akten, args.dokumente):
            sys.exit(
                f"Die Datenbank {args.datenbank} enthält {anzahl} Akten und {dokumente} "
                "Dokumente; ohne --wiederverwenden neu anlegen."
            )
        vorbereitung = {"erzeugen_s": None}

    sachbearbeitung = Benutzer.objects.get(username="bench.sachbearbeitung")
    empfaenger = Benutzer.objects.get(username="bench.freigaben")
    nachbarin = Benutzer.objects.get(username="bench.nachbarin")
    n = args.wiederholungen
    messungen, plaene = {}, {}
    last_vorher = round(os.getloadavg()[0], 2)

    def client_fuer(person):
        client = Client()
        client.force_login(person)
        return client

    def akte_mit(akten, dokumente_sortierung):
        return (
            akten.annotate(anzahl=Count("dokumente"))
            .order_by(dokumente_sortierung, "id")
            .values_list("uuid", "anzahl")
            .first()
        )

    api = {"HTTP_ACCEPT": "application/json"}
    meine, liste_api = reverse("akten:meine"), "/api/v1/akten/"

    # a) the clerk with a large OE
    client = client_fuer(sachbearbeitung)
    eigene = selectors.akten_meiner_oe(sachbearbeitung)
    sichtbar_a = selectors.akten_fuer(sachbearbeitung).count()
    offen_a = eigene.filter(zda_am__isnull=True).count()
    seiten = max(1, math.ceil(offen_a / 25))
    mittel = eigene.annotate(anzahl=Count("dokumente")).filter(anzahl=5).first()
    typisch = (mittel.uuid, 5) if mittel else akte_mit(eigene, "anzahl")
    groesste = akte_mit(eigene, "-anzahl")
    api_seiten = max(1, math.ceil(sichtbar_a / 50))
    messpunkte = [
        ("a", "Meine Akten, Seite 1", meine, {}),
        ("a", f"Meine Akten, Seite {seiten // 2} von {seiten}", f"{meine}?seite={seiten // 2}", {}),
        ("a", f"Meine Akten, letzte Seite ({seiten})", f"{meine}?seite={seiten}", {}),
        ("a", "Meine Akten, nach Aktenzeichen", f"{meine}?sortierung=aktenzeichen", {}),
        ("a", "Meine Akten, mit zdA-Akten", f"{meine}?zda=1", {}),
        ("a", "Meine Akten, Filter „Bauantrag“", f"{meine}?q=Bauantrag", {}),
        ("a", f"Akte mit {typisch[1]} Dokumenten", _detail(typisch[0]), {}),
        ("a", f"Akte mit {groesste[1]} Dokumenten (größte)", _detail(groesste[0]), {}),
        ("a", "API Akten, Seite 1", liste_api, api),
        ("a", f"API Akten, Seite {api_seiten // 2}", f"{liste_api}?page={api_seiten // 2}", api),
        ("a", "API Akte (Detail)", f"{liste_api}{typisch[0]}/", api),
    ]
    for person, name, url, kopf in messpunkte:
        messungen[f"{person}) {name}"] = _messen(client, url, n, **kopf)

    # b) and c): people who see only what was shared with them
    for kennung, person in (("b", empfaenger), ("c", nachbarin)):
        client = client_fuer(person)
        geteilte = selectors.freigegebene_akten(person)
        beispiel = akte_mit(geteilte, "-anzahl")
        for name, url, kopf in [
            ("Für mich freigegeben", reverse("akten:freigegeben"), {}),
            ("Meine Akten (leer)", meine, {}),
            (f"freigegebene Akte mit {beispiel[1]} Dokumenten", _detail(beispiel[0]), {}),
            ("API Akten", liste_api, api),
            ("API Akte (Detail)", f"{liste_api}{beispiel[0]}/", api),
        ]:
            messungen[f"{kennung}) {name}"] = _messen(client, url, n, **kopf)

    for name, werte in messungen.items():
        sql = werte.pop("_sql")
        langsam = werte["p95_ms"] >= ZIEL_P95_MS and werte["langsamste_abfrage_ms"] >= 10
        if langsam or (args.explain and "Akte mit" not in name):
            plaene[name] = _erklaeren(sql)

    kommune = Kommune.objects.get(slug=KOMMUNE)
    ergebnis = {
        "akten": Akte.objects.filter(kommune=kommune).count(),
        "dokumente": Dokument.objects.filter(kommune=kommune).count(),
        "erzeugen_s": vorbereitung["erzeugen_s"],
        "personen": {
            "a": f"Sachbearbeitung, eigene OE mit {_zahl(offen_a)} offenen Akten "
            f"({_zahl(sichtbar_a)} sichtbar einschließlich zdA)",
            "b": f"Sachbearbeitung anderer OE, {selectors.freigegebene_akten(empfaenger).count()} "
            "Akten ausdrücklich freigegeben",
            "c": f"Sachbearbeitung einer anderen Kommune des Verbunds, "
            f"{selectors.freigegebene_akten(nachbarin).count()} Akten freigegeben",
        },
        "messungen": messungen,
        "ziel_p95_ms": ZIEL_P95_MS,
        "ziel_erreicht": all(m["p95_ms"] < ZIEL_P95_MS for m in messungen.values()),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "maschine": {**_maschine(), "last_vorher": last_vorher},
    }
    return ergebnis, plaene


def _zahl(wert: int) -> str:
    return f"{wert:,}".replace(",", ".")


def _detail(uuid) -> str:
    from django.urls import reverse

    return reverse("akten:detail", kwargs={"akte_uuid": uuid})


def _maschine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgresql = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
        cursor.execute("SHOW max_parallel_workers_per_gather")
        parallel = cursor.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "ram_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "postgresql": postgresql,
        "shared_buffers": shared_buffers,
        "max_parallel_workers_per_gather": parallel,
        "conn_max_age": connection.settings_dict["CONN_MAX_AGE"],
        "python": platform.python_version(),
        "system": platform.platform(),
        "last_nachher": round(os.getloadavg()[0], 2),
    }


if __name__ == "__main__":
    main()
