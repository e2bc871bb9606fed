"""The pipeline on real files: born-digital PDFs, scans as PDF/TIFF/JPEG, broken inputs."""

import io
import logging

import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageFont
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
    assert "nicht eingebettete Schriften (Helvetica)" in ergebnis.hinweis
    assert "z. B." not in ergebnis.hinweis


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
        (_verschluesselt, "Passwort"),
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


def _png(bild: Image.Image) -> bytes:
    puffer = io.BytesIO()
    bild.save(puffer, "PNG", dpi=(300, 300))
    return puffer.getvalue()


def test_bild_mit_alphakanal_und_cmyk_jpeg_ohne_icc_profil_werden_erkannt(tmp_path):
    seite = scans.seite(scans.BEISPIELTEXT[:3])
    mit_alpha = seite.convert("RGBA")
    mit_alpha.putalpha(Image.new("L", seite.size, 230))  # a scan app's half-transparent export
    cmyk = io.BytesIO()
    seite.convert("CMYK").save(cmyk, "JPEG", dpi=(300, 300))  # no ICC profile
    assert "icc_profile" not in Image.open(io.BytesIO(cmyk.getvalue())).info
    for inhalt, mime_typ in ((_png(mit_alpha), "image/png"), (cmyk.getvalue(), "image/jpeg")):
        ergebnis, _ = _laufen(tmp_path, inhalt, mime_typ)
        assert ergebnis.verfahren == "ocr" and ergebnis.seiten == 1
        assert "Kita-Gebühren" in ergebnis.text and "Magistrat" in ergebnis.text
        with pikepdf.open(io.BytesIO(ergebnis.archiv)) as archiv:
            assert archiv.open_metadata().pdfa_status == "2B"


def test_zu_grosse_seite_scheitert_sofort_mit_deutscher_meldung(tmp_path, settings):
    settings.OCR_MAX_SEITENPIXEL = 50_000_000
    # a 2 m x 2 m plan drawing without text: 23,622 x 23,622 px at 300 dpi
    schreiber = PdfWriter()
    schreiber.add_blank_page(width=595, height=842)
    schreiber.add_blank_page(width=5669, height=5669)
    puffer = io.BytesIO()
    schreiber.write(puffer)
    with pytest.raises(pipeline.Eingabefehler) as fehler:
        _laufen(tmp_path, puffer.getvalue(), pipeline.PDF)
    meldung = str(fehler.value)
    assert meldung.startswith("Seite 2 ist zu groß für die Texterkennung (etwa 557 Megapixel)")
    assert "höchstens 50 Megapixel" in meldung and "Erneut versuchen" not in meldung
    # an image: its own pixels count (a 2480 x 1754 scan is 4 megapixels)
    settings.OCR_MAX_SEITENPIXEL = 4_000_000
    with pytest.raises(pipeline.Eingabefehler, match="Seite 1 ist zu groß.*höchstens 4 Mega"):
        _laufen(tmp_path, _png(scans.seite(scans.BEISPIELTEXT[:1])), "image/png")


def test_beschaedigtes_bild_endet_ohne_englischen_engine_text(tmp_path, caplog):
    """The header is fine, the image data is not: OCRmyPDF would fail with English text."""
    kaputt = _png(scans.seite(scans.BEISPIELTEXT[:1]))
    kaputt = kaputt[:200] + b"\x00" * 200 + kaputt[400:]
    with caplog.at_level(logging.INFO), pytest.raises(pipeline.Eingabefehler) as fehler:
        _laufen(tmp_path, kaputt, "image/png")
    meldung = str(fehler.value)
    assert meldung.startswith("Die Bilddatei ist beschädigt")
    assert "Original bleibt gespeichert" in meldung
    assert not any(wort in meldung for wort in ("image", "error", "data", "stream"))
    # the technical detail is in the log
    assert any("nicht lesbar" in r.getMessage() for r in caplog.records)


