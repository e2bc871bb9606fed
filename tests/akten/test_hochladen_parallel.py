"""The browser's multi-file upload sends its files in parallel, while the OCR worker finishes
the earlier ones: no upload may fail (a deadlock answered 500 for a third of them before the
lock order was fixed, see docs/architektur.md "Lock order"), and every file is stored."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from rest_framework.test import APIClient

from eakte.akten.models import Dokument
from eakte.common.pdf import text_pdf
from eakte.kommunen.models import Benutzer
from eakte.ocr.models import Status, Verarbeitung
from tests.hilfen import warten_bis

pytestmark = [pytest.mark.worker, pytest.mark.timeout(300)]

THREADS, JE_THREAD = 2, 30


def test_parallele_hochladungen_in_eine_akte_mit_laufendem_worker(
    transactional_db, celery_worker_prozess, vorgang, sachbearbeitung
):
    person_pk, vorgang_uuid = sachbearbeitung.pk, str(vorgang.uuid)
    inhalte = [
        [text_pdf([f"Schreiben {t}-{n} zum Bauantrag"], titel=f"{t}-{n}") for n in range(JE_THREAD)]
        for t in range(THREADS)
    ]
    start = threading.Barrier(THREADS, timeout=60)
    antworten: list[list[tuple[int, str]]] = [[] for _ in range(THREADS)]
    fehler: list[BaseException] = []

    def hochladen(nummer: int) -> None:
        try:
            client = APIClient()
            client.force_authenticate(Benutzer.objects.get(pk=person_pk))
            start.wait()
            for index, inhalt in enumerate(inhalte[nummer]):
                antwort = client.post(
                    "/api/v1/dokumente/",
                    {
                        "vorgang": vorgang_uuid,
                        "datei": SimpleUploadedFile(f"Brief {nummer}-{index}.pdf", inhalt),
                    },
                    format="multipart",
                )
                antworten[nummer].append((antwort.status_code, antwort.content[:300].decode()))
        except BaseException as ausnahme:  # noqa: BLE001 - reported below
            fehler.append(ausnahme)
            start.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=hochladen, args=(n,), daemon=True) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    assert not any(thread.is_alive() for thread in threads), "ein Upload hängt"

    assert fehler == []
    misslungen = [a for liste in antworten for a in liste if a[0] != 201]
    assert misslungen == []
    assert Dokument.objects.filter(vorgang=vorgang).count() == THREADS * JE_THREAD
    # the worker finished every one of them too (its finish interleaved with the uploads)
    warten_bis(
        lambda: (
            Verarbeitung.objects.filter(kommune=vorgang.kommune_id, status=Status.FERTIG).count()
            == THREADS * JE_THREAD
        ),
        sekunden=180,
        was="alle Verarbeitungen fertig",
    )
