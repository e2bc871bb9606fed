"""Load test (issue 22): concurrent clerks against the production setup on loopback.

Creates a throw-away database (default eakte_last), fills one Kommune (bench/akten.py's
preparation: Verbund, Aktenplan, N Akten with Dokumente) and adds the clerks, then starts
gunicorn (production settings, `--workers` as documented) and a Celery worker (queues default
and ocr, so uploads are processed), and runs bench/last_locust.py with Locust headless, once:
its load shape raises the clerks stage by stage, so each clerk logs in exactly once and stays
logged in. Prints per stage: throughput, errors, p50/p95 per request type (without the first
`--einschwingen` seconds of a stage, when its new clerks log in); the logins on their own; the
knee (the first stage whose p95 of the pages is at least twice the first stage's); and where the
server's time goes (sum of time per view from the app's own Prometheus histogram). Last line:
one JSON object. Needs Locust: `pip install -e ".[last]"`.

    make bench BENCH=last                                   # 5, 10, 25, 50 clerks, 5 min at 50
    make bench BENCH=last ARGS="--stufen 5,25,50 --dauer 60 --stufendauer 30"   # reduced
"""

import argparse
import json
import math
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
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


def _cpu(pid: int) -> float:
    """CPU seconds of a process and its waited-for children (tesseract, ghostscript …)."""
    try:
        felder = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(f) for f in felder[11:15]) / os.sysconf("SC_CLK_TCK")


def _sitzung(sid: int) -> list[int]:
    """Processes of a session (gunicorn or Celery with their workers)."""
    pids = []
    for eintrag in Path("/proc").iterdir():
        if eintrag.name.isdigit():
            try:
                felder = (eintrag / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(felder[3]) == sid:
                pids.append(int(eintrag.name))
    return pids


def _cpu_stand(prozesse: dict[str, int], datenbank: str) -> dict[str, dict[int, float]]:
    """CPU seconds so far per part: gunicorn, Celery, and the PostgreSQL backends of the
    bench's database (the other databases' backends on this machine are not counted)."""
    import psycopg

    stand = {name: {pid: _cpu(pid) for pid in _sitzung(sid)} for name, sid in prozesse.items()}
    try:
        adresse = re.sub(r"/[^/]*$", f"/{datenbank}", os.environ["DATABASE_URL"])
        with psycopg.connect(adresse, autocommit=True) as verbindung:
            pids = [
                z[0]
                for z in verbindung.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s", [datenbank]
                )
            ]
    except psycopg.Error:
        pids = []
    stand["PostgreSQL"] = {pid: _cpu(pid) for pid in pids}
    return stand


def _cpu_verbrauch(vorher: dict, nachher: dict) -> dict[str, float]:
    return {
        name: round(sum(t - vorher.get(name, {}).get(pid, 0.0) for pid, t in werte.items()), 1)
        for name, werte in nachher.items()
    }


def _perzentil(werte: list[float], anteil: float) -> float | None:
    """Nearest-rank percentile."""
    if not werte:
        return None
    werte = sorted(werte)
    return werte[max(0, math.ceil(anteil * len(werte)) - 1)]


def _locust_pruefen() -> None:
    """Locust is an optional extra: say what to install instead of failing later."""
    try:
        import locust  # noqa: F401
    except ImportError:
        sys.exit(
            "Der Lasttest braucht Locust, das nicht installiert ist. Bitte installieren mit\n"
            '    .venv/bin/pip install -e ".[last]"\n'
            "und den Lasttest dann erneut starten."
        )


def _lauf(host: str, stufen: list[tuple[int, int]], daten: Path, ordner: Path) -> Path:
    """One Locust run over all stages (load shape in last_locust.py): every clerk logs in once."""
    ergebnis = ordner / "anfragen.jsonl"
    gesamt = sum(dauer for _, dauer in stufen)
    lauf = subprocess.run(
        [PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "last_locust.py"), "--headless"]
        + ["--host", host, "--only-summary", "--loglevel", "WARNING"]
        + ["--stop-timeout", "10"],
        env=dict(
            os.environ,
            LAST_DATEN=str(daten),
            LAST_ERGEBNIS=str(ergebnis),
            LAST_STUFEN=",".join(f"{n}:{d}" for n, d in stufen),
        ),
        capture_output=True,
        text=True,
        check=False,
        timeout=gesamt + 300,
    )
    if lauf.returncode not in (0, 1) or not ergebnis.exists():
        sys.exit(
            f"Locust ist mit Code {lauf.returncode} abgebrochen, ohne Ergebnisse zu schreiben. "
            f"Ausgabe von Locust:\n{lauf.stderr[-4000:]}"
        )
    return ergebnis


