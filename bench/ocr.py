"""Benchmark of the OCR pipeline: pages per minute, overhead against bare OCRmyPDF, scaling.

On one multi-page scan (German text, 300 dpi, skewed, noisy, made by eakte.common.beispielscans):
1. bare `ocrmypdf` CLI with the pipeline's options on the file (the reference);
2. the whole pipeline with one real Celery worker process: upload → queue `ocr` → fertig;
3. throughput with K documents at once, one worker process versus two (`-c 2`);
4. peak memory (sum of RSS of the worker's process tree, sampled every 0.2 s).
Prints a table and, as its last line, one JSON object.

    make bench BENCH=ocr                           # 10 pages, 4 documents for the scaling
    make bench BENCH=ocr ARGS="--seiten 2 --dokumente 2"
"""

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eakte.settings")
QUEUE = f"bench-ocr-{uuid.uuid4().hex[:6]}"
os.environ["CELERY_OCR_QUEUE"] = QUEUE
BIN = Path(sys.executable).parent
ORDNER = Path(tempfile.mkdtemp(prefix="bench-ocr-"))
os.environ["MEDIA_ROOT"] = str(ORDNER / "dateien")  # before Django reads its settings


def _scan(seiten: int) -> bytes:
    from eakte.common import beispielscans as scans

    return scans.als_pdf(
        [scans.seite(scans.seed_zeilen(7, start=n * 7), seed=n) for n in range(seiten)]
    )


