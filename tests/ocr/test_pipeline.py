"""The pipeline on real files: born-digital PDFs, scans as PDF/TIFF/JPEG, broken inputs."""

import io

import pikepdf
import pytest
from pypdf import PdfReader, PdfWriter

from eakte.common import beispielscans as scans
from eakte.common.pdf import text_pdf
from eakte.ocr import pipeline


def _laufen(tmp_path, inhalt: bytes, mime_typ: str):
    eingabe = tmp_path / "eingabe"
    eingabe.write_bytes(inhalt)
    fortschritt = []
    ergebnis = pipeline.verarbeiten(
        eingabe, mime_typ, tmp_path, lambda n, m: fortschritt.append((n, m))
    )
    return ergebnis, fortschritt


def test_pdf_mit_textebene_wird_nicht_erkannt_sondern_gelesen(tmp_path):
    inhalt = text_pdf(["Förderbescheid für die Kita-Erweiterung in Michelstadt", "Seite eins"])
    ergebnis, _ = _laufen(tmp_path, inhalt, pipeline.PDF)
    assert ergebnis.verfahren == "textebene" and ergebnis.archiv is None
    assert "Förderbescheid für die Kita-Erweiterung" in ergebnis.text
    assert ergebnis.vorschaubild.startswith(b"\x89PNG")


def test_gescanntes_pdf_wird_durchsuchbares_pdfa(tmp_path):
    seiten = [
        scans.seite(scans.BEISPIELTEXT),
        scans.seite(scans.seed_zeilen(7), seed=2, schraeg=-1.2),
    ]
    ergebnis, fortschritt = _laufen(tmp_path, scans.als_pdf(seiten), pipeline.PDF)
    assert ergebnis.verfahren == "ocr" and ergebnis.seiten == 2
    for wort in ("Bescheid", "Kita-Gebühren", "Bürgermeister", "Michelstadt", "Digitalstrategie"):
        assert wort in ergebnis.text
    assert fortschritt[-1] == (2, 2)
    with pikepdf.open(io.BytesIO(ergebnis.archiv)) as archiv:
        assert archiv.open_metadata().pdfa_status == "2B"
        assert len(archiv.pages) == 2


def test_mehrseitiges_tiff_und_jpeg_ohne_aufloesung(tmp_path):
    tiff = scans.als_tiff(
        [scans.seite(scans.BEISPIELTEXT[:3]), scans.seite(scans.BEISPIELTEXT[3:], seed=3)]
    )
    ergebnis, _ = _laufen(tmp_path, tiff, "image/tiff")
    assert ergebnis.seiten == 2 and "Widerspruch" in ergebnis.text and "Magistrat" in ergebnis.text
    jpeg = scans.als_jpeg(scans.seite(scans.BEISPIELTEXT[:2]), mit_dpi=False)
    ergebnis, _ = _laufen(tmp_path, jpeg, "image/jpeg")
    assert "Kita-Gebühren" in ergebnis.text


def test_gemischtes_pdf_behaelt_vorhandenen_text(tmp_path):
    text_seite = PdfReader(
        io.BytesIO(text_pdf(["Anschreiben der Gemeinde Brombachtal mit Textebene"]))
    )
    scan_seite = PdfReader(io.BytesIO(scans.als_pdf([scans.seite(scans.BEISPIELTEXT[:2])])))
    schreiber = PdfWriter()
    schreiber.add_page(text_seite.pages[0])
    schreiber.add_page(scan_seite.pages[0])
    puffer = io.BytesIO()
    schreiber.write(puffer)
    ergebnis, _ = _laufen(tmp_path, puffer.getvalue(), pipeline.PDF)
    assert ergebnis.verfahren == "ocr"
    assert "Anschreiben der Gemeinde Brombachtal" in ergebnis.text and "Magistrat" in ergebnis.text
    # Helvetica is not embedded in the text page: no PDF/A without Ghostscript, and it says so
    assert "kein PDF/A" in ergebnis.hinweis


def _verschluesselt() -> bytes:
    schreiber = PdfWriter(clone_from=io.BytesIO(text_pdf(["Geheimer Inhalt"])))
    schreiber.encrypt(user_password="geheim", owner_password="noch-geheimer", algorithm="RC4-128")
    puffer = io.BytesIO()
    schreiber.write(puffer)
    return puffer.getvalue()


def _ohne_seiten() -> bytes:
    puffer = io.BytesIO()
    PdfWriter().write(puffer)
    return puffer.getvalue()


@pytest.mark.parametrize(
    "erzeugen, meldung",
    [
        (_verschluesselt, "Kennwort"),
        (lambda: text_pdf(["Abgeschnitten beim Übertragen"])[:300], "beschädigt"),
        (
            lambda: b"%PDF-1.7\n" + b"das ist kein PDF, nur Text mit falschem Kopf\n" * 20,
            "beschädigt",
        ),
        (_ohne_seiten, "keine Seiten"),
    ],
)
def test_kaputte_eingaben_enden_mit_deutscher_meldung(tmp_path, erzeugen, meldung):
    with pytest.raises(pipeline.Eingabefehler, match=meldung) as fehler:
        _laufen(tmp_path, erzeugen(), pipeline.PDF)
    assert "Original bleibt gespeichert" in str(fehler.value)


def test_andere_dateitypen_werden_ohne_texterkennung_abgeschlossen(tmp_path):
    ergebnis, _ = _laufen(tmp_path, b"\x00\x01 irgendwas", "application/octet-stream")
    assert ergebnis.verfahren == "keine" and ergebnis.text == ""


def test_riesige_seitenzahl_wird_nicht_erkannt_sondern_erklaert(tmp_path, settings):
    settings.OCR_MAX_SEITEN = 500
    schreiber = PdfWriter()
    for _ in range(2000):
        schreiber.add_blank_page(width=595, height=842)
    puffer = io.BytesIO()
    schreiber.write(puffer)
    with pytest.raises(pipeline.Eingabefehler, match="hat 2000 Seiten.*höchstens 500 Seiten"):
        _laufen(tmp_path, puffer.getvalue(), pipeline.PDF)


def test_pdf_dessen_seiten_schon_text_haben_ist_kein_fehler(tmp_path):
    """OCRmyPDF would refuse it as 'already has text'; we read the text layer instead."""
    inhalt = text_pdf([f"Seite mit Text, Zeile {n}, Gemeinde Oberzent" for n in range(120)])
    ergebnis, _ = _laufen(tmp_path, inhalt, pipeline.PDF)
    assert (
        ergebnis.verfahren == "textebene" and ergebnis.seiten == 3 and "Zeile 119" in ergebnis.text
    )
