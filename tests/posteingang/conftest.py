"""Fixtures of the Posteingang tests: a tmp intake folder and scanned batches with cover sheets."""

import os
import time
from pathlib import Path

import pypdfium2
import pytest

from eakte.common import beispielscans as scans
from eakte.posteingang import services
from tests.hilfen import akteur_von


@pytest.fixture
def eingang(settings, tmp_path) -> Path:
    """The intake root in tmp; files count as complete at once (no waiting in tests)."""
    wurzel = tmp_path / "eingang"
    wurzel.mkdir()
    settings.POSTEINGANG_ORDNER = wurzel
    settings.POSTEINGANG_RUHEZEIT = 0
    settings.POSTEINGANG_PRUEFPAUSE = 0
    return wurzel


def ablegen_im_eingang(ordner: Path, name: str, inhalt: bytes, *, alter: float = 60) -> Path:
    """Write a file as a scanner would, with an mtime `alter` seconds in the past."""
    ordner.mkdir(parents=True, exist_ok=True)
    pfad = ordner / name
    pfad.write_bytes(inhalt)
    zeit = time.time() - alter
    os.utime(pfad, (zeit, zeit))
    return pfad


def deckblatt_gescannt(benutzer, akte, vorgang=None):
    """Print a cover sheet and "scan" it: the PDF page rendered to pixels (300 dpi, grey)."""
    _, pdf = services.deckblatt_erstellen(akteur=akteur_von(benutzer), akte=akte, vorgang=vorgang)
    dokument = pypdfium2.PdfDocument(pdf)
    try:
        return dokument[0].render(scale=300 / 72, grayscale=True).to_pil().convert("L")
    finally:
        dokument.close()


def textseite(nummer: int):
    return scans.seite(scans.seed_zeilen(3, start=nummer * 3), seed=nummer, rauschen=0)


def stapel(*seiten) -> bytes:
    return scans.als_pdf(list(seiten))
