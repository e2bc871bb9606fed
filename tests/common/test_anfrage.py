"""The request id: answered in the header, in every log line, and carried into the Celery tasks
a request sent (tested with a real worker logging JSON)."""

import json
import logging
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eakte.common import beispielscans as scans
from eakte.common.anfrage import AnfrageIdFilter, JsonFormat, anfrage_id
from tests.conftest import _beenden, worker_starten
from tests.hilfen import warten_bis

pytestmark = pytest.mark.django_db


def test_eigene_oder_neue_id_in_der_antwort(client):
    eigene = client.get("/health/live", HTTP_X_REQUEST_ID="lb-1234abcd")
    assert eigene["X-Request-ID"] == "lb-1234abcd"
    neu = client.get("/health/live")
    assert len(neu["X-Request-ID"]) == 32 and neu["X-Request-ID"] != eigene["X-Request-ID"]
    # an id that could forge log lines is replaced
    boese = client.get("/health/live", HTTP_X_REQUEST_ID='x"}\n{"stufe": "ERROR"')
    assert boese["X-Request-ID"] != 'x"}\n{"stufe": "ERROR"' and len(boese["X-Request-ID"]) == 32


def test_json_zeile_mit_id():
    record = logging.LogRecord(
        "eakte.test", logging.WARNING, __file__, 1, "Hallo %s", ("Welt",), None
    )
    marke = anfrage_id.set("abcdef123456")
    try:
        AnfrageIdFilter().filter(record)
    finally:
        anfrage_id.reset(marke)
    zeile = json.loads(JsonFormat().format(record))
    assert zeile["meldung"] == "Hallo Welt" and zeile["request_id"] == "abcdef123456"
    assert zeile["stufe"] == "WARNING" and zeile["logger"] == "eakte.test"


@pytest.mark.worker
def test_id_folgt_der_anfrage_in_den_worker(
    transactional_db, client_als, sachbearbeitung, vorgang, settings, tmp_path, dateiablage
):
    queue = f"ocr-id-{uuid.uuid4().hex[:6]}"
    settings.OCR_QUEUE = queue
    worker = worker_starten(
        tmp_path, dateiablage, queues=[queue], CELERY_OCR_QUEUE=queue, LOG_FORMAT="json"
    )
    try:
        kennung = f"upload-{uuid.uuid4().hex[:12]}"
        scan = scans.als_pdf([scans.seite("Gebührenbescheid")])
        antwort = client_als(sachbearbeitung).post(
            reverse("akten:hochladen", kwargs={"vorgang_uuid": vorgang.uuid}),
            {"typ": "eingang", "dateien": [SimpleUploadedFile("Scan.pdf", scan)]},
            HTTP_X_REQUEST_ID=kennung,
        )
        assert antwort.status_code in (200, 302), antwort.content[:500]
        assert antwort["X-Request-ID"] == kennung

        def zeilen_mit_id():
            zeilen = []
            for zeile in worker.log.read_text().splitlines():
                try:
                    daten = json.loads(zeile)
                except ValueError:
                    continue
                # a line logged inside the task (the OCR of the uploaded scan)
                if daten.get("request_id") == kennung and daten["logger"].startswith("ocrmypdf"):
                    zeilen.append(daten)
            return zeilen

        gefunden = warten_bis(
            zeilen_mit_id, sekunden=120, was=lambda: worker.log.read_text()[-3000:]
        )
        assert gefunden[0]["stufe"] in {"INFO", "WARNING", "DEBUG"}
    finally:
        _beenden(worker.process)
