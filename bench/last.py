"""Load test (issue 22): concurrent clerks against the production setup on loopback.

Creates a throw-away database (default eakte_last), fills one Kommune (bench/akten.py's
preparation: Verbund, Aktenplan, N Akten with Dokumente) and adds the clerks, then starts
gunicorn (production settings, `--workers` as documented) and a Celery worker (queues default
and ocr, so uploads are processed), and runs bench/last_locust.py with Locust headless once per
stage of concurrency. Prints per stage: throughput, errors, p50/p95 per request type; the knee
(the first stage whose p95 of the pages is at least twice the first stage's); and where the
server's time goes (sum of time per view from the app's own Prometheus histogram). Last line:
one JSON object.

    make bench BENCH=last                                   # 5, 10, 25, 50 clerks, 5 min at 50
    make bench BENCH=last ARGS="--stufen 5,25,50 --dauer 60 --stufendauer 30"   # reduced
"""

import argparse
import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eakte.settings")

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ZIEL_SEITEN_P95_MS = 300
ZIEL_SUCHE_P95_MS = 500
SEITEN = ("Startseite", "Meine Akten", "Akte", "Herunterladen")
TOKEN = "last-metriken-token"  # noqa: S105 (a throw-away server on loopback)


def _frei() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _personen_anlegen(anzahl: int, passwort: str) -> list[dict]:
    from eakte.akten.models import Akte, Version, Vorgang
    from eakte.kommunen import services as kommunen_services
    from eakte.kommunen.models import Kommune
    from eakte.kommunen.rollen import Rolle

    kommune = Kommune.objects.get(slug="benchstadt")
    oes = list(kommune.organisationseinheiten.order_by("id"))[:10]
    personen = []
    for nummer in range(anzahl):
        oe = oes[nummer % len(oes)]
        username = f"last.sb{nummer:03d}"
        kommunen_services.benutzer_anlegen_ungeprueft(
            kommune=kommune,
            username=username,
            email=f"{username}@bench.invalid",
            password=passwort,
            rollen=[Rolle.SACHBEARBEITUNG],
            organisationseinheiten=[oe],
        )
        akten = list(
            Akte.objects.filter(federfuehrende_oe=oe, zda_am__isnull=True).values_list(
                "uuid", flat=True
            )[:50]
        )
        personen.append(
            {
                "username": username,
                "akten": [str(u) for u in akten],
                "vorgaenge": [
                    str(u)
                    for u in Vorgang.objects.filter(akte__uuid__in=akten[:20]).values_list(
                        "uuid", flat=True
                    )[:20]
                ],
                "versionen": [
                    str(u)
                    for u in Version.objects.filter(
                        dokument__akte__uuid__in=akten[:20]
                    ).values_list("uuid", flat=True)[:20]
                ],
            }
        )
    return personen


def _warten_auf(url: str, frist: float = 90) -> None:
    ende = time.monotonic() + frist
    while time.monotonic() < ende:
        try:
            with urllib.request.urlopen(url, timeout=2) as antwort:  # noqa: S310
                if antwort.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} antwortet nicht")


