"""Benchmark of office files and e-mails: throughput of a mixed batch with two workers.

The batch (issue 15): 50 DOCX letters, 20 XLSX sheets and 30 e-mails (.eml), each mail with a
PDF and a DOCX attached (the attachments become Dokumente and are converted too). Every file is
distinct (the letters and sheets are variants of one LibreOffice-made file with a numbered word).
Two real Celery worker processes (`-c 1` each, as two machines or two cores would run them)
consume the queue. Measured:
- documents per minute, from the first upload until every processing is finished;
- the peak memory of each worker, the worker and all its children (LibreOffice included),
  sampled every 0.2 s with psutil;
- how many soffice.bin processes (alive, not zombies) each worker has at once, how many it
  started, and how many stay after the batch: the
  pipeline starts one soffice per conversion and ends it with it, so the pool size is 0 and
  nothing may stay resident between jobs.
Prints a table and, as its last line, one JSON object.

    make bench BENCH=dokumente                     # the full batch (50 + 20 + 30)
    make bench BENCH=dokumente ARGS="--anteil 0.2"   # 10 + 4 + 6, for a busy machine
"""

import argparse
import io
import json
import os
import platform
import statistics
import sys
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import ocr as ocr_bench  # noqa: E402  (sets queue and file store before Django)


def _variante(inhalt: bytes, alt: str, neu: str) -> bytes:
    """The ZIP-based office file `inhalt` with `alt` replaced by `neu` in its XML parts."""
    quelle = zipfile.ZipFile(io.BytesIO(inhalt))
    puffer = io.BytesIO()
    ersetzt = 0
    with zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED) as ziel:
        for eintrag in quelle.infolist():
            daten = quelle.read(eintrag)
            if eintrag.filename.endswith(".xml"):
                ersetzt += daten.count(alt.encode())
                daten = daten.replace(alt.encode(), neu.encode())
            ziel.writestr(eintrag, daten)
    if not ersetzt:
        raise RuntimeError(f"„{alt}“ steht nicht im XML der Datei: die Varianten wären gleich")
    return puffer.getvalue()