def _bare_ocrmypdf(pdf: Path, ordner: Path) -> float:
    befehl = [
        str(BIN / "ocrmypdf"),
        "-l",
        "deu+eng",
        "--output-type",
        "pdfa-2",
        "--pdfa-backend",
        "internal",
        "--rasterizer",
        "pypdfium",
        "--deskew",
        "--rotate-pages",
        "--skip-text",
        "-O",
        "1",
        "--jobs",
        "1",
        "-q",
        str(pdf),
        str(ordner / "bare.pdf"),
    ]
    start = time.perf_counter()
    subprocess.run(befehl, check=True, env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    return time.perf_counter() - start


def _bare_api(pdf: Path, ordner: Path) -> float:
    """The same options through OCRmyPDF's Python API in a warm process (no start-up cost)."""
    import ocrmypdf

    os.environ["OMP_THREAD_LIMIT"] = "1"
    start = time.perf_counter()
    ocrmypdf.ocr(
        pdf,
        ordner / "bare-api.pdf",
        language=["deu", "eng"],
        output_type="pdfa-2",
        pdfa_backend="internal",
        rasterizer="pypdfium",
        deskew=True,
        rotate_pages=True,
        skip_text=True,
        jbig2_lossy=False,
        optimize=1,
        jobs=1,
        progress_bar=False,
    )
    return time.perf_counter() - start


class Speicherwaechter(threading.Thread):
    """Peak of the summed RSS of all processes in one process group (the worker and children)."""

    def __init__(self, pgid: int):
        super().__init__(daemon=True)
        self.pgid, self.spitze_kb, self.aktiv = pgid, 0, True

    def run(self):
        while self.aktiv:
            summe = 0
            for eintrag in Path("/proc").iterdir():
                if not eintrag.name.isdigit():
                    continue
                try:
                    if os.getpgid(int(eintrag.name)) != self.pgid:
                        continue
                    for zeile in (eintrag / "status").read_text().splitlines():
                        if zeile.startswith("VmRSS:"):
                            summe += int(zeile.split()[1])
                except (OSError, ProcessLookupError, ValueError):
                    continue
            self.spitze_kb = max(self.spitze_kb, summe)
            time.sleep(0.2)


def _worker(db_url: str, ablage: Path, concurrency: int, log: Path) -> subprocess.Popen:
    from eakte.celery import app

    name = f"bench-{uuid.uuid4().hex[:6]}@{socket.gethostname()}"
    befehl = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "eakte",
        "worker",
        "-Q",
        QUEUE,
        "-c",
        str(concurrency),
        "-n",
        name,
        "--without-gossip",
        "--without-mingle",
        "-l",
        "warning",
    ]
    env = dict(os.environ, DATABASE_URL=db_url, MEDIA_ROOT=str(ablage), DATABASE_CONN_MAX_AGE="0")
    prozess = subprocess.Popen(
        befehl,
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    frist = time.monotonic() + 60
    while not app.control.ping(destination=[name], timeout=1):
        if time.monotonic() > frist or prozess.poll() is not None:
            raise RuntimeError(log.read_text()[-2000:])
    return prozess


def _stoppen(prozess: subprocess.Popen) -> None:
    prozess.terminate()
    try:
        prozess.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(prozess.pid, signal.SIGKILL)
        prozess.wait()


def _hochladen_und_warten(person, vorgang, inhalte: list[bytes]) -> float:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from eakte.akten import services
    from eakte.common.akteur import Akteur
    from eakte.ocr.models import Status, Verarbeitung

    start = time.perf_counter()
    ids = []
    for nummer, inhalt in enumerate(inhalte):
        version = services.dokument_hochladen(
            akteur=Akteur.person(person),
            vorgang=vorgang,
            datei=SimpleUploadedFile(f"scan{nummer}.pdf", inhalt),
        )
        ids.append(Verarbeitung.objects.get(datei=version.datei).pk)
    while True:
        stati = set(Verarbeitung.objects.filter(pk__in=ids).values_list("status", flat=True))
        if stati <= {Status.FERTIG, Status.FEHLER}:
            assert stati == {Status.FERTIG}, stati
            return time.perf_counter() - start
        time.sleep(0.1)


def _umgebung():
    """Bench Kommune, clerk and an open Vorgang under a leaf of a one-branch plan."""
    from aktenplan.models import Aktenplan
    from eakte.akten import services
    from eakte.common.akteur import Akteur
    from eakte.kommunen import services as kommunen_services
    from eakte.kommunen.models import Organisationseinheit
    from eakte.kommunen.rollen import Rolle

    verbund = kommunen_services.verbund_anlegen(name="Bench-Verbund", slug="bench")
    kommune = kommunen_services.kommune_anlegen_ungeprueft(
        verbund=verbund,
        name="Benchstadt",
        slug="benchstadt",
        ags="99999999",
        aktenzeichen_praefix="BEN",
    )
    oe = Organisationseinheit.objects.create(kommune=kommune, name="Bauamt", kuerzel="BA")
    person = kommunen_services.benutzer_anlegen_ungeprueft(
        kommune=kommune,
        username="bench.sb",
        email="sb@bench.invalid",
        password="Bench-Passwort-1",
        rollen=[Rolle.SACHBEARBEITUNG],
    )
    person.organisationseinheiten.add(oe)
    plan = Aktenplan.objects.create(verbund=verbund, name="Bench-Plan", stellen="1,1,2")
    from aktenplan.models import Aktenplaneinheit

    gruppe = Aktenplaneinheit.objects.create(
        aktenplan=plan,
        kennzeichen="6",
        titel="Bauwesen",
        aussonderungsart="B",
        sortierschluessel="6",
        ebene=1,
    )
    blatt = Aktenplaneinheit.objects.create(
        aktenplan=plan,
        parent=gruppe,
        kennzeichen="6.2",
        titel="Bauanträge",
        aussonderungsart="B",
        sortierschluessel="6.2",
        ebene=2,
        aufbewahrungsfrist=30,
    )
    akte = services.akte_anlegen(
        akteur=Akteur.person(person), aktenplaneinheit=blatt, betreff="Scans", federfuehrende_oe=oe
    )
    return person, services.vorgang_anlegen(
        akteur=Akteur.person(person), akte=akte, betreff="Posteingang"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seiten", type=int, default=10, help="Seiten des Scans (Standard 10)")
    parser.add_argument("--dokumente", type=int, default=4, help="Dokumente für die Skalierung")
    parser.add_argument("--wiederholungen", type=int, default=2, help="Läufe je Einzelmessung")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from eakte.common.mandantenbereich import systembereich

    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = "eakte_bench_ocr"
    alter_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with systembereich("Benchmark ocr"):
            ergebnis = _lauf(args)
    finally:
        connection.close()
        connection.creation.destroy_test_db(alter_name, verbosity=0)
    _ausgeben(args, ergebnis)


def _lauf(args) -> dict:
    from urllib.parse import urlsplit, urlunsplit

    from django.conf import settings

    ordner = ORDNER
    ablage = Path(os.environ["MEDIA_ROOT"])
    teile = urlsplit(os.environ["DATABASE_URL"])
    db_url = urlunsplit(teile._replace(path="/" + settings.DATABASES["default"]["NAME"]))
    person, vorgang = _umgebung()
    scan = _scan(args.seiten)
    (ordner / "scan.pdf").write_bytes(scan)

    bare = [_bare_ocrmypdf(ordner / "scan.pdf", ordner) for _ in range(args.wiederholungen)]
    bare_api = [_bare_api(ordner / "scan.pdf", ordner) for _ in range(args.wiederholungen)]

    # distinct bytes per upload (a trailing comment), so every upload is a new stored file
    def varianten(n):
        return [scan + f"\n% {uuid.uuid4()}\n".encode() for _ in range(n)]

    worker = _worker(db_url, ablage, 1, ordner / "worker1.log")
    waechter = Speicherwaechter(os.getpgid(worker.pid))
    waechter.start()
    try:
        pipeline = [
            _hochladen_und_warten(person, vorgang, varianten(1)) for _ in range(args.wiederholungen)
        ]
        einer = _hochladen_und_warten(person, vorgang, varianten(args.dokumente))
    finally:
        waechter.aktiv = False
        _stoppen(worker)
    worker = _worker(db_url, ablage, 2, ordner / "worker2.log")
    try:
        zwei = _hochladen_und_warten(person, vorgang, varianten(args.dokumente))
    finally:
        _stoppen(worker)

    bare_s, pipeline_s = statistics.median(bare), statistics.median(pipeline)
    api_s = statistics.median(bare_api)
    return {
        "seiten": args.seiten,
        "dokumente": args.dokumente,
        "bare_s": round(bare_s, 2),
        "pipeline_s": round(pipeline_s, 2),
        "bare_seiten_je_minute": round(args.seiten * 60 / bare_s, 1),
        "pipeline_seiten_je_minute": round(args.seiten * 60 / pipeline_s, 1),
        "overhead_prozent": round(100 * (pipeline_s - bare_s) / bare_s, 1),
        "bare_api_s": round(api_s, 2),
        "overhead_gegen_api_prozent": round(100 * (pipeline_s - api_s) / api_s, 1),
        "ein_prozess_s": round(einer, 2),
        "zwei_prozesse_s": round(zwei, 2),
        "skalierung_2_zu_1": round(einer / zwei, 2),
        "worker_spitze_rss_mb": round(waechter.spitze_kb / 1024, 1),
        "maschine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
    }


def _ausgeben(args, e: dict) -> None:
    n = e["dokumente"]
    zeilen = [
        ("ocrmypdf allein (Befehl, gleiche Optionen)", e["bare_s"], e["bare_seiten_je_minute"]),
        ("ocrmypdf allein (Python-API, warm)", e["bare_api_s"], ""),
        (
            "Pipeline: Hochladen bis fertig, 1 Worker",
            e["pipeline_s"],
            e["pipeline_seiten_je_minute"],
        ),
        (f"{n} Dokumente, 1 Worker-Prozess", e["ein_prozess_s"], ""),
        (f"{n} Dokumente, 2 Worker-Prozesse", e["zwei_prozesse_s"], ""),
    ]
    print(f"\nOCR-Benchmark: Scan mit {e['seiten']} Seiten (300 dpi), {args.wiederholungen} Läufe")
    print(f"{'Messpunkt':<46}{'Sekunden':>10}{'Seiten/min':>12}")
    for name, sekunden, tempo in zeilen:
        print(f"{name:<46}{sekunden:>10}{tempo:>12}")
    print(f"{'Mehraufwand gegen den Befehl':<46}{e['overhead_prozent']:>9} %")
    print(f"{'Mehraufwand gegen die warme Python-API':<46}{e['overhead_gegen_api_prozent']:>9} %")
    print(f"{'Durchsatz 2 Prozesse / 1 Prozess':<46}{e['skalierung_2_zu_1']:>10}")
    print(f"{'Spitze Speicher Worker (RSS, alle Prozesse)':<46}{e['worker_spitze_rss_mb']:>7} MB")
    print(json.dumps(e, ensure_ascii=False))


if __name__ == "__main__":
    main()