def _stufe(host: str, nutzer: int, dauer: int, daten: Path, ordner: Path) -> dict:
    praefix = ordner / f"stufe_{nutzer}"
    lauf = subprocess.run(
        [PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "last_locust.py"), "--headless"]
        + ["-u", str(nutzer), "-r", str(max(1, nutzer // 5)), "-t", f"{dauer}s"]
        + ["--host", host, "--csv", str(praefix), "--only-summary", "--loglevel", "WARNING"],
        env=dict(os.environ, LAST_DATEN=str(daten)),
        capture_output=True,
        text=True,
        check=False,
    )
    zeilen = {}
    with open(f"{praefix}_stats.csv") as datei:
        for zeile in csv.DictReader(datei):
            zeilen[zeile["Name"]] = zeile
    fehler = []
    if Path(f"{praefix}_failures.csv").exists():
        with open(f"{praefix}_failures.csv") as datei:
            fehler = [
                f"{z['Name']}: {z['Error'][:120]} ({z['Occurrences']}×)"
                for z in csv.DictReader(datei)
            ]
    gesamt = zeilen.get("Aggregated", {})

    def wert(name, feld):
        return float(zeilen[name][feld]) if name in zeilen else None

    ergebnis = {
        "nutzer": nutzer,
        "dauer_s": dauer,
        "anfragen": int(float(gesamt.get("Request Count", 0))),
        "fehler": int(float(gesamt.get("Failure Count", 0))),
        "durchsatz_rps": round(float(gesamt.get("Requests/s", 0)), 1),
        "p50_ms": {n: wert(n, "50%") for n in zeilen if n != "Aggregated"},
        "p95_ms": {n: wert(n, "95%") for n in zeilen if n != "Aggregated"},
        "fehlerarten": fehler,
    }
    seiten = [zeilen[n] for n in SEITEN if n in zeilen]
    ergebnis["p95_seiten_ms"] = max((float(z["95%"]) for z in seiten), default=None)
    ergebnis["p95_suche_ms"] = wert("Suche", "95%")
    if lauf.returncode not in (0, 1):
        ergebnis["locust_fehler"] = lauf.stderr[-1500:]
    return ergebnis


def _zeit_je_view(host: str) -> list[tuple[str, float, int]]:
    anfrage = urllib.request.Request(  # noqa: S310 (loopback)
        f"{host}/metrics",
        headers={"Authorization": f"Bearer {TOKEN}", "X-Forwarded-Proto": "https"},
    )
    with urllib.request.urlopen(anfrage, timeout=10) as antwort:  # noqa: S310
        text = antwort.read().decode()
    summen, anzahlen = {}, {}
    for zeile in text.splitlines():
        treffer = re.match(r"eakte_anfrage_sekunden_(sum|count)\{(.*)\} ([0-9.e+-]+)$", zeile)
        if not treffer:
            continue
        view = re.search(r'view="([^"]*)"', treffer.group(2)).group(1)
        ziel = summen if treffer.group(1) == "sum" else anzahlen
        ziel[view] = ziel.get(view, 0.0) + float(treffer.group(3))
    return sorted(((v, s, int(anzahlen.get(v, 0))) for v, s in summen.items()), key=lambda x: -x[1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--nutzer", type=int, default=50, help="Sachbearbeitende (Hauptstufe)")
    parser.add_argument("--dauer", type=int, default=300, help="Sekunden der Hauptstufe")
    parser.add_argument("--stufen", default="5,10,25,50", help="Stufen für das Knie")
    parser.add_argument("--stufendauer", type=int, default=60, help="Sekunden je Stufe")
    parser.add_argument("--akten", type=int, default=2000)
    parser.add_argument("--gunicorn-worker", type=int, default=3, help="wie im Dockerfile")
    parser.add_argument("--datenbank", default="eakte_last")
    args = parser.parse_args()
    os.environ.pop("DATABASE_CONN_MAX_AGE", None)
    ordner = Path(tempfile.mkdtemp(prefix="eakte-last-"))
    os.environ["MEDIA_ROOT"] = str(ordner / "dateien")

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from bench import akten as akten_bench
    from eakte.common.mandantenbereich import systembereich
    from eakte.common.pdf import text_pdf

    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = args.datenbank
    alter_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    prozesse = []
    try:
        with systembereich("Lasttest"):
            akten_bench._vorbereiten(argparse.Namespace(akten=args.akten, dokumente=3 * args.akten))
            personen = _personen_anlegen(max(args.nutzer, 1), akten_bench.PASSWORT)
        pdf = ordner / "probe.pdf"
        pdf.write_bytes(text_pdf(["Antrag auf Baugenehmigung", "Hauptstraße 1, Lastprobe"]))
        daten = ordner / "daten.json"
        daten.write_text(
            json.dumps({"personen": personen, "passwort": akten_bench.PASSWORT, "pdf": str(pdf)})
        )
        connection.close()
        port = _frei()
        host = f"http://127.0.0.1:{port}"
        (ordner / "prometheus").mkdir()
        umgebung = dict(
            os.environ,
            DATABASE_URL=re.sub(r"/[^/]*$", f"/{args.datenbank}", os.environ["DATABASE_URL"]),
            ALLOWED_HOSTS="127.0.0.1",
            METRIKEN_TOKEN=TOKEN,
            PROMETHEUS_MULTIPROC_DIR=str(ordner / "prometheus"),
            CELERY_DEFAULT_QUEUE="last-default",
            CELERY_OCR_QUEUE="last-ocr",
            AXES_FAILURE_LIMIT="1000",
            SECURE_SSL_REDIRECT="false",
        )
        prozesse.append(
            subprocess.Popen(
                [PYTHON, "-m", "gunicorn", "eakte.wsgi:application", "--bind", f"127.0.0.1:{port}"]
                + ["--workers", str(args.gunicorn_worker), "--timeout", "60"],
                cwd=ROOT,
                env=umgebung,
                stdout=subprocess.DEVNULL,
                stderr=open(ordner / "gunicorn.log", "wb"),
                start_new_session=True,
            )  # fmt: skip
        )
        prozesse.append(
            subprocess.Popen(
                [PYTHON, "-m", "celery", "-A", "eakte", "worker", "-Q", "last-default,last-ocr"]
                + ["-c", "1", "-l", "warning", "--purge"],
                cwd=ROOT,
                env=umgebung,
                stdout=subprocess.DEVNULL,
                stderr=open(ordner / "worker.log", "wb"),
                start_new_session=True,
            )  # fmt: skip
        )
        _warten_auf(f"{host}/health/live")
        last_vorher = round(os.getloadavg()[0], 2)
        stufen = []
        for nutzer in [int(n) for n in args.stufen.split(",") if n]:
            dauer = args.dauer if nutzer == args.nutzer else args.stufendauer
            stufen.append(_stufe(host, nutzer, dauer, daten, ordner))
            print(f"Stufe {nutzer} Nutzer fertig: {stufen[-1]['durchsatz_rps']} Anfragen/s")
        zeit = _zeit_je_view(host)
        last_nachher = round(os.getloadavg()[0], 2)
    finally:
        for prozess in prozesse:
            try:
                os.killpg(prozess.pid, signal.SIGTERM)
                prozess.wait(20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(prozess.pid, signal.SIGKILL)
        connection.creation.destroy_test_db(alter_name, verbosity=0)

    basis = stufen[0]["p95_seiten_ms"] if stufen else None
    knie = next(
        (s["nutzer"] for s in stufen[1:] if basis and s["p95_seiten_ms"] >= 2 * basis), None
    )
    print(
        f"\nLasttest: {args.akten} Akten, {args.gunicorn_worker} gunicorn-Worker, 1 Celery-Worker, "
        f"Denkzeit 1–3 s; Last (1 min) vorher/nachher {last_vorher} / {last_nachher}, "
        f"{os.cpu_count()} Kerne"
    )
    namen = ["Startseite", "Meine Akten", "Akte", "Suche", "Hochladen", "Herunterladen"]
    print(
        f"{'Nutzer':>6}{'Dauer s':>8}{'Anfr.':>7}{'Fehler':>7}{'Anfr./s':>8}  "
        + "".join(f"{n[:12]:>14}" for n in namen)
    )
    for s in stufen:
        werte = "".join(
            f"{(s['p50_ms'].get(n) or 0):>6.0f}/{(s['p95_ms'].get(n) or 0):<7.0f}" for n in namen
        )
        print(
            f"{s['nutzer']:>6}{s['dauer_s']:>8}{s['anfragen']:>7}{s['fehler']:>7}"
            f"{s['durchsatz_rps']:>8}  {werte}"
        )
    print("(je Art: Median/p95 in ms)")
    for s in stufen:
        for art in s["fehlerarten"][:5]:
            print(f"  Fehler bei {s['nutzer']} Nutzern: {art}")
    print(
        f"Knie (p95 der Seiten ≥ 2 × p95 bei {stufen[0]['nutzer']} Nutzern): "
        f"{knie or 'nicht erreicht'}"
    )
    gesamt = sum(s for _, s, _ in zeit) or 1
    print("\nWo die Zeit des Servers bleibt (Summe je View, alle Stufen):")
    for view, summe, anzahl in [z for z in zeit if not z[0].startswith("health")][:10]:
        print(
            f"  {view:<40}{summe:>8.1f} s {100 * summe / gesamt:>5.1f} %  {anzahl:>6} Anfragen, "
            f"Mittel {1000 * summe / max(anzahl, 1):.0f} ms"
        )
    print(
        json.dumps(
            {
                "stufen": stufen,
                "knie": knie,
                "zeit_je_view": zeit[:15],
                "ziel_seiten_p95_ms": ZIEL_SEITEN_P95_MS,
                "ziel_suche_p95_ms": ZIEL_SUCHE_P95_MS,
                "last_vorher": last_vorher,
                "last_nachher": last_nachher,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
