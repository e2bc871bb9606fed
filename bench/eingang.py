"""Benchmark of the Antragseingang (issue 19): N submissions with 3 attachments each (the
application PDF and two uploads) delivered by C concurrent platform clients, HMAC-signed, as JSON
with base64 attachments, through Django's whole request cycle (test client per thread, no
network). Intake only: the OCR jobs are queued in Redis and purged at the end (no worker runs).

Checks that every submission was accepted exactly once (then every one delivered a second time
answers 200 with the same receipt), and prints submissions/s and the latency per submission
(median, p95; target p95 < 500 ms). Runs in its own database (eakte_bench_eingang, dropped after).

    make bench BENCH=eingang                                  # 100 submissions, 10 clients
    make bench BENCH=eingang ARGS="--antraege 20 --clients 4" # a few seconds
"""

import argparse
import base64
import json
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eakte.settings")

ZIEL_P95_MS = 500
LEISTUNG = "99140002000000"


def _pdf(text: str) -> bytes:
    import io

    from pypdf import PdfWriter

    schreiber = PdfWriter()
    schreiber.add_blank_page(width=595, height=842)
    schreiber.add_metadata({"/Title": text})
    puffer = io.BytesIO()
    schreiber.write(puffer)
    return puffer.getvalue()


def _umgebung():
    """Verbund, Kommune with Bauamt, Eingangskonto, plan leaf, platform, Zulassung, rule."""
    from aktenplan.models import Aktenplan, Aktenplaneinheit
    from eakte.common.akteur import Akteur
    from eakte.eingang import services
    from eakte.eingang.models import Regel
    from eakte.kommunen import services as kommunen_services
    from eakte.kommunen.models import Organisationseinheit
    from eakte.kommunen.rollen import Rolle

    verbund = kommunen_services.verbund_anlegen(name="Bench-Verbund", slug="bench")
    kommune = kommunen_services.kommune_anlegen_ungeprueft(
        verbund=verbund, name="Benchstadt", slug="benchstadt", ags="99999999",
        aktenzeichen_praefix="BEN",
    )  # fmt: skip
    oe = Organisationseinheit.objects.create(kommune=kommune, name="Bauamt", kuerzel="BA")
    konto = kommunen_services.benutzer_anlegen_ungeprueft(
        kommune=kommune, username="eingang.bench", email="eingang@bench.invalid",
        password="Bench-Passwort-1", rollen=[Rolle.SACHBEARBEITUNG],
    )  # fmt: skip
    konto.organisationseinheiten.add(oe)
    plan = Aktenplan.objects.create(verbund=verbund, name="Bench-Plan", stellen="1,1,2")
    gruppe = Aktenplaneinheit.objects.create(
        aktenplan=plan, kennzeichen="6", titel="Bauwesen", aussonderungsart="B",
        sortierschluessel="6", ebene=1,
    )  # fmt: skip
    blatt = Aktenplaneinheit.objects.create(
        aktenplan=plan, parent=gruppe, kennzeichen="6.2", titel="Baugenehmigungen",
        aussonderungsart="B", sortierschluessel="6.2", ebene=2,
    )  # fmt: skip
    system = Akteur.system("Benchmark eingang")
    plattform, geheimnis = services.plattform_registrieren(
        akteur=system, verbund=verbund, name="Bench-Portal", kennung="bench-portal"
    )
    services.zulassung_erteilen(akteur=system, plattform=plattform, kommune=kommune, konto=konto)
    Regel.objects.create(
        verbund=verbund, kommune=kommune, leistung=LEISTUNG, bezeichnung="Bauantrag",
        aktenplaneinheit=blatt, oe=oe,
    )  # fmt: skip
    return plattform, geheimnis


def _antrag(nummer: int) -> bytes:
    def anlage(name, text, antrag=False):
        eintrag = {"dateiname": name, "inhalt": base64.b64encode(_pdf(text)).decode()}
        return {**eintrag, "antrag": True} if antrag else eintrag

    return json.dumps(
        {
            "metadaten": {
                "kommune_ags": "99999999",
                "leistungsschluessel": LEISTUNG,
                "referenz": f"BENCH-{nummer:06d}",
                "eingereicht_am": "2026-03-01T10:15:00+01:00",
                "antragsteller": {"name": f"Antragsteller {nummer}", "anschrift": "Bench 1"},
            },
            "datenformat": "json",
            "daten": {"flurstueck": f"Bench {nummer}/1", "vorhaben": "Neubau"},
            "anlagen": [
                anlage("Antrag.pdf", f"Antrag {nummer}", antrag=True),
                anlage("Lageplan.pdf", f"Lageplan {nummer}"),
                anlage("Baubeschreibung.pdf", f"Baubeschreibung {nummer}"),
            ],
        }
    ).encode()


