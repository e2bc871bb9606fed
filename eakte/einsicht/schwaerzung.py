"""Redaction (Schwärzung) and watermarks of the PDFs released for an Akteneinsicht.

The released copy of a page with at least one box is RASTERISED: the page is rendered to pixels
(pypdfium2), the boxes are painted black into the pixels (Pillow) and the picture becomes the
page (img2pdf). The page then holds no text, fonts or drawing operators any more, so the hidden
words cannot be recovered by copy and paste, text extraction or by moving a drawn box away.
Pages without a box are copied as they are. The original is never touched.

Coordinates of a box are fractions of the page (0 … 1), measured from the top left corner, as
the browser marks them on the page picture.

Word search (`wortkaesten`) uses pdfminer.six (MIT licence; PyMuPDF is AGPL and not used).
"""

import io
import re
from dataclasses import dataclass

import img2pdf
import pypdfium2
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext
from PIL import ImageDraw
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

AUFLOESUNG = 150  # dpi of rasterised pages: readable, and text at 10 pt stays legible
VORSCHAU_DPI = 80


@dataclass(frozen=True)
class Kasten:
    seite: int  # 1-based
    x0: float
    y0: float
    x1: float
    y1: float


MELDUNG_VERSCHLUESSELT = (
    "Die PDF-Datei ist verschlüsselt oder passwortgeschützt und kann nicht geschwärzt werden. "
    "Bitte eine ungeschützte Fassung ablegen oder das Dokument zurückhalten."
)
MELDUNG_DEFEKT = "Die Datei ist keine lesbare PDF-Datei und kann nicht geschwärzt werden."


def lesen(pdf: bytes) -> PdfReader:
    """A reader for the PDF, or a German ValidationError (encrypted, damaged)."""
    try:
        leser = PdfReader(io.BytesIO(pdf))
        if leser.is_encrypted:
            raise ValidationError(MELDUNG_VERSCHLUESSELT)
        len(leser.pages)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, OSError, KeyError, TypeError) as fehler:
        raise ValidationError(MELDUNG_DEFEKT) from fehler
    return leser


def seitenzahl(pdf: bytes) -> int:
    return len(lesen(pdf).pages)


def kasten_pruefen(kasten: Kasten, seiten: int) -> None:
    """A German message for a box outside the page or of no size."""
    if not 1 <= kasten.seite <= seiten:
        raise ValidationError(
            f"Seite {kasten.seite} gibt es nicht; das Dokument hat {seiten} "
            f"{ngettext('Seite', 'Seiten', seiten)}."
        )
    werte = (kasten.x0, kasten.y0, kasten.x1, kasten.y1)
    if any(not 0 <= wert <= 1 for wert in werte):
        raise ValidationError(
            "Der Schwärzungsbereich liegt (teilweise) außerhalb der Seite. Bitte Werte zwischen "
            "0 und 100 Prozent der Seitenbreite und -höhe angeben."
        )
    if kasten.x1 <= kasten.x0 or kasten.y1 <= kasten.y0:
        raise ValidationError(
            "Der Schwärzungsbereich hat keine Fläche: „bis“ muss größer als „von“ sein."
        )


def seitenbild(pdf: bytes, seite: int, *, dpi: int = VORSCHAU_DPI) -> bytes:
    """Page `seite` (1-based) as PNG."""
    return vorschaubild(pdf, seite, [], dpi=dpi)


