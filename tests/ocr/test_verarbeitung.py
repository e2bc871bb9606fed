"""The pipeline end to end with the real Celery worker: upload → queue `ocr` → fertig / fehler."""

import io
import os
import signal

import pytest
import redis
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from eakte.akten import dateien, services
from eakte.akten.models import Datei
from eakte.common import beispielscans as scans
from eakte.common.pdf import text_pdf
from eakte.ocr import services as ocr_services
from eakte.ocr.models import Status, Verarbeitung
from tests.conftest import _beenden, worker_starten
from tests.hilfen import akteur_von, warten_bis

pytestmark = pytest.mark.worker


def warten(verarbeitung, bis=(Status.FERTIG, Status.FEHLER), frist=120, worker=None):
    def erreicht():
        verarbeitung.refresh_from_db()
        return verarbeitung.status in bis

    log = (lambda: worker.log.read_text()[-3000:]) if worker else (lambda: "")
    warten_bis(erreicht, sekunden=frist, was=lambda: f"Status {verarbeitung.status}\n{log()}")
    return verarbeitung


def broker_ohne_auftraege(queue: str) -> bool:
    """Nothing of `queue` waits in Redis, neither queued nor delivered-but-unacknowledged: no
    further delivery of a finished job can come."""
    verbindung = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    return verbindung.llen(queue) == 0 and verbindung.hlen("unacked") == 0


def hochladen(person, vorgang, name, inhalt):
    version = services.dokument_hochladen(
        akteur=akteur_von(person), vorgang=vorgang, datei=SimpleUploadedFile(name, inhalt)
    )
    return version, Verarbeitung.objects.get(datei=version.datei)


def test_scan_wird_im_worker_erkannt_und_das_original_bleibt(
    transactional_db, celery_worker_prozess, vorgang, sachbearbeitung
):
    scan = scans.als_pdf(
        [scans.seite(scans.BEISPIELTEXT), scans.seite(scans.seed_zeilen(5), seed=4)]
    )
    version, verarbeitung = hochladen(sachbearbeitung, vorgang, "Scan 0815.pdf", scan)
    assert verarbeitung.status == Status.WARTET and verarbeitung.seiten == 2
    warten(verarbeitung, worker=celery_worker_prozess)
    assert verarbeitung.status == Status.FERTIG, verarbeitung.meldung
    assert verarbeitung.verfahren == "ocr" and verarbeitung.seiten == 2 and verarbeitung.seite == 2
    assert "Kita-Gebühren" in verarbeitung.text and "Digitalstrategie" in verarbeitung.text
    with dateien.oeffnen(version.datei) as original:
        assert original.read() == scan  # the original is untouched
    with dateien.oeffnen(verarbeitung.archiv) as archiv:
        assert archiv.read(5) == b"%PDF-"
    vermerk = verarbeitung.transfervermerk
    assert vermerk["sha256_original"] == version.datei.sha256
    assert vermerk["sha256_archiv"] == verarbeitung.archiv.sha256
    assert vermerk["seiten"] == 2 and "Tesseract" in vermerk["engine"]


def test_gleicher_inhalt_wird_nur_einmal_erkannt(
    transactional_db, celery_worker_prozess, vorgang, sachbearbeitung
):
    inhalt = text_pdf(["Gleicher Inhalt, zweimal hochgeladen"])
    erste, verarbeitung = hochladen(sachbearbeitung, vorgang, "a.pdf", inhalt)
    warten(verarbeitung, worker=celery_worker_prozess)
    zweite, dieselbe = hochladen(sachbearbeitung, vorgang, "b.pdf", inhalt)
    assert dieselbe.pk == verarbeitung.pk and dieselbe.status == Status.FERTIG
    assert dieselbe.versuche == 1


def test_textebene_wird_ohne_ocr_uebernommen(
    transactional_db, celery_worker_prozess, vorgang, sachbearbeitung
):
    inhalt = text_pdf(["Stellungnahme zum Bebauungsplan Nr. 47 der Stadt Michelstadt"])
    _, verarbeitung = hochladen(sachbearbeitung, vorgang, "Stellungnahme.pdf", inhalt)
    warten(verarbeitung, worker=celery_worker_prozess)
    assert verarbeitung.verfahren == "textebene" and verarbeitung.archiv is None
    assert "Bebauungsplan Nr. 47" in verarbeitung.text
    assert verarbeitung.vorschaubild is not None
    assert verarbeitung.vorschaubild.mime_typ == "image/png"
    with dateien.oeffnen(verarbeitung.vorschaubild) as bild:
        assert bild.read(8) == b"\x89PNG\r\n\x1a\n"


def _verschluesselt() -> bytes:
    schreiber = PdfWriter(clone_from=io.BytesIO(text_pdf(["Vertraulich"])))
    schreiber.encrypt(user_password="geheim", algorithm="RC4-128")
    puffer = io.BytesIO()
    schreiber.write(puffer)
    return puffer.getvalue()