def stapel(anteil: float) -> list[tuple[str, bytes]]:
    from eakte.common.pdf import text_pdf
    from tests.ocr import beispieldateien as beispiele

    brief = beispiele.office_datei("docx", "Platzhalterwort")
    tabelle = beispiele.office_datei("xlsx", "Platzhalterwort")
    dateien = []
    for n in range(round(50 * anteil)):
        dateien.append((f"Brief {n}.docx", _variante(brief, "Platzhalterwort", f"Brief{n}x")))
    for n in range(round(20 * anteil)):
        dateien.append((f"Tabelle {n}.xlsx", _variante(tabelle, "Platzhalterwort", f"Blatt{n}x")))
    for n in range(round(30 * anteil)):
        anlagen = [
            ("Lageplan.pdf", text_pdf([f"Lageplan zur Mail {n}"] * 30), "application/pdf"),
            (
                "Stellungnahme.docx",
                _variante(brief, "Platzhalterwort", f"Anlage{n}x"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
        ]
        inhalt = beispiele.email(
            betreff=f"Bauantrag {n}", text=f"Mail Nummer {n} mit Anlagen.", anlagen=anlagen
        )
        dateien.append((f"Mail {n}.eml", inhalt))
    return dateien


class Waechter(threading.Thread):
    """Peak RSS of one worker with all its children (psutil), and its soffice processes."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        import psutil

        self.prozess = psutil.Process(pid)
        self.spitze_kb, self.soffice_spitze, self.soffice_jetzt, self.aktiv = 0, 0, 0, True
        self.soffice_pids, self.umwandlungen_spitze = set(), 0

    def messen(self) -> None:
        import psutil

        summe, soffice, ordner = 0, 0, set()
        try:
            baum = [self.prozess, *self.prozess.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        for prozess in baum:
            try:
                summe += prozess.memory_info().rss // 1024
                if prozess.name() == "soffice.bin" and prozess.status() != psutil.STATUS_ZOMBIE:
                    # LibreOffice itself (not its launcher), alive; on a fresh profile it
                    # restarts itself as its own child, so conversions are counted by the job's
                    # working folder in the command line
                    self.soffice_pids.add(prozess.pid)
                    ordner.update(t for t in prozess.cmdline() if "eakte-ocr-" in t)
                    soffice += 1
            except psutil.NoSuchProcess:
                continue
        self.spitze_kb = max(self.spitze_kb, summe)
        umwandlungen = len({Path(t).parent for t in ordner if t.startswith("/")})
        self.soffice_jetzt = soffice
        self.soffice_spitze = max(self.soffice_spitze, soffice)
        self.umwandlungen_spitze = max(self.umwandlungen_spitze, umwandlungen)

    def run(self):
        while self.aktiv:
            self.messen()
            time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--anteil", type=float, default=1.0, help="Anteil des Stapels 50/20/30 (Standard 1.0)"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from eakte.common.mandantenbereich import systembereich

    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = "eakte_bench_dokumente"
    alter_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with systembereich("Benchmark dokumente"):
            ergebnis = _lauf(args)
    finally:
        connection.close()
        connection.creation.destroy_test_db(alter_name, verbosity=0)
    _ausgeben(ergebnis)


def _lauf(args) -> dict:
    from urllib.parse import urlsplit, urlunsplit

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from eakte.akten import services
    from eakte.common.akteur import Akteur
    from eakte.ocr.models import Status, Verarbeitung

    ablage = Path(os.environ["MEDIA_ROOT"])
    teile = urlsplit(os.environ["DATABASE_URL"])
    db_url = urlunsplit(teile._replace(path="/" + settings.DATABASES["default"]["NAME"]))
    person, vorgang = ocr_bench._umgebung()
    dateien = stapel(args.anteil)
    last_vorher = os.getloadavg()

    worker = [ocr_bench._worker(db_url, ablage, 1, ocr_bench.ORDNER / f"w{n}.log") for n in (1, 2)]
    waechter = [Waechter(w.pid) for w in worker]
    for w in waechter:
        w.start()
    try:
        start = time.perf_counter()
        for name, inhalt in dateien:
            services.dokument_hochladen(
                akteur=Akteur.person(person),
                vorgang=vorgang,
                datei=SimpleUploadedFile(name, inhalt),
            )
        mails = sum(1 for name, _ in dateien if name.endswith(".eml"))
        erwartet = len(dateien) + 2 * mails  # each mail brings two attachments
        while True:
            stati = list(Verarbeitung.objects.values_list("status", flat=True))
            if len(stati) >= erwartet and set(stati) <= {Status.FERTIG, Status.FEHLER}:
                break
            time.sleep(0.2)
        dauer = time.perf_counter() - start
        time.sleep(2)  # anything that would stay resident is still there now
        for w in waechter:
            w.messen()
        soffice_danach = [w.soffice_jetzt for w in waechter]
    finally:
        for w in waechter:
            w.aktiv = False
        for w in worker:
            ocr_bench._stoppen(w)
    fehler = sum(1 for s in stati if s == Status.FEHLER)
    dauern = [
        (v.fertig_am - v.gestartet_am).total_seconds()
        for v in Verarbeitung.objects.exclude(gestartet_am=None)
    ]
    return {
        "briefe_docx": round(50 * args.anteil),
        "tabellen_xlsx": round(20 * args.anteil),
        "emails": mails,
        "verarbeitungen": len(stati),
        "fehler": fehler,
        "dauer_s": round(dauer, 1),
        "dokumente_je_minute": round(len(stati) * 60 / dauer, 1),
        "hochgeladene_je_minute": round(len(dateien) * 60 / dauer, 1),
        "median_je_verarbeitung_s": round(statistics.median(dauern), 2),
        "worker_spitze_rss_mb": [round(w.spitze_kb / 1024, 1) for w in waechter],
        "soffice_gleichzeitig_je_worker": [w.soffice_spitze for w in waechter],
        "umwandlungen_gleichzeitig_je_worker": [w.umwandlungen_spitze for w in waechter],
        "soffice_nach_dem_stapel": soffice_danach,
        "soffice_pool": 0,
        "soffice_gestartet_je_worker": [len(w.soffice_pids) for w in waechter],
        "last_vorher": [round(x, 2) for x in last_vorher],
        "last_nachher": [round(x, 2) for x in os.getloadavg()],
        "maschine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
    }


def _ausgeben(e: dict) -> None:
    print(
        f"\nDokumente-Benchmark: {e['briefe_docx']} DOCX, {e['tabellen_xlsx']} XLSX, "
        f"{e['emails']} E-Mails mit je 2 Anlagen; 2 Worker-Prozesse"
    )
    zeilen = [
        ("Verarbeitungen (mit Anlagen)", e["verarbeitungen"]),
        ("davon Fehler", e["fehler"]),
        ("Dauer, s", e["dauer_s"]),
        ("Dokumente je Minute", e["dokumente_je_minute"]),
        ("hochgeladene Dateien je Minute", e["hochgeladene_je_minute"]),
        ("Median je Verarbeitung, s", e["median_je_verarbeitung_s"]),
        ("Spitze RSS je Worker (mit Kindern), MB", e["worker_spitze_rss_mb"]),
        ("soffice.bin gleichzeitig je Worker (höchstens)", e["soffice_gleichzeitig_je_worker"]),
        ("davon Umwandlungen gleichzeitig (höchstens)", e["umwandlungen_gleichzeitig_je_worker"]),
        ("soffice.bin gestartet je Worker", e["soffice_gestartet_je_worker"]),
        ("soffice nach dem Stapel (Pool 0)", e["soffice_nach_dem_stapel"]),
        ("Last (1/5/15 min) vorher", e["last_vorher"]),
        ("Last (1/5/15 min) nachher", e["last_nachher"]),
    ]
    for name, wert in zeilen:
        print(f"{name:<46}{wert!s:>22}")
    print(json.dumps(e, ensure_ascii=False))


if __name__ == "__main__":
    main()
