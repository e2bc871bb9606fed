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
        "Kennwort" in verarbeitung.meldung and "Original bleibt gespeichert" in verarbeitung.meldung
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