def test_verschluesselte_pdf_endet_in_dauerhaftem_fehler_ohne_wiederholung(
    transactional_db, celery_worker_prozess, vorgang, sachbearbeitung, kollegin_andere_oe
):
    version, verarbeitung = hochladen(sachbearbeitung, vorgang, "geschuetzt.pdf", _verschluesselt())
    warten(verarbeitung, worker=celery_worker_prozess)
    assert verarbeitung.status == Status.FEHLER and verarbeitung.dauerhaft
    assert (
        "Passwort" in verarbeitung.meldung and "Original bleibt gespeichert" in verarbeitung.meldung
    )
    with dateien.oeffnen(version.datei) as original:
        assert original.read(5) == b"%PDF-"
    with pytest.raises(PermissionDenied):
        ocr_services.erneut_versuchen(akteur=akteur_von(kollegin_andere_oe), version=version)
    # the file itself is the problem: a retry would end the same way
    with pytest.raises(ValidationError, match="genauso enden"):
        ocr_services.erneut_versuchen(akteur=akteur_von(sachbearbeitung), version=version)
    verarbeitung.refresh_from_db()
    assert verarbeitung.status == Status.FEHLER and verarbeitung.versuche == 1


def test_abgebrochener_worker_wird_von_neuem_worker_genau_einmal_beendet(
    transactional_db,
    celery_worker_prozess,
    vorgang,
    sachbearbeitung,
    tmp_path,
    dateiablage,
    settings,
):
    """SIGKILL the whole worker mid-job; a new worker gets the unacknowledged job again."""
    from eakte.celery import app

    app.control.cancel_consumer(
        settings.OCR_QUEUE, destination=[celery_worker_prozess.hostname], reply=True
    )
    kurz = {
        "CELERY_VISIBILITY_TIMEOUT": "8",
        "CELERY_RESTORE_INTERVAL": "2",
        "CELERY_RESTORE_THROTTLE": "1",
    }
    erster = worker_starten(tmp_path, dateiablage, queues=[settings.OCR_QUEUE], **kurz)
    zweiter = None
    try:
        seiten = [scans.seite(scans.seed_zeilen(7, start=i * 7), seed=i) for i in range(4)]
        version, verarbeitung = hochladen(
            sachbearbeitung, vorgang, "Stapel.pdf", scans.als_pdf(seiten)
        )
        warten(verarbeitung, bis=(Status.LAEUFT,), worker=erster)
        # in the middle of the OCR of page 2 or later
        warten_bis(lambda: Verarbeitung.objects.get(pk=verarbeitung.pk).seite >= 1, sekunden=120)
        os.killpg(erster.process.pid, signal.SIGKILL)
        erster.process.wait()
        verarbeitung.refresh_from_db()
        assert verarbeitung.status == Status.LAEUFT and verarbeitung.archiv is None
        zweiter = worker_starten(tmp_path, dateiablage, queues=[settings.OCR_QUEUE], **kurz)
        warten(verarbeitung, bis=(Status.FERTIG,), frist=180, worker=zweiter)
        # the job is acknowledged and nothing is left to deliver: a second run cannot come
        warten_bis(lambda: broker_ohne_auftraege(settings.OCR_QUEUE), sekunden=30)
        verarbeitung.refresh_from_db()
        assert verarbeitung.status == Status.FERTIG and verarbeitung.versuche == 2
        assert verarbeitung.seiten == 4 and "Brombachtal" in verarbeitung.text
        # original, one archive version, one thumbnail: the killed run left nothing behind
        assert Datei.objects.filter(kommune=version.kommune).count() == 3
        assert Verarbeitung.objects.filter(datei=version.datei).count() == 1
    finally:
        _beenden(erster.process)
        if zweiter:
            _beenden(zweiter.process)
        app.control.add_consumer(
            settings.OCR_QUEUE, destination=[celery_worker_prozess.hostname], reply=True
        )