def _stufen_auswerten(
    ergebnis: Path, stufen: list[tuple[int, int]], einschwingen: float
) -> tuple[list[dict], dict]:
    """Per stage: requests, errors (all), throughput and percentiles after the settling time.

    The first `einschwingen` seconds of a stage are left out of its times (the stage's new clerks
    log in then; PBKDF2 is meant to be slow); errors count over the whole stage. The logins are
    reported on their own.
    """
    eintraege = [json.loads(zeile) for zeile in ergebnis.read_text().splitlines() if zeile]
    auswertung = []
    for index, (nutzer, dauer) in enumerate(stufen):
        alle = [e for e in eintraege if e[0] == index]
        gemessen = [e for e in alle if e[1] >= einschwingen and not e[2].startswith("Anmelden")]
        zeiten: dict[str, list[float]] = {}
        for _stufe, _t, name, ms, _fehler in gemessen:
            zeiten.setdefault(name, []).append(ms)
        p95 = {n: _perzentil(w, 0.95) for n, w in zeiten.items()}
        seiten = [p95[n] for n in SEITEN if n in p95]
        auswertung.append(
            {
                "nutzer": nutzer,
                "dauer_s": dauer,
                "gemessen_s": max(dauer - einschwingen, 1),
                "anfragen": len(gemessen),
                "fehler": sum(1 for e in alle if e[4]),
                "fehlerarten": [
                    f"{name}: {text} ({anzahl}×)"
                    for (name, text), anzahl in Counter((e[2], e[4]) for e in alle if e[4]).items()
                ],
                "durchsatz_rps": round(len(gemessen) / max(dauer - einschwingen, 1), 1),
                "p50_ms": {n: _perzentil(w, 0.5) for n, w in zeiten.items()},
                "p95_ms": p95,
                "p95_seiten_ms": max(seiten, default=None),
                "p95_suche_ms": p95.get("Suche"),
            }
        )
    anmeldungen = [e[3] for e in eintraege if e[2] == "Anmelden"]
    anmelden = {
        "anzahl": len(anmeldungen),
        "fehler": sum(1 for e in eintraege if e[2] == "Anmelden" and e[4]),
        "p50_ms": _perzentil(anmeldungen, 0.5),
        "p95_ms": _perzentil(anmeldungen, 0.95),
    }
    return auswertung, anmelden


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
    parser.add_argument(
        "--gunicorn-threads", type=int, default=1,
        help="Threads je Worker (> 1: gthread, zum Vergleich; das Dockerfile nutzt 1)",
    )  # fmt: skip
    parser.add_argument(
        "--einschwingen", type=float, default=10,
        help="Sekunden am Anfang jeder Stufe, die nicht in die Zeiten eingehen (Anmeldungen)",
    )  # fmt: skip
    parser.add_argument("--datenbank", default="eakte_last")
    args = parser.parse_args()
    _locust_pruefen()
    plan = [
        (int(n), args.dauer if int(n) == args.nutzer else args.stufendauer)
        for n in args.stufen.split(",")
        if n
    ]
    if args.nutzer not in [n for n, _ in plan]:
        plan.append((args.nutzer, args.dauer))
    if [n for n, _ in plan] != sorted(n for n, _ in plan):
        sys.exit("Die Stufen müssen aufsteigen (niemand meldet sich ab und wieder an).")
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
                + ["--workers", str(args.gunicorn_worker), "--timeout", "60"]
                + ["--threads", str(args.gunicorn_threads)],
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
        print(f"Locust: {', '.join(f'{n} Nutzer {d} s' for n, d in plan)} ...", flush=True)
        teile = {"gunicorn": prozesse[0].pid, "Celery": prozesse[1].pid}
        cpu_vorher = _cpu_stand(teile, args.datenbank)
        locust_vorher = resource.getrusage(resource.RUSAGE_CHILDREN)
        beginn = time.monotonic()
        anfragen = _lauf(host, plan, daten, ordner)
        wanduhr = time.monotonic() - beginn
        locust_nachher = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = _cpu_verbrauch(cpu_vorher, _cpu_stand(teile, args.datenbank))
        cpu["Locust"] = round(
            locust_nachher.ru_utime + locust_nachher.ru_stime
            - locust_vorher.ru_utime - locust_vorher.ru_stime, 1
        )  # fmt: skip
        stufen, anmelden = _stufen_auswerten(anfragen, plan, args.einschwingen)
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
        f"\nLasttest: {args.akten} Akten, {args.gunicorn_worker} gunicorn-Worker × "
        f"{args.gunicorn_threads} Threads, 1 Celery-Worker, Denkzeit 1–3 s, jede Person meldet "
        f"sich einmal an; Last (1 min) vorher/nachher {last_vorher} / {last_nachher}, "
        f"{os.cpu_count()} Kerne; Zeiten ohne die ersten {args.einschwingen:.0f} s jeder Stufe"
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
        f"Anmelden (einmal je Person, nicht in den Seiten): {anmelden['anzahl']}×, "
        f"{anmelden['fehler']} Fehler, Median {anmelden['p50_ms'] or 0:.0f} ms, "
        f"p95 {anmelden['p95_ms'] or 0:.0f} ms"
    )
    print(
        f"Knie (p95 der Seiten ≥ 2 × p95 bei {stufen[0]['nutzer']} Nutzern): "
        f"{knie or 'nicht erreicht'}"
    )
    print(
        f"\nCPU-Sekunden während des Laufs ({wanduhr:.0f} s Wanduhr, {os.cpu_count()} Kerne = "
        f"{wanduhr * (os.cpu_count() or 1):.0f} CPU-s): "
        + ", ".join(f"{name} {sek:.0f} s ({sek / wanduhr:.2f} Kerne)" for name, sek in cpu.items())
        + f"; Rest (andere Prozesse der Maschine) "
        f"{max(0.0, wanduhr * (os.cpu_count() or 1) - sum(cpu.values())):.0f} s höchstens"
    )
    zeit = [z for z in zeit if not z[0].startswith("health")]  # the start-up's readiness polls
    gesamt = sum(s for _, s, _ in zeit) or 1
    print("\nWo die Zeit des Servers bleibt (Summe je View, alle Stufen mit Anmeldungen):")
    for view, summe, anzahl in zeit[:10]:
        print(
            f"  {view:<40}{summe:>8.1f} s {100 * summe / gesamt:>5.1f} %  {anzahl:>6} Anfragen, "
            f"Mittel {1000 * summe / max(anzahl, 1):.0f} ms"
        )
    print(
        json.dumps(
            {
                "stufen": stufen,
                "knie": knie,
                "anmelden": anmelden,
                "cpu_s": cpu,
                "wanduhr_s": round(wanduhr, 1),
                "gunicorn": [args.gunicorn_worker, args.gunicorn_threads],
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
