"""Simple PDFs with a real text layer: demo documents, certificates, test files.

pypdf writes the page; the text uses the standard Helvetica font with WinAnsiEncoding, so
German umlauts and ß come out right in viewers and in text extraction.
"""

import io

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

ZEILENHOEHE = 15
ZEILEN_JE_SEITE = 48


def _pdf_text(zeile: str) -> bytes:
    roh = zeile.encode("cp1252", errors="replace")
    return roh.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _schrift(schreiber: PdfWriter):
    return schreiber._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )


def text_pdf(zeilen: list[str], *, titel: str = "") -> bytes:
    """An A4 PDF with the given lines (new page every 48 lines)."""
    schreiber = PdfWriter()
    schrift = _schrift(schreiber)
    seiten = [zeilen[i : i + ZEILEN_JE_SEITE] for i in range(0, len(zeilen), ZEILEN_JE_SEITE)]
    for seitenzeilen in seiten or [[]]:
        seite = schreiber.add_blank_page(width=595, height=842)
        seite[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): schrift})}
        )
        befehle = [f"BT /F1 11 Tf {ZEILENHOEHE} TL 60 780 Td".encode()]
        befehle += [b"(" + _pdf_text(zeile) + b") '" for zeile in seitenzeilen]
        befehle.append(b"ET")
        inhalt = DecodedStreamObject()
        inhalt.set_data(b"\n".join(befehle))
        seite[NameObject("/Contents")] = schreiber._add_object(inhalt)
    if titel:
        schreiber.add_metadata({"/Title": titel})
    puffer = io.BytesIO()
    schreiber.write(puffer)
    return puffer.getvalue()