def _zustellen(client, plattform, geheimnis, body: bytes):
    from django.urls import reverse

    from eakte.eingang import geheimnis as signatur

    pfad = reverse("api:eingang-annahme")
    kopf = signatur.kopfzeilen(geheimnis, methode="POST", pfad=pfad, body=body)
    return client.generic(
        "POST", pfad, body, content_type="application/json",
        HTTP_X_EINGANG_CLIENT=plattform.kennung,
        HTTP_X_EINGANG_ZEITSTEMPEL=kopf["X-Eingang-Zeitstempel"],
        HTTP_X_EINGANG_NONCE=kopf["X-Eingang-Nonce"],
        HTTP_X_EINGANG_SIGNATUR=kopf["X-Eingang-Signatur"],
    )  # fmt: skip


def _arbeiter(plattform_id, geheimnis, auftraege, ergebnisse) -> None:
    """One platform client in its own process (own interpreter, own database connection)."""
    from django.db import connections
    from django.test import Client

    from eakte.common.mandantenbereich import systembereich
    from eakte.eingang.models import Plattform

    connections.close_all()  # never use the parent's connection
    client = Client()
    with systembereich("Benchmark eingang"):
        plattform = Plattform.objects.get(pk=plattform_id)
        _aufwaermen(client, plattform, geheimnis)
        ergebnisse.put("bereit")
        while (body := auftraege.get()) is not None:
            start = time.perf_counter()
            antwort = _zustellen(client, plattform, geheimnis, body)
            dauer = (time.perf_counter() - start) * 1000
            ergebnisse.put((dauer, antwort.status_code, antwort.json().get("id")))
    connections.close_all()


def _aufwaermen(client, plattform, geheimnis) -> None:
    """One signed status poll (404) before measuring: imports, URL resolver, connection."""
    from django.urls import reverse

    from eakte.eingang import geheimnis as signatur

    pfad = f"{reverse('api:eingang-status')}?referenz=aufwaermen"
    kopf = signatur.kopfzeilen(geheimnis, methode="GET", pfad=pfad, body=b"")
    client.generic(
        "GET", pfad, b"",
        HTTP_X_EINGANG_CLIENT=plattform.kennung,
        HTTP_X_EINGANG_ZEITSTEMPEL=kopf["X-Eingang-Zeitstempel"],
        HTTP_X_EINGANG_NONCE=kopf["X-Eingang-Nonce"],
        HTTP_X_EINGANG_SIGNATUR=kopf["X-Eingang-Signatur"],
    )  # fmt: skip


