"""Cover sheets: the printable PDF with a QR code, and finding such sheets in scanned files.

QR content: `EAKTE:V1:<kommune-slug>:<deckblatt-uuid>`. The uuid names a `Deckblatt` row that
knows the Akte (and Vorgang) and who printed it; the slug lets the picker refuse a sheet of
another Kommune before looking anything up.
"""

import io
import logging
import textwrap
import uuid
from dataclasses import dataclass

import segno
import zxingcpp
from PIL import Image, ImageDraw, ImageFont

logger = logging.getLogger(__name__)

KENNUNG = "EAKTE:V1"
SCHRIFT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SCHRIFT_FETT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
DPI = 150
A4 = (1240, 1754)  # pixels at 150 dpi
LESE_DPI = 150  # scanned pages are rendered at this resolution to look for a QR code


def qr_inhalt(kommune_slug: str, deckblatt_uuid) -> str:
    return f"{KENNUNG}:{kommune_slug}:{deckblatt_uuid}"


@dataclass(frozen=True)
class Kennung:
    kommune_slug: str
    deckblatt_uuid: uuid.UUID


def kennung_lesen(text: str) -> Kennung | None:
    """The parts of a QR text of ours, or None for any other QR code."""
    teile = text.strip().split(":")
    if len(teile) != 4 or ":".join(teile[:2]) != KENNUNG:
        return None
    try:
        return Kennung(kommune_slug=teile[2], deckblatt_uuid=uuid.UUID(teile[3]))
    except ValueError:
        return None


def _schrift(groesse: int, fett: bool = False):
    try:
        return ImageFont.truetype(SCHRIFT_FETT if fett else SCHRIFT, groesse)
    except OSError:  # without the DejaVu fonts the sheet still works (the QR code matters)
        return ImageFont.load_default(groesse)


def pdf_erzeugen(
    *, inhalt: str, kommune: str, zeichen: str, betreff: str, art: str, gedruckt: str
) -> bytes:
    """One A4 page: heading, QR code, Aktenzeichen/Vorgangszeichen and Betreff, instructions."""
    seite = Image.new("L", A4, 255)
    zeichnen = ImageDraw.Draw(seite)
    rand, y = 110, 110
    zeichnen.text((rand, y), "Deckblatt für den Scan-Posteingang", font=_schrift(48, True), fill=0)
    y += 80
    zeichnen.text((rand, y), kommune, font=_schrift(32), fill=0)
    y += 80
    qr = segno.make(inhalt, error="m")
    puffer = io.BytesIO()
    qr.save(puffer, kind="png", scale=14, border=4)
    qr_bild = Image.open(io.BytesIO(puffer.getvalue())).convert("L")
    seite.paste(qr_bild, (rand - 14 * 4 + 20, y))
    y += qr_bild.height + 30
    zeichnen.text((rand, y), art, font=_schrift(30), fill=0)
    y += 50
    zeichnen.text((rand, y), zeichen, font=_schrift(44, True), fill=0)
    y += 70
    for zeile in textwrap.wrap(betreff, 50)[:4]:
        zeichnen.text((rand, y), zeile, font=_schrift(34), fill=0)
        y += 48
    y += 40
    anleitung = [
        "So geht es:",
        "1. Dieses Blatt obenauf legen, die Schriftstücke dahinter.",
        "2. Mehrere Schriftstücke: vor jedes ein eigenes Deckblatt legen.",
        "3. Alles zusammen am Scanner in den Posteingang scannen.",
        "Die Seiten nach dem Blatt werden als ein Dokument abgelegt;",
        "das Deckblatt selbst wird entfernt.",
    ]
    for nummer, zeile in enumerate(anleitung):
        zeichnen.text((rand, y), zeile, font=_schrift(28, nummer == 0), fill=0)
        y += 44
    zeichnen.text((rand, A4[1] - 110), gedruckt, font=_schrift(22), fill=0)
    ausgabe = io.BytesIO()
    seite.save(ausgabe, "PDF", resolution=DPI, title=f"Deckblatt {zeichen}")
    return ausgabe.getvalue()


def _kennung_im_bild(bild: Image.Image) -> Kennung | None:
    try:
        treffer = zxingcpp.read_barcodes(bild.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    except (ValueError, RuntimeError):
        return None
    for code in treffer:
        kennung = kennung_lesen(code.text)
        if kennung is not None:
            return kennung
    return None


def pdf_seiten_lesen(inhalt: bytes) -> list[Kennung | None]:
    """Per page of a PDF: the cover-sheet mark found on it, or None."""
    import pypdfium2

    dokument = pypdfium2.PdfDocument(inhalt)
    try:
        ergebnis = []
        for seite in dokument:
            bild = seite.render(scale=LESE_DPI / 72, grayscale=True).to_pil()
            ergebnis.append(_kennung_im_bild(bild))
            seite.close()
        return ergebnis
    finally:
        dokument.close()


def tiff_seiten_lesen(inhalt: bytes) -> list[Kennung | None]:
    with Image.open(io.BytesIO(inhalt)) as bild:
        ergebnis = []
        for nummer in range(getattr(bild, "n_frames", 1)):
            bild.seek(nummer)
            seite = bild.copy()
            seite.thumbnail((1800, 1800))  # about 150 dpi for A4: enough and much faster
            ergebnis.append(_kennung_im_bild(seite))
        return ergebnis


def seiten_lesen(inhalt: bytes, mime_typ: str) -> list[Kennung | None]:
    """Cover-sheet marks per page; an unreadable file has none (the OCR will report it)."""
    try:
        if mime_typ == "application/pdf":
            return pdf_seiten_lesen(inhalt)
        if mime_typ == "image/tiff":
            return tiff_seiten_lesen(inhalt)
    except Exception:  # noqa: BLE001  (damaged or encrypted: file it as a whole, OCR says why)
        logger.warning("Deckblätter konnten nicht gesucht werden", exc_info=True)
    return []


def pdf_teil(inhalt: bytes, seiten: list[int]) -> bytes:
    """A new PDF of the given pages (0-based) of `inhalt`."""
    from pypdf import PdfReader, PdfWriter

    leser = PdfReader(io.BytesIO(inhalt))
    schreiber = PdfWriter()
    for nummer in seiten:
        schreiber.add_page(leser.pages[nummer])
    ausgabe = io.BytesIO()
    schreiber.write(ausgabe)
    return ausgabe.getvalue()


def tiff_teil(inhalt: bytes, seiten: list[int]) -> bytes:
    with Image.open(io.BytesIO(inhalt)) as bild:
        bilder = []
        for nummer in seiten:
            bild.seek(nummer)
            bilder.append(bild.copy())
        dpi = bild.info.get("dpi")
    ausgabe = io.BytesIO()
    weitere = {"dpi": dpi} if dpi else {}
    bilder[0].save(
        ausgabe, "TIFF", save_all=True, append_images=bilder[1:], compression="tiff_lzw", **weitere
    )
    return ausgabe.getvalue()


def teil(inhalt: bytes, mime_typ: str, seiten: list[int]) -> bytes:
    if mime_typ == "application/pdf":
        return pdf_teil(inhalt, seiten)
    return tiff_teil(inhalt, seiten)