def test_zu_wenig_text_fuer_die_ausrichtung_ist_kein_error(tmp_path, caplog):
    bild = Image.new("L", (2480, 1754), 255)
    schrift = ImageFont.truetype(scans.SCHRIFT, 50)
    ImageDraw.Draw(bild).text((200, 200), "Az. 12", font=schrift, fill=0)
    with caplog.at_level(logging.DEBUG):
        _laufen(tmp_path, _png(bild), "image/png")
    tesseract = [r for r in caplog.records if r.name.startswith("ocrmypdf._exec.tesseract")]
    assert any("Too few characters" in r.getMessage() for r in tesseract)  # it did happen
    assert [r.getMessage() for r in tesseract if r.levelno >= logging.WARNING] == []


def test_grund_fuer_kein_pdfa_wird_nur_genannt_wenn_er_feststeht(tmp_path):
    mit_helvetica, scan = tmp_path / "text.pdf", tmp_path / "scan.pdf"
    mit_helvetica.write_bytes(text_pdf(["Helvetica ist nicht eingebettet"]))
    scan.write_bytes(scans.als_pdf([scans.seite(scans.BEISPIELTEXT[:1])]))
    assert pipeline.nicht_eingebettete_schriften(mit_helvetica) == ["Helvetica"]
    assert pipeline.nicht_eingebettete_schriften(scan) == []


PLATZHALTER = [
    "Please wait...",
    "If this message is not eventually replaced by the proper contents of the document,",
    "your PDF viewer may not be able to display this type of document.",
]
XFA_DATEN = b"""<?xml version="1.0" encoding="UTF-8"?>
<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><xfa:datasets
 xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/"><xfa:data><Antrag>
<Name>Erika Mustermann</Name><Vorhaben>Carport am Lindenweg 3</Vorhaben>
</Antrag></xfa:data></xfa:datasets></xdp:xdp>"""


def _xfa_formular(*, dynamisch: bool, seiten: list[str]) -> bytes:
    """A LiveCycle-style form as Adobe writes it: /AcroForm /XFA with the packets as an array
    of name and stream, /NeedsRendering for a dynamic form."""
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        TextStringObject,
    )

    schreiber = PdfWriter(clone_from=io.BytesIO(text_pdf(seiten)))
    pakete = ArrayObject()
    for name, xml in [
        ("preamble", b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/">'),
        ("template", b'<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"/>'),
        ("datasets", XFA_DATEN.split(b"<xdp:xdp", 1)[0] + XFA_DATEN.split(b"?>", 1)[1]),
        ("postamble", b"</xdp:xdp>"),
    ]:
        strom = DecodedStreamObject()
        strom.set_data(xml)
        pakete += [TextStringObject(name), schreiber._add_object(strom)]
    formular = DictionaryObject({NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): pakete})
    schreiber._root_object[NameObject("/AcroForm")] = schreiber._add_object(formular)
    if dynamisch:
        schreiber._root_object[NameObject("/NeedsRendering")] = BooleanObject(True)
    puffer = io.BytesIO()
    schreiber.write(puffer)
    return puffer.getvalue()


def test_dynamisches_xfa_formular_wird_erklaert_und_seine_daten_gefunden(tmp_path):
    ergebnis, _ = _laufen(tmp_path, _xfa_formular(dynamisch=True, seiten=PLATZHALTER), pipeline.PDF)
    assert "XFA-Formular (Adobe LiveCycle)" in ergebnis.hinweis
    assert "Adobe Reader öffnen, als PDF drucken" in ergebnis.hinweis
    assert "Please wait" not in ergebnis.text  # the placeholder is not what the form says
    assert "Erika Mustermann" in ergebnis.text and "Carport am Lindenweg 3" in ergebnis.text
    assert ergebnis.vorschaubild.startswith(b"\x89PNG")


def test_statisches_xfa_formular_wird_wie_jede_pdf_gelesen(tmp_path):
    seiten = ["Antrag auf Baugenehmigung für einen Carport am Lindenweg 3 in Erbach"]
    ergebnis, _ = _laufen(tmp_path, _xfa_formular(dynamisch=False, seiten=seiten), pipeline.PDF)
    assert ergebnis.verfahren == "textebene" and ergebnis.hinweis == ""
    assert "Carport am Lindenweg" in ergebnis.text
