"""Where a page's time goes (issue 22), without a load run: Django's test client on the
production settings (DEBUG off, the same middleware), one clerk of bench/last.py's data (one
Kommune, 2,000 Akten, 6,000 Dokumente), each page of the load mix repeated: median time, SQL
queries per request, and with --profil the functions that cost most (cProfile, cumulative).

Independent of how busy the machine is in one respect: the query counts are exact; the times
are medians of --wiederholungen runs of a single request and rise with the machine's load;
"Aufrufe" (Python function calls of one request, counted by cProfile) does not depend on the
load and is the figure to compare before and after a change.

    make bench BENCH=seiten                         # fresh database eakte_seiten, dropped after
    make bench BENCH=seiten ARGS="--profil Akte --behalten"   # keep the database for next time
    make bench BENCH=seiten ARGS="--wiederverwenden"          # use the kept database
"""

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eakte.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("CELERY_DEFAULT_QUEUE", "seiten-default")  # no worker takes these
os.environ.setdefault("CELERY_OCR_QUEUE", "seiten-ocr")


def _seiten(person: dict, pdf: bytes) -> list[tuple[str, str, dict]]:
    akte, vorgang, version = person["akten"][0], person["vorgaenge"][0], person["versionen"][0]
    return [
        ("Startseite", "/", {}),
        ("Meine Akten", "/akten/", {}),
        ("Akte", f"/akten/{akte}/", {}),
        ("Vorgang", f"/akten/vorgaenge/{vorgang}/", {}),
        ("Suche", "/suche/?q=Antrag", {}),
        ("Herunterladen", f"/akten/versionen/{version}/datei/", {}),
        ("Hochladen", f"/akten/vorgaenge/{vorgang}/hochladen/", {"pdf": pdf}),
    ]


def _anfrage(client, pfad: str, extra: dict):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if "pdf" in extra:
        datei = SimpleUploadedFile("Lastprobe.pdf", extra["pdf"], "application/pdf")
        antwort = client.post(pfad, {"typ": "eingang", "dateien": datei}, secure=True)
        erwartet = 302
    else:
        antwort = client.get(pfad, secure=True)
        erwartet = 200
    if antwort.status_code != erwartet:
        raise SystemExit(f"{pfad}: Status {antwort.status_code} statt {erwartet}")
    if getattr(antwort, "streaming", False):
        b"".join(antwort.streaming_content)
    return antwort


def _profil(client, pfad: str, extra: dict, sortierung: str, zeilen: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        _anfrage(client, pfad, extra)
    profiler.disable()
    ausgabe = io.StringIO()
    pstats.Stats(profiler, stream=ausgabe).sort_stats(sortierung).print_stats(zeilen)
    print(ausgabe.getvalue())


def _warteschlangen_leeren() -> None:
    """The uploads' jobs went to queues no worker reads: drop them."""
    from eakte.celery import app

    with app.connection_for_write() as verbindung:
        for name in (os.environ["CELERY_DEFAULT_QUEUE"], os.environ["CELERY_OCR_QUEUE"]):
            verbindung.default_channel.queue_purge(name)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--akten", type=int, default=2000)
    parser.add_argument("--wiederholungen", type=int, default=15)
    parser.add_argument("--profil", default="", help="Seiten, kommagetrennt, oder 'alle'")
    parser.add_argument("--zeilen", type=int, default=30, help="Zeilen je Profil")
    parser.add_argument("--sortierung", default="cumulative", help="cumulative oder tottime")
    parser.add_argument("--sql", default="", help="Seiten, deren SQL gezeigt wird, oder 'alle'")
    parser.add_argument("--datenbank", default="eakte_seiten")
    parser.add_argument("--behalten", action="store_true", help="Datenbank nicht löschen")
    parser.add_argument(
        "--wiederverwenden", action="store_true", help="die mit --behalten erhaltene Datenbank"
    )
    args = parser.parse_args()
    # the files stay beside a kept database (--behalten / --wiederverwenden)
    os.environ["MEDIA_ROOT"] = str(Path(tempfile.gettempdir()) / f"{args.datenbank}-dateien")

    import django

    django.setup()
    import json

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import akten as akten_bench
    from bench.last import _personen_anlegen
    from eakte.common.mandantenbereich import systembereich
    from eakte.common.pdf import text_pdf

    connection.settings_dict["TEST"]["NAME"] = args.datenbank
    daten = Path(tempfile.gettempdir()) / f"{args.datenbank}.json"
    if args.wiederverwenden:
        alter_name = connection.settings_dict["NAME"]
        connection.close()
        connection.settings_dict["NAME"] = args.datenbank
        person = json.loads(daten.read_text())
    else:
        alter_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        with systembereich("Seitenprofil"):
            akten_bench._vorbereiten(argparse.Namespace(akten=args.akten, dokumente=3 * args.akten))
            person = _personen_anlegen(1, akten_bench.PASSWORT)[0]
        daten.write_text(json.dumps(person))
    pdf = text_pdf(["Antrag auf Baugenehmigung", "Hauptstraße 1, Lastprobe"])
    profil = {s.strip() for s in args.profil.split(",") if s.strip()}
    sql = {s.strip() for s in args.sql.split(",") if s.strip()}
    try:
        client = Client()
        client.force_login(get_user_model().objects.get(username=person["username"]))
        print(
            f"\n{'Seite':<15}{'Median ms':>10}{'min ms':>8}{'CPU ms':>8}{'Aufrufe':>10}{'SQL':>5}  "
            f"(production settings, {args.wiederholungen} Wiederholungen, "
            f"Last {os.getloadavg()[0]:.2f})"
        )
        for name, pfad, extra in _seiten(person, pdf):
            for _ in range(2):
                _anfrage(client, pfad, extra)
            zeiten, cpu = [], []
            for _ in range(args.wiederholungen):
                beginn, cpu_beginn = time.perf_counter(), time.process_time()
                _anfrage(client, pfad, extra)
                zeiten.append(1000 * (time.perf_counter() - beginn))
                cpu.append(1000 * (time.process_time() - cpu_beginn))
            with CaptureQueriesContext(connection) as abfragen:
                _anfrage(client, pfad, extra)
            abfragen = abfragen.captured_queries  # the next request empties the log
            zaehler = cProfile.Profile()
            zaehler.runcall(_anfrage, client, pfad, extra)
            aufrufe = pstats.Stats(zaehler).total_calls
            print(
                f"{name:<15}{statistics.median(zeiten):>10.1f}{min(zeiten):>8.1f}"
                f"{statistics.median(cpu):>8.1f}{aufrufe:>10}{len(abfragen):>5}"
            )
            if name in profil or "alle" in profil:
                _profil(client, pfad, extra, args.sortierung, args.zeilen)
            if name in sql or "alle" in sql:
                for abfrage in abfragen:
                    print(f"  {abfrage['time']:>6} s  {abfrage['sql'][:400]}")
    finally:
        _warteschlangen_leeren()
        connection.close()
        if not args.behalten:
            connection.creation.destroy_test_db(alter_name, verbosity=0)
            shutil.rmtree(os.environ["MEDIA_ROOT"], ignore_errors=True)
            daten.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