def wortkaesten(pdf: bytes, wort: str) -> list[Kasten]:
    """Every place where `wort` (case-insensitive, also inside longer words) stands in the text
    layer, as boxes (a little padded). Scanned pages are found through their OCR text layer."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextContainer, LTTextLine

    wort = wort.strip()
    if len(wort) < 2:
        raise ValidationError("Bitte mindestens zwei Zeichen als Suchwort angeben.")
    lesen(pdf)
    muster = re.compile(re.escape(wort), re.IGNORECASE)
    kaesten: list[Kasten] = []
    for nummer, seite in enumerate(extract_pages(io.BytesIO(pdf), laparams=LAParams()), start=1):
        breite, hoehe = seite.width, seite.height

        def zeilen(element):
            if isinstance(element, LTTextLine):
                yield element
            elif isinstance(element, LTTextContainer) or hasattr(element, "__iter__"):
                for kind in element:
                    yield from zeilen(kind)

        for zeile in zeilen(seite):
            zeichen = [z for z in zeile if isinstance(z, LTChar)]
            text = "".join(z.get_text() for z in zeichen)
            for treffer in muster.finditer(text):
                teil = zeichen[treffer.start() : treffer.end()]
                x0, x1 = min(z.x0 for z in teil) - 1, max(z.x1 for z in teil) + 1
                y0, y1 = min(z.y0 for z in teil) - 1, max(z.y1 for z in teil) + 1
                kaesten.append(
                    Kasten(
                        seite=nummer,
                        x0=max(0.0, x0 / breite),
                        y0=max(0.0, 1 - y1 / hoehe),
                        x1=min(1.0, x1 / breite),
                        y1=min(1.0, 1 - y0 / hoehe),
                    )
                )
    return kaesten


def schwaerzen(pdf: bytes, kaesten: list[Kasten]) -> bytes:
    """The released copy: pages with boxes rasterised with the boxes burnt in, the others
    copied. No metadata of the original is carried over."""
    leser = lesen(pdf)
    seiten = len(leser.pages)
    for kasten in kaesten:
        kasten_pruefen(kasten, seiten)
    je_seite: dict[int, list[Kasten]] = {}
    for kasten in kaesten:
        je_seite.setdefault(kasten.seite, []).append(kasten)
    schreiber = PdfWriter()
    dokument = pypdfium2.PdfDocument(pdf)
    try:
        for nummer, seite in enumerate(leser.pages, start=1):
            if nummer not in je_seite:
                schreiber.add_page(seite)
                continue
            breite, hoehe = float(seite.mediabox.width), float(seite.mediabox.height)
            bild = dokument[nummer - 1].render(scale=AUFLOESUNG / 72).to_pil().convert("RGB")
            zeichnen = ImageDraw.Draw(bild)
            for k in je_seite[nummer]:
                zeichnen.rectangle(
                    [k.x0 * bild.width, k.y0 * bild.height, k.x1 * bild.width, k.y1 * bild.height],
                    fill="black",
                )
            puffer = io.BytesIO()
            bild.save(puffer, format="PNG")
            layout = img2pdf.get_layout_fun((breite, hoehe))  # the page's own size, in pt
            seiten_pdf = img2pdf.convert(puffer.getvalue(), layout_fun=layout)
            schreiber.add_page(PdfReader(io.BytesIO(seiten_pdf)).pages[0])
    finally:
        dokument.close()
    ausgabe = io.BytesIO()
    schreiber.write(ausgabe)
    return ausgabe.getvalue()


def neu_erkennen(pdf: bytes) -> bytes:
    """A text layer for the rasterised pages (Tesseract through OCRmyPDF; pages that still have
    text are skipped): the released copy stays searchable, and the black boxes hold no text."""
    import logging
    import tempfile
    from pathlib import Path

    import ocrmypdf

    with tempfile.TemporaryDirectory(prefix="einsicht-") as ordner:
        eingabe, ausgabe = Path(ordner) / "ein.pdf", Path(ordner) / "aus.pdf"
        eingabe.write_bytes(pdf)
        try:
            ocrmypdf.ocr(
                eingabe,
                ausgabe,
                language=["deu", "eng"],
                skip_text=True,
                output_type="pdf",
                optimize=0,
                progress_bar=False,
                jobs=1,
            )
        except ocrmypdf.exceptions.ExitCodeException:
            logging.getLogger(__name__).warning("Neue Texterkennung fehlgeschlagen", exc_info=True)
            return pdf  # released without a text layer on those pages: still nothing hidden
        return ausgabe.read_bytes()


def _pdf_text(zeile: str) -> bytes:
    roh = zeile.encode("cp1252", errors="replace")
    return roh.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def wasserzeichen(pdf: bytes, text: str) -> bytes:
    """`text` stamped on every page: a grey line at the top and bottom and a large diagonal
    one across the page, as drawing operators merged into each page's content (burnt in)."""
    schreiber = PdfWriter(clone_from=lesen(pdf))
    for seite in schreiber.pages:
        breite, hoehe = float(seite.mediabox.width), float(seite.mediabox.height)
        stempel = PdfWriter().add_blank_page(width=breite, height=hoehe)
        stempel[NameObject("/Resources")] = DictionaryObject(
            {
                NameObject("/Font"): DictionaryObject(
                    {
                        NameObject("/FW"): DictionaryObject(
                            {
                                NameObject("/Type"): NameObject("/Font"),
                                NameObject("/Subtype"): NameObject("/Type1"),
                                NameObject("/BaseFont"): NameObject("/Helvetica"),
                                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
                            }
                        )
                    }
                )
            }
        )
        t = _pdf_text(text)
        befehle = b"\n".join(
            [
                b"q 0.45 0.45 0.45 rg",
                b"BT /FW 8 Tf 20 %.1f Td (" % (hoehe - 14) + t + b") Tj ET",
                b"BT /FW 8 Tf 20 8 Td (" + t + b") Tj ET",
                b"0.75 0.75 0.75 rg",
                b"BT /FW 16 Tf 0.70711 0.70711 -0.70711 0.70711 %.1f %.1f Tm ("
                % (breite * 0.15, hoehe * 0.25)
                + t
                + b") Tj ET",
                b"Q",
            ]
        )
        inhalt = DecodedStreamObject()
        inhalt.set_data(befehle)
        stempel[NameObject("/Contents")] = inhalt
        seite.merge_page(stempel)
    ausgabe = io.BytesIO()
    schreiber.write(ausgabe)
    return ausgabe.getvalue()


def vorschaubild(pdf: bytes, seite: int, kaesten: list[Kasten], *, dpi: int = VORSCHAU_DPI):
    """Page `seite` as PNG with the boxes painted black: what the release will show."""
    lesen(pdf)
    dokument = pypdfium2.PdfDocument(pdf)
    try:
        if not 1 <= seite <= len(dokument):
            raise ValidationError(f"Seite {seite} gibt es nicht.")
        bild = dokument[seite - 1].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        dokument.close()
    zeichnen = ImageDraw.Draw(bild)
    for k in kaesten:
        zeichnen.rectangle(
            [k.x0 * bild.width, k.y0 * bild.height, k.x1 * bild.width, k.y1 * bild.height],
            fill="black",
        )
    puffer = io.BytesIO()
    bild.save(puffer, format="PNG", optimize=True)
    return puffer.getvalue()
