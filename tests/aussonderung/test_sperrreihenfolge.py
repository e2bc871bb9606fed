"""A Löschlauf approved while an OCR job of one of its Dokumente is finishing: the Löschlauf waits
for the job instead of deadlocking with it (lock order (1) Verarbeitung before (2) Akte,
docs/architektur.md). Seen in a clean-clone run: the real worker finished the OCR of a Dokument
of the Akte being deleted, and PostgreSQL aborted the approval with "deadlock detected"."""

import threading
import time

import pytest
from django.db import connection, transaction

from eakte.akten.models import Dokument
from eakte.aussonderung import services
from eakte.aussonderung.models import Laufstatus
from eakte.common.mandantenbereich import systembereich
from eakte.ocr.models import Verarbeitung
from eakte.suche import services as suche_services
from tests.hilfen import akteur_von

pytestmark = pytest.mark.timeout(120)


def _ocr_abschluss_nachstellen(verarbeitung_id, gesperrt: threading.Event, fehler: list):
    """What `ocr.services._abschliessen` does, with a pause between its two locks: the
    Verarbeitung row first, then the search index, which reads the Akte FOR SHARE."""
    try:
        with systembereich("Test: Texterkennung endet"), transaction.atomic():
            verarbeitung = Verarbeitung.objects.select_for_update().get(pk=verarbeitung_id)
            gesperrt.set()
            time.sleep(1.5)  # the approval starts meanwhile and takes what it takes
            Verarbeitung.objects.filter(pk=verarbeitung_id).update(meldung="fertig")
            suche_services.datei_indexieren(verarbeitung.datei_id)
    except Exception as ausnahme:  # noqa: BLE001 (reported to the test)
        fehler.append(ausnahme)
    finally:
        connection.close()


def test_loeschlauf_wartet_auf_die_endende_texterkennung(transactional_db, welt):
    lauf = services.loeschlauf_vorschlagen(akteur=akteur_von(welt.admin), akten=[welt.vernichten])
    verarbeitungen = Verarbeitung.objects.filter(datei__versionen__dokument__akte=welt.vernichten)
    assert verarbeitungen.count() == 2  # one per Dokument of the Akte
    verarbeitung = verarbeitungen.first()
    assert verarbeitung is not None
    gesperrt, fehler = threading.Event(), []
    ocr = threading.Thread(
        target=_ocr_abschluss_nachstellen, args=(verarbeitung.pk, gesperrt, fehler)
    )
    ocr.start()
    assert gesperrt.wait(30)

    lauf = services.loeschlauf_genehmigen(akteur=akteur_von(welt.zweite_admin), lauf=lauf)
    ocr.join(30)

    assert fehler == []  # the OCR job's transaction committed
    assert lauf.status == Laufstatus.DURCHGEFUEHRT
    assert not Dokument.objects.filter(akte=welt.vernichten).exists()
    assert not Verarbeitung.objects.filter(pk=verarbeitung.pk).exists()
