"""Fixtures of the search tests: Dokumente with a recognised text, without running OCR."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eakte.akten import services as akten_services
from eakte.ocr.models import Status, Verarbeitung
from eakte.suche import services as suche_services
from tests.conftest import pdf_bytes
from tests.hilfen import akteur_von


@pytest.fixture
def mit_text():
    """mit_text(person, vorgang, text, titel=…, **metadaten): a Dokument whose (fake) OCR is
    done with `text`; indexed the way the worker does it."""
    zaehler = iter(range(10_000))

    def anlegen(person, vorgang, text, titel="Schreiben", **metadaten):
        inhalt = pdf_bytes(f"{titel} {next(zaehler)} {text[:40]}")
        version = akten_services.dokument_hochladen(
            akteur=akteur_von(person),
            vorgang=vorgang,
            datei=SimpleUploadedFile(f"{titel}.pdf", inhalt, content_type="application/pdf"),
            titel=titel,
            **metadaten,
        )
        Verarbeitung.objects.filter(datei=version.datei).update(status=Status.FERTIG, text=text)
        suche_services.datei_indexieren(version.datei_id)
        return version.dokument

    return anlegen


@pytest.fixture
def vorgang_anlegen():
    def anlegen(person, akte, betreff="Schriftverkehr"):
        return akten_services.vorgang_anlegen(akteur=akteur_von(person), akte=akte, betreff=betreff)

    return anlegen


@pytest.fixture(params=["akten-index", "vorfilter-oe", "vorfilter-kommune"])
def jeder_suchweg(request, monkeypatch):
    """Run the test through each way `selectors._suchraum` reads the visible rows: few Akten
    through their index (what small test data takes), and for many Akten the GIN pre-filter by
    OEs with a list of Akten, or by Kommunen with a subquery."""
    from eakte.suche import selectors

    if request.param != "akten-index":
        monkeypatch.setattr(selectors, "WENIGE_AKTEN", 0)
    if request.param == "vorfilter-kommune":
        monkeypatch.setattr(selectors, "MAX_AKTEN_ALS_LISTE", 0)
        monkeypatch.setattr(selectors, "MAX_OES_IM_VORFILTER", 0)
    return request.param