@pytest.mark.echte_uhr  # the age of working folders is their mtime
def test_auftrag_ohne_worker_nimmt_der_wachhund_mit_den_standardeinstellungen_wieder_auf(
    transactional_db,
    celery_worker_prozess,
    vorgang,
    sachbearbeitung,
    client_als,
    tmp_path,
    dateiablage,
    settings,
):
    """kill -9 of the worker mid-job with the broker's default visibility timeout (2 hours):
    the job's sign of life stops, the page says so, the watchdog (run here as the beat runs it)
    queues it again, a new worker finishes it and removes the killed job's working folder."""
    import tempfile
    from pathlib import Path

    from django.urls import reverse

    from eakte.celery import app

    settings.OCR_VERWAIST_NACH = 4
    app.control.cancel_consumer(
        settings.OCR_QUEUE, destination=[celery_worker_prozess.hostname], reply=True
    )
    erster = worker_starten(
        tmp_path, dateiablage, queues=[settings.OCR_QUEUE], OCR_LEBENSZEICHEN="1"
    )
    zweiter = None
    try:
        seiten = [scans.seite(scans.seed_zeilen(7, start=i * 7), seed=i) for i in range(4)]
        version, verarbeitung = hochladen(
            sachbearbeitung, vorgang, "Stapel.pdf", scans.als_pdf(seiten)
        )
        warten_bis(lambda: Verarbeitung.objects.get(pk=verarbeitung.pk).seite >= 1, sekunden=120)
        verarbeitung.refresh_from_db()
        pid = int(verarbeitung.worker.rsplit(":", 1)[1])
        ordner = list(Path(tempfile.gettempdir()).glob(f"eakte-ocr-{pid}-*"))
        assert len(ordner) == 1 and (ordner[0] / "original").exists()
        # OCRmyPDF's work folder lies inside it, not loose in /tmp
        assert list((ordner[0] / "tmp").glob("ocrmypdf*"))
        erstes_zeichen = verarbeitung.lebenszeichen
        warten_bis(
            lambda: Verarbeitung.objects.get(pk=verarbeitung.pk).lebenszeichen > erstes_zeichen,
            sekunden=10,
        )  # the sign of life comes while the job runs

        os.killpg(erster.process.pid, signal.SIGKILL)
        erster.process.wait()
        assert ordner[0].exists()  # nobody removed it: the job was killed
        assert ocr_services.verwaiste_aufnehmen() == 0  # not yet: the last sign is fresh
        status = reverse("ocr:status", kwargs={"version_uuid": version.uuid})
        client = client_als(sachbearbeitung)
        warten_bis(lambda: "meldet sich seit" in client.get(status).content.decode(), sekunden=15)

        assert ocr_services.verwaiste_aufnehmen() == 1
        verarbeitung.refresh_from_db()
        assert verarbeitung.status == Status.WARTET
        assert "automatisch neu gestartet" in client.get(status).content.decode()

        zweiter = worker_starten(tmp_path, dateiablage, queues=[settings.OCR_QUEUE])
        warten(verarbeitung, bis=(Status.FERTIG,), frist=180, worker=zweiter)
        assert verarbeitung.versuche == 2 and verarbeitung.meldung == ""
        assert verarbeitung.seiten == 4 and "Brombachtal" in verarbeitung.text
        assert not ordner[0].exists()  # the new worker removed it when it started
        assert Datei.objects.filter(kommune=version.kommune).count() == 3
    finally:
        _beenden(erster.process)
        if zweiter:
            _beenden(zweiter.process)
        # the killed worker's delivery stays "unacknowledged" in Redis until the visibility
        # timeout (2 hours); delivered then, it would find the job "fertig" and do nothing.
        # Removed here so that later tests see an empty broker.
        redis.Redis.from_url(settings.CELERY_BROKER_URL).delete("unacked", "unacked_index")
        app.control.add_consumer(
            settings.OCR_QUEUE, destination=[celery_worker_prozess.hostname], reply=True
        )


def test_zu_oft_abgebrochen_endet_als_fehler_fuer_die_it(db, vorgang, sachbearbeitung, settings):
    from datetime import timedelta

    from django.utils import timezone

    version, verarbeitung = hochladen(sachbearbeitung, vorgang, "Gross.pdf", text_pdf(["x"]))
    alt = timezone.now() - timedelta(seconds=settings.OCR_VERWAIST_NACH + 5)
    Verarbeitung.objects.filter(pk=verarbeitung.pk).update(
        status=Status.LAEUFT, lebenszeichen=alt, versuche=settings.OCR_MAX_ABBRUECHE
    )
    assert ocr_services.verwaiste_aufnehmen() == 0
    verarbeitung.refresh_from_db()
    assert verarbeitung.status == Status.FEHLER and not verarbeitung.dauerhaft
    assert "3-mal abgebrochen" in verarbeitung.meldung and "IT informieren" in verarbeitung.meldung
    # the beat runs the watchdog every minute, on the default queue (not behind OCR jobs)
    from eakte.celery import app

    eintrag = settings.CELERY_BEAT_SCHEDULE["ocr-verwaiste-aufnehmen"]
    assert eintrag["task"] == "eakte.ocr.verwaiste_aufnehmen" and eintrag["schedule"] <= 60
    route = app.amqp.router.route({}, "eakte.ocr.verwaiste_aufnehmen")
    assert route["queue"].name == settings.CELERY_TASK_DEFAULT_QUEUE


@pytest.mark.echte_uhr  # the age of working folders is their mtime
def test_arbeitsordner_abgebrochener_auftraege_werden_entfernt(tmp_path):
    lebend = tmp_path / f"eakte-ocr-{os.getpid()}-abc"
    tot = tmp_path / "eakte-ocr-999999999-abc"  # no such process
    altes_format = tmp_path / "eakte-ocr-x1y2z3"
    for ordner in (lebend, tot, altes_format):
        (ordner / "tmp").mkdir(parents=True)
    assert ocr_services.arbeitsordner_aufraeumen(ordner=tmp_path) == 1
    assert lebend.exists() and altes_format.exists() and not tot.exists()
    os.utime(altes_format, (0, 0))  # older than any job may run
    assert ocr_services.arbeitsordner_aufraeumen(ordner=tmp_path) == 1
    assert not altes_format.exists()