def _runde(plattform, geheimnis, koerper: list[bytes], clients: int) -> tuple[list, list, float]:
    """Deliver every body once by `clients` processes taking the next from a shared queue."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # the children must not inherit an open connection
    kontext = multiprocessing.get_context("fork")
    auftraege, ergebnisse = kontext.Queue(), kontext.Queue()
    prozesse = [
        kontext.Process(target=_arbeiter, args=(plattform.pk, geheimnis, auftraege, ergebnisse))
        for _ in range(clients)
    ]
    for prozess in prozesse:
        prozess.start()
    for _ in prozesse:  # every client warmed up and waiting
        ergebnisse.get()
    start = time.perf_counter()
    for body in koerper:
        auftraege.put(body)
    for _ in prozesse:
        auftraege.put(None)
    gesammelt = [ergebnisse.get() for _ in koerper]
    dauer = time.perf_counter() - start
    for prozess in prozesse:
        prozess.join()
    return [z for z, _, _ in gesammelt], [(s, i) for _, s, i in gesammelt], dauer


def _p95(werte: list[float]) -> float:
    werte = sorted(werte)
    return werte[max(0, round(0.95 * len(werte)) - 1)]


def _profil(args) -> None:
    """One submission after a warm-up, in this process: its SQL statements (count, the slowest)
    and a cProfile of the request (the top functions by cumulative time)."""
    import cProfile
    import pstats
    from collections import Counter

    from django.db import connection
    from django.test import Client

    plattform, geheimnis = _umgebung()
    client = Client()
    _aufwaermen(client, plattform, geheimnis)
    _zustellen(client, plattform, geheimnis, _antrag(0))  # imports, caches
    anweisungen = []

    def mitschreiben(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            text = sql if isinstance(sql, str) else sql.as_string(context["connection"].connection)
            anweisungen.append(((time.perf_counter() - start) * 1000, text))

    n = max(1, args.profil_antraege)
    koerper = [_antrag(nummer) for nummer in range(1, n + 1)]
    profil = cProfile.Profile(time.process_time)  # CPU of this process, not the wall clock
    with connection.execute_wrapper(mitschreiben):
        start, cpu = time.perf_counter(), time.process_time()
        profil.enable()
        antworten = [_zustellen(client, plattform, geheimnis, body) for body in koerper]
        profil.disable()
        dauer = (time.perf_counter() - start) * 1000 / n
        cpu = (time.process_time() - cpu) * 1000 / n
    print(
        f"\nJe Antrag ({n}, HTTP {sorted({a.status_code for a in antworten})}): {dauer:.1f} ms, "
        f"davon {cpu:.1f} ms CPU dieses Prozesses (mit Profiler), {len(anweisungen) / n:.0f} "
        f"SQL-Anweisungen ({sum(ms for ms, _ in anweisungen) / n:.1f} ms in der Datenbank)"
    )
    arten = Counter(
        re.sub(r"SAVEPOINT \S+", "SAVEPOINT …", " ".join(sql.split()[:6])[:100])
        for _, sql in anweisungen
    )
    for text, anzahl in arten.most_common(args.profil):
        print(f"{anzahl / n:>6.1f} × {text}")
    statistik = pstats.Stats(profil)
    if os.environ.get("PROFIL_DATEI"):  # for pstats / snakeviz
        statistik.dump_stats(os.environ["PROFIL_DATEI"])
    statistik.sort_stats("cumulative").print_stats(args.profil)
    statistik.sort_stats("tottime").print_stats(args.profil)


def _lauf(args) -> dict:
    from eakte.akten.models import Dokument, Vorgang
    from eakte.eingang.models import Antrag

    plattform, geheimnis = _umgebung()
    koerper = [_antrag(n) for n in range(args.antraege)]
    zeiten, status, dauer = _runde(plattform, geheimnis, koerper, args.clients)
    erneut_zeiten, erneut, _ = _runde(plattform, geheimnis, koerper, args.clients)
    angenommen = sorted(s for s, _ in status)
    ergebnis = {
        "antraege": args.antraege,
        "anlagen_je_antrag": 3,
        "clients": args.clients,
        "alle_201": angenommen == [201] * args.antraege,
        "wiederholt_alle_200": sorted(s for s, _ in erneut) == [200] * args.antraege,
        "gleiche_quittungen": {i for _, i in status} == {i for _, i in erneut},
        "antraege_in_db": Antrag.alle.count(),
        "vorgaenge_in_db": Vorgang.alle.count(),
        "dokumente_in_db": Dokument.alle.count(),
        "antraege_je_s": round(args.antraege / dauer, 1),
        "median_ms": round(statistics.median(zeiten), 1),
        "p95_ms": round(_p95(zeiten), 1),
        "max_ms": round(max(zeiten), 1),
        "wiederholung_p95_ms": round(_p95(erneut_zeiten), 1),
        "ziel_p95_ms": ZIEL_P95_MS,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "rechner": platform.node(),
    }
    return ergebnis


def _ausgeben(e: dict) -> None:
    print(
        f"\nAntragseingang: {e['antraege']} Anträge × {e['anlagen_je_antrag']} Anlagen, "
        f"{e['clients']} gleichzeitige Clients"
    )
    zeilen = [
        ("Anträge/s (nur Annahme, OCR eingereiht)", e["antraege_je_s"]),
        ("Median je Antrag (ms)", e["median_ms"]),
        (f"p95 je Antrag (ms, Ziel < {e['ziel_p95_ms']})", e["p95_ms"]),
        ("Maximum (ms)", e["max_ms"]),
        ("erneute Zustellung p95 (ms)", e["wiederholung_p95_ms"]),
        ("alle einmal angenommen (201)", e["alle_201"]),
        ("erneut zugestellt: alle 200, gleiche Quittung",
         e["wiederholt_alle_200"] and e["gleiche_quittungen"]),
        ("Anträge / Vorgänge / Dokumente",
         f"{e['antraege_in_db']} / {e['vorgaenge_in_db']} / {e['dokumente_in_db']}"),
    ]  # fmt: skip
    for name, wert in zeilen:
        print(f"{name:<48}{wert!s:>16}")
    print(json.dumps(e, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--antraege", type=int, default=100, help="Anträge (Standard 100)")
    parser.add_argument("--clients", type=int, default=10, help="gleichzeitige Clients (10)")
    parser.add_argument(
        "--profil", type=int, default=0, metavar="N",
        help="statt des Laufs einen Antrag profilieren (SQL, N häufigste Anweisungen/Funktionen)",
    )  # fmt: skip
    parser.add_argument(
        "--profil-antraege", type=int, default=1, metavar="K",
        help="mit --profil: so viele Anträge hintereinander profilieren (Zahlen je Antrag)",
    )  # fmt: skip
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    from eakte.celery import app
    from eakte.common.mandantenbereich import systembereich

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    connection.settings_dict["TEST"]["NAME"] = "eakte_bench_eingang"
    alter_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with systembereich("Benchmark eingang"):
            if args.profil:
                _profil(args)
                return
            ergebnis = _lauf(args)
    finally:
        connection.close()
        connection.creation.destroy_test_db(alter_name, verbosity=0)
        app.control.purge()  # the OCR jobs of rows that are gone now
    _ausgeben(ergebnis)


if __name__ == "__main__":
    main()
