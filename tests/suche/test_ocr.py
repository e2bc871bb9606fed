"""A scanned letter is found by a word from its third page, processed by the real worker."""

import pytest

from eakte.common import beispielscans as scans
from eakte.ocr.models import Status
from eakte.suche import selectors
from eakte.suche.models import Suchdokument
from tests.ocr.test_verarbeitung import hochladen, warten

pytestmark = pytest.mark.worker

DRITTE_SEITE = [
    "Gemeinde Brombachtal – Der Gemeindevorstand",
    "Der Förderbescheid für das Dorfgemeinschaftshaus",
    "im Ortsteil Kirchbrombach wird hiermit erteilt.",
]


def test_scan_wird_mit_wort_der_dritten_seite_gefunden(
    transactional_db, celery_worker_prozess, vorgang, sachbearbeitung, kollegin_andere_oe
):
    seiten = [
        scans.seite(scans.seed_zeilen(6), seed=1),
        scans.seite(scans.seed_zeilen(6, start=6), seed=2),
        scans.seite(DRITTE_SEITE, seed=3),
    ]
    inhalt = scans.als_pdf(seiten)
    version, verarbeitung = hochladen(sachbearbeitung, vorgang, "Scan Förderung.pdf", inhalt)
    assert selectors.dokumente_suchen(sachbearbeitung, "Dorfgemeinschaftshaus").gesamt == 0
    warten(verarbeitung, worker=celery_worker_prozess)
    assert verarbeitung.status == Status.FERTIG, verarbeitung.meldung
    for suche in ("Dorfgemeinschaftshaus", "Förderbescheide", "Bescheid", "Kirchbrombach"):
        ergebnis = selectors.dokumente_suchen(sachbearbeitung, suche)
        assert [t.dokument.pk for t in ergebnis.treffer] == [version.dokument_id], suche
    ausschnitt = selectors.dokumente_suchen(sachbearbeitung, "Dorfgemeinschaftshaus").treffer[0]
    assert "<mark>Dorfgemeinschaftshaus</mark>" in ausschnitt.ausschnitt
    assert selectors.dokumente_suchen(kollegin_andere_oe, "Dorfgemeinschaftshaus").gesamt == 0

    # the same scan filed again: no new OCR, but the new Dokument is findable at once
    zweite, dieselbe = hochladen(sachbearbeitung, vorgang, "Kopie.pdf", inhalt)
    assert dieselbe.pk == verarbeitung.pk and dieselbe.status == Status.FERTIG
    assert Suchdokument.objects.get(pk=zweite.dokument_id).text_datei_id == zweite.datei_id
    treffer = selectors.dokumente_suchen(sachbearbeitung, "Kirchbrombach").treffer
    assert {t.dokument.pk for t in treffer} == {version.dokument_id, zweite.dokument_id}
