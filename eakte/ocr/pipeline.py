"""Turning one stored file into text, a PDF/A archive version and a thumbnail.

Pure file work, no database: `verarbeiten` takes a path and the content type and returns an
`Ergebnis`, or raises `Eingabefehler` with a German message the clerk understands.
"""

import io
import logging
import shutil
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import ocrmypdf
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET
from django.conf import settings
from ocrmypdf import exceptions as ocr_fehler
from PIL import Image, UnidentifiedImageError
from pypdf import PageObject, PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject

from . import fortschritt, mail, office

logger = logging.getLogger(__name__)

PDF = "application/pdf"
BILDER = {"image/tiff", "image/jpeg", "image/png"}
# Converted to PDF/A by LibreOffice (prefixes: DOCX/XLSX/PPTX, ODT/ODS/ODP with their templates).
# Not ODF drawings or formulas: LibreOffice Draw/Math are not installed, so those stay "ohne
# Texterkennung" instead of failing.
OFFICE = (
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/rtf",
    "text/rtf",
    "application/encrypted",  # password-protected OOXML: office.pruefen explains
)
TEXT = {"text/plain", "text/csv"}
HTML = "text/html"
MAILS = {mail.EML, mail.MSG}
MIN_ZEICHEN_JE_SEITE = 20
ERSATZ_DPI = 300
NACHLADEN = "Das Original bleibt gespeichert und kann heruntergeladen werden."


class Eingabefehler(Exception):
    """The file itself cannot be processed; retrying will not help."""


class _HarmloseMeldungen(logging.Filter):
    """Tesseract reports a page with too little text for the orientation check as "Too few
    characters. Skipping this page" and "Error during processing.", which OCRmyPDF logs at ERROR
    although it goes on with the page; so do other harmless notes. They are lowered to INFO so
    that real errors stand out. Per thread: the lines of one Tesseract call come in order."""

    HARMLOS = ("Too few characters", "Invalid resolution", "Empty page")

    def __init__(self):
        super().__init__()
        self._zuletzt = threading.local()

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        harmlos = any(teil in text for teil in self.HARMLOS)
        if not harmlos and "Error during processing" in text:
            harmlos = getattr(self._zuletzt, "harmlos", False)  # the end of a harmless report
        self._zuletzt.harmlos = harmlos
        if harmlos and record.levelno > logging.INFO:
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


logging.getLogger("ocrmypdf._exec.tesseract").addFilter(_HarmloseMeldungen())


@dataclass
class Ergebnis:
    verfahren: str  # models.Verfahren
    seiten: int | None
    text: str
    archiv: bytes | None = None
    vorschaubild: bytes | None = None
    hinweis: str = ""
    anlagen: list[mail.Anlage] = field(default_factory=list)  # of an e-mail


def umwandelbar(mime_typ: str) -> bool:
    """Office files, text, HTML and e-mails: converted to PDF/A by LibreOffice."""
    if mime_typ == "application/vnd.oasis.opendocument":  # an ODF of a kind libmagic missed
        return True
    return mime_typ.startswith(OFFICE) or mime_typ in TEXT or mime_typ == HTML or mime_typ in MAILS


def engine_version() -> str:
    try:
        programm = shutil.which("tesseract") or "/usr/bin/tesseract"
        tesseract = subprocess.run(
            [programm, "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout.split()[1]
    except (subprocess.SubprocessError, OSError, IndexError):
        tesseract = "?"
    return f"OCRmyPDF {ocrmypdf.__version__}, Tesseract {tesseract}"


def _pdf_lesen(pfad: Path) -> PdfReader:
    try:
        leser = PdfReader(pfad)
        if leser.is_encrypted and not leser.decrypt(""):
            raise Eingabefehler(
                "Die PDF-Datei ist mit einem Passwort geschützt. Bitte die Datei ohne "
                f"Passwortschutz speichern oder das Papier neu scannen und hochladen. {NACHLADEN}"
            )
        anzahl = len(leser.pages)
    except Eingabefehler:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as fehler:
        raise Eingabefehler(
            "Die PDF-Datei ist beschädigt und kann nicht gelesen werden. Bitte neu scannen "
            f"oder beim Absender eine neue Datei anfordern. {NACHLADEN}"
        ) from fehler
    if anzahl == 0:
        raise Eingabefehler(f"Die PDF-Datei enthält keine Seiten. {NACHLADEN}")
    return leser


XFA_DYNAMISCH = (
    "Die Datei ist ein dynamisches XFA-Formular (Adobe LiveCycle): seine Seiten entstehen erst in "
    "Adobe Acrobat oder Adobe Reader, alle anderen Programme (auch die Ansicht hier und die "
    "Archivierung als PDF/A) sehen nur eine Platzhalterseite. Die eingetragenen Formulardaten "
    "wurden für die Suche übernommen. Für die Akte bitte das Formular in Adobe Reader öffnen, "
    "als PDF drucken („Microsoft Print to PDF“ oder „Als PDF speichern“) und diese Fassung als "
    "neue Version hochladen. " + NACHLADEN
)
XFA_HOECHSTENS = 5_000_000  # bytes of XFA XML read for the form data


def _xfa_daten(leser: PdfReader) -> tuple[bool, str] | None:
    """For an XFA form (/AcroForm /XFA): whether it is dynamic (/NeedsRendering, its pages are
    only a placeholder) and the text of its form data (the `datasets` packet), else None."""
    try:
        wurzel = leser.trailer["/Root"]
        formular = wurzel.get("/AcroForm")
        formular = formular.get_object() if formular is not None else None
        if formular is None or "/XFA" not in formular:
            return None
        dynamisch = bool(wurzel.get("/NeedsRendering", False))
    except (PdfReadError, KeyError, TypeError, AttributeError):
        return None
    try:
        xfa = formular["/XFA"].get_object()
        if isinstance(xfa, ArrayObject):  # [name, stream, name, stream, …]: the datasets
            pakete = {str(xfa[i]): xfa[i + 1] for i in range(0, len(xfa) - 1, 2)}
            strom = pakete.get("datasets")
            xml = strom.get_object().get_data() if strom is not None else b""
        else:  # one stream with all packets
            xml = xfa.get_data()
    except Exception:  # noqa: BLE001  (damaged form data: the form is still an XFA form)
        logger.info("Formulardaten des XFA-Formulars nicht lesbar", exc_info=True)
        return dynamisch, ""
    return dynamisch, _xfa_text(xml[:XFA_HOECHSTENS])


def _xfa_text(xml: bytes) -> str:
    """The values filled in: the text of the <xfa:data> element (or of the whole XML)."""
    try:
        baum = DefusedET.fromstring(xml)
    except (DefusedET.ParseError, DefusedXmlException, ValueError):
        return ""
    daten = next((e for e in baum.iter() if e.tag.rsplit("}", 1)[-1] == "data"), baum)
    return "\n".join(teil.strip() for teil in daten.itertext() if teil.strip())


def _texte(leser: PdfReader) -> list[str]:
    texte = []
    for seite in leser.pages:
        try:
            texte.append(seite.extract_text() or "")
        except Exception:  # noqa: BLE001  (a broken content stream means: no usable text)
            texte.append("")
    return texte


def bildseiten(pfad: Path) -> int:
    try:
        with Image.open(pfad) as bild:
            return getattr(bild, "n_frames", 1)
    except Image.DecompressionBombError as fehler:
        raise Eingabefehler(_zu_gross(None, None)) from fehler
    except (UnidentifiedImageError, OSError) as fehler:
        raise Eingabefehler(
            f"Die Bilddatei ist beschädigt und kann nicht gelesen werden. {NACHLADEN}"
        ) from fehler


def _zu_gross(seite: int | None, pixel: int | None) -> str:
    grenze = settings.OCR_MAX_SEITENPIXEL // 1_000_000
    welche = f"Seite {seite}" if seite else "Eine Seite"
    wie_gross = f" (etwa {pixel // 1_000_000} Megapixel)" if pixel else ""
    return (
        f"{welche} ist zu groß für die Texterkennung{wie_gross}; verarbeitet werden höchstens "
        f"{grenze} Megapixel je Seite (bei {ERSATZ_DPI} dpi). Bitte die Seite mit geringerer "
        f"Auflösung oder in kleinerem Format scannen bzw. speichern und neu hochladen. {NACHLADEN}"
    )


def _pixel_pruefen(seite: int, pixel: int) -> None:
    if pixel > settings.OCR_MAX_SEITENPIXEL:
        raise Eingabefehler(_zu_gross(seite, pixel))


def _pdf_seitenpixel(seite: PageObject) -> int:
    """Pixels OCRmyPDF renders the page with: its size at 300 dpi, or more if an image on it
    has more (it renders at the resolution of the page's images)."""
    faktor = ERSATZ_DPI / 72
    pixel = int(float(seite.mediabox.width) * faktor * float(seite.mediabox.height) * faktor)
    try:
        xobjekte = seite["/Resources"]["/XObject"]
        for objekt in xobjekte.values():
            objekt = objekt.get_object()
            if objekt.get("/Subtype") == "/Image":
                pixel = max(pixel, int(objekt["/Width"]) * int(objekt["/Height"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        pass  # no (readable) images: the page size decides
    return pixel


def _bild_vorbereiten(pfad: Path, arbeitsordner: Path) -> Path:
    """Check every frame's size; images OCRmyPDF refuses (alpha channel, CMYK without ICC
    profile) are flattened onto white and converted to RGB first, as a TIFF beside the original
    (which stays untouched)."""
    try:
        with Image.open(pfad) as bild:
            frames = getattr(bild, "n_frames", 1)
            umwandeln = False
            for nummer in range(frames):
                bild.seek(nummer)
                _pixel_pruefen(nummer + 1, bild.width * bild.height)
                bild.load()  # a damaged body fails here with our message, not inside OCRmyPDF
                umwandeln |= _alpha(bild) or bild.mode == "CMYK"
            if not umwandeln:
                return pfad
            seiten = []
            for nummer in range(frames):
                bild.seek(nummer)
                seiten.append(_als_rgb(bild))
            dpi = bild.info.get("dpi")
    except Image.DecompressionBombError as fehler:
        raise Eingabefehler(_zu_gross(None, None)) from fehler
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as fehler:
        logger.warning("Bild %s nicht lesbar: %s", pfad, fehler)
        raise Eingabefehler(
            f"Die Bilddatei ist beschädigt und kann nicht gelesen werden. {NACHLADEN}"
        ) from fehler
    ziel = arbeitsordner / "bild.tiff"
    weitere = {"dpi": dpi} if dpi else {}
    seiten[0].save(
        ziel, "TIFF", compression="tiff_lzw", save_all=True, append_images=seiten[1:], **weitere
    )
    return ziel


def _alpha(bild: Image.Image) -> bool:
    return bild.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in bild.info


def _als_rgb(bild: Image.Image) -> Image.Image:
    if _alpha(bild):
        farbig = bild.convert("RGBA")
        weiss = Image.new("RGB", farbig.size, (255, 255, 255))
        weiss.paste(farbig, mask=farbig.getchannel("A"))
        return weiss
    return bild.convert("RGB")


def engine(verfahren: str) -> str:
    """What made the text and the archive version, for the Transfervermerk."""
    if verfahren == "ocr":
        return engine_version()
    if verfahren in ("umwandlung", "email"):
        return office.version()
    return "pypdf"


def seiten_zaehlen(pfad, mime_typ: str) -> int | None:
    """Quick page count (path or open file) before processing, for the time limit."""
    if hasattr(pfad, "seek"):
        pfad.seek(0)
    try:
        if mime_typ == PDF:
            return len(_pdf_lesen(pfad).pages)
        if mime_typ in BILDER:
            return bildseiten(pfad)
    except Eingabefehler:
        return None
    finally:
        if hasattr(pfad, "seek"):
            pfad.seek(0)
    return None


def _seitenzahl_pruefen(seiten: int) -> None:
    grenze = settings.OCR_MAX_SEITEN
    if seiten > grenze:
        raise Eingabefehler(
            f"Die Datei hat {seiten} Seiten; die Texterkennung verarbeitet höchstens {grenze} "
            f"Seiten in einem Dokument. Bitte den Stapel in kleinere Dokumente teilen. {NACHLADEN}"
        )


def verarbeiten(
    pfad: Path, mime_typ: str, arbeitsordner: Path, melden: Callable[[int, int], None]
) -> Ergebnis:
    if mime_typ == PDF:
        leser = _pdf_lesen(pfad)
        _seitenzahl_pruefen(len(leser.pages))
        xfa = _xfa_daten(leser)
        if xfa is not None and xfa[0]:
            melden(len(leser.pages), len(leser.pages))
            return Ergebnis(
                verfahren="textebene",
                seiten=len(leser.pages),
                text=xfa[1],
                vorschaubild=vorschaubild(pfad),
                hinweis=XFA_DYNAMISCH,
            )
        texte = _texte(leser)
        if all(len(text.strip()) >= MIN_ZEICHEN_JE_SEITE for text in texte):
            melden(len(texte), len(texte))
            return Ergebnis(
                verfahren="textebene",
                seiten=len(texte),
                text="\n\f".join(texte),
                vorschaubild=vorschaubild(pfad),
            )
        for nummer, (seite, text) in enumerate(zip(leser.pages, texte, strict=True), start=1):
            if len(text.strip()) < MIN_ZEICHEN_JE_SEITE:  # this page goes through OCR
                _pixel_pruefen(nummer, _pdf_seitenpixel(seite))
        return _ocr(pfad, arbeitsordner, len(texte), melden)
    if mime_typ in BILDER:
        seiten = bildseiten(pfad)
        _seitenzahl_pruefen(seiten)
        return _ocr(_bild_vorbereiten(pfad, arbeitsordner), arbeitsordner, seiten, melden)
    if mime_typ in MAILS:
        return _mail(pfad, mime_typ, arbeitsordner, melden)
    if umwandelbar(mime_typ):
        return _umwandeln(pfad, mime_typ, arbeitsordner, melden)
    return Ergebnis(verfahren="keine", seiten=None, text="")


def _lo_eingabe(pfad: Path, mime_typ: str, arbeitsordner: Path) -> tuple[Path, str]:
    """The file LibreOffice is given, and its import filter. Text is decoded here (UTF-8, else
    Windows-1252) and HTML cleaned first, so that converting it loads nothing from outside."""
    if mime_typ in TEXT:
        roh = pfad.read_bytes()
        try:
            text = roh.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = roh.decode("cp1252", errors="replace")
        eingabe = arbeitsordner / "text.txt"
        eingabe.write_text(text, encoding="utf-8")
        return eingabe, "Text (encoded):UTF8,LF,,,"
    if mime_typ == HTML:
        roh = pfad.read_bytes().decode("utf-8", errors="replace")
        eingabe = arbeitsordner / "seite.html"
        eingabe.write_text(_html_seite(mail.html_bereinigen(roh)), encoding="utf-8")
        return eingabe, "HTML (StarWriter)"
    # the copy of the original has no extension: LibreOffice detects the format by content
    return pfad, ""


def _html_seite(koerper: str) -> str:
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{koerper}</body></html>'


def _umwandeln(pfad: Path, mime_typ: str, arbeitsordner: Path, melden) -> Ergebnis:
    try:
        office.pruefen(pfad)
        eingabe, filter_ = _lo_eingabe(pfad, mime_typ, arbeitsordner)
        rendition = office.nach_pdfa(eingabe, arbeitsordner, filter_=filter_)
    except office.Umwandlungsfehler as fehler:
        raise Eingabefehler(str(fehler)) from fehler
    return _aus_rendition(rendition, melden)


def _aus_rendition(rendition: Path, melden, *, text: str | None = None, **weiteres) -> Ergebnis:
    archiv = rendition.read_bytes()
    leser = PdfReader(io.BytesIO(archiv))
    seiten = len(leser.pages)
    melden(seiten, seiten)
    return Ergebnis(
        verfahren=weiteres.pop("verfahren", "umwandlung"),
        seiten=seiten,
        text=text if text is not None else "\n\f".join(_texte(leser)),
        archiv=archiv,
        vorschaubild=vorschaubild(rendition),
        **weiteres,
    )


def _mail(pfad: Path, mime_typ: str, arbeitsordner: Path, melden) -> Ergebnis:
    """The message as PDF/A (headers and body) with its exact text; attachments returned for
    filing as Dokumente of their own (at most MAIL_MAX_ANLAGEN, empty ones skipped)."""
    try:
        nachricht = mail.lesen(pfad, mime_typ)
    except mail.Mailfehler as fehler:
        raise Eingabefehler(str(fehler)) from fehler
    hinweise = list(nachricht.hinweise)
    anlagen = []
    for anlage in nachricht.anlagen:
        if not anlage.inhalt:
            hinweise.append(
                f"Die Anlage „{anlage.name}“ ist leer (0 Bytes) und wurde übersprungen."
            )
        else:
            anlagen.append(anlage)
    grenze = settings.MAIL_MAX_ANLAGEN
    if len(anlagen) > grenze:
        hinweise.append(
            f"Die E-Mail hat {len(anlagen)} Anlagen; die ersten {grenze} wurden als eigene "
            f"Dokumente übernommen, die übrigen {len(anlagen) - grenze} nicht. Alle Anlagen "
            "bleiben in der Original-E-Mail enthalten."
        )
        anlagen = anlagen[:grenze]
    eingabe = arbeitsordner / "nachricht.html"
    eingabe.write_text(mail.als_html(nachricht), encoding="utf-8")
    try:
        rendition = office.nach_pdfa(eingabe, arbeitsordner, filter_="HTML (StarWriter)")
    except office.Umwandlungsfehler as fehler:
        raise Eingabefehler(str(fehler)) from fehler
    return _aus_rendition(
        rendition,
        melden,
        text=nachricht.suchtext(),
        verfahren="email",
        anlagen=anlagen,
        hinweis=" ".join(hinweise),
    )


def _ocr(pfad: Path, arbeitsordner: Path, seiten: int, melden) -> Ergebnis:
    ausgabe = arbeitsordner / "archiv.pdf"
    fortschritt.melden = melden
    hinweis = ""
    try:
        hinweis = _ocr_mit_ausweichen(pfad, ausgabe)
    finally:
        fortschritt.melden = None
    archiv = ausgabe.read_bytes()
    leser = PdfReader(io.BytesIO(archiv))
    return Ergebnis(
        verfahren="ocr",
        seiten=len(leser.pages),
        text="\n\f".join(_texte(leser)),
        archiv=archiv,
        vorschaubild=vorschaubild(ausgabe),
        hinweis=hinweis,
    )


def _ocr_mit_ausweichen(pfad: Path, ausgabe: Path) -> str:
    """OCR to PDF/A-2b; images without a resolution get 300 dpi; a file that cannot become
    PDF/A without Ghostscript (e.g. fonts that are not embedded) becomes a searchable PDF."""
    weitere: dict = {}
    for _ in range(3):
        try:
            _ocrmypdf(pfad, ausgabe, **weitere)
            break
        except ocr_fehler.DpiError:
            weitere["image_dpi"] = ERSATZ_DPI
        except ocr_fehler.PdfaConversionFailedError:
            weitere["output_type"] = "pdf"
    else:
        _ocrmypdf(pfad, ausgabe, **weitere)
    if weitere.get("output_type") != "pdf":
        return ""
    schriften = nicht_eingebettete_schriften(pfad)
    if schriften:
        namen = ", ".join(schriften[:5]) + (" …" if len(schriften) > 5 else "")
        return (
            "Die Archivversion ist ein durchsuchbares PDF, aber kein PDF/A: die Vorlage "
            f"enthält nicht eingebettete Schriften ({namen}), die sich ohne Veränderung des "
            "Schriftbilds nicht einbetten lassen. Für ein PDF/A die Datei beim Absender mit "
            "eingebetteten Schriften anfordern."
        )
    # OCRmyPDF's internal backend does not say why; we only name what we can check
    return (
        "Die Archivversion ist ein durchsuchbares PDF, aber kein PDF/A: die Vorlage enthält "
        "Bestandteile, die sich nicht verlustfrei in PDF/A umwandeln lassen; welche, lässt "
        "sich nicht sicher feststellen."
    )


def nicht_eingebettete_schriften(pfad: Path) -> list[str]:
    """Names of the fonts used on the pages (and their forms) whose font program is not in the
    file. Type 3 fonts are drawn by the file itself and count as embedded."""
    import pikepdf

    namen: set[str] = set()

    def ressourcen(res, tiefe: int = 0) -> None:
        if res is None or tiefe > 5:
            return
        for schrift in (res.get("/Font") or {}).values():
            if not _eingebettet(schrift):
                namen.add(str(schrift.get("/BaseFont", "?")).lstrip("/"))
        for objekt in (res.get("/XObject") or {}).values():
            if objekt.get("/Subtype") == "/Form":
                ressourcen(objekt.get("/Resources"), tiefe + 1)

    try:
        with pikepdf.open(pfad) as pdf:
            for seite in pdf.pages:
                ressourcen(seite.obj.get("/Resources"))
    except (pikepdf.PdfError, OSError, AttributeError, TypeError, ValueError):
        logger.info("Schriften von %s nicht lesbar", pfad, exc_info=True)
    return sorted(namen)


def _eingebettet(schrift) -> bool:
    if schrift.get("/Subtype") == "/Type3":
        return True
    if schrift.get("/Subtype") == "/Type0":
        nachfahren = schrift.get("/DescendantFonts") or []
        return all(_eingebettet(nachfahre) for nachfahre in nachfahren)
    beschreibung = schrift.get("/FontDescriptor")
    return beschreibung is not None and any(
        schluessel in beschreibung for schluessel in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def _ocrmypdf(eingabe: Path, ausgabe: Path, **weitere) -> None:
    try:
        code = ocrmypdf.ocr(
            eingabe,
            ausgabe,
            language=["deu", "eng"],
            output_type=weitere.pop("output_type", "pdfa-2"),  # "pdf" as the fallback
            # PDF/A by pikepdf and rendering by pdfium: Debian 12's Ghostscript 10.0 damages
            # existing text layers, and OCRmyPDF refuses it together with skip_text.
            pdfa_backend="internal",
            rasterizer="pypdfium",
            deskew=True,
            rotate_pages=True,
            skip_text=True,  # pages that already have text keep it
            jbig2_lossy=False,  # lossy JBIG2 may change characters; TR-RESISCAN forbids it
            optimize=1,
            jobs=1,  # one OCR process per worker child; scale with worker concurrency
            progress_bar=True,
            plugins=["eakte.ocr.fortschritt"],
            **weitere,
        )
    except ocr_fehler.EncryptedPdfError as fehler:
        raise Eingabefehler(
            "Die PDF-Datei ist verschlüsselt. Bitte ohne Passwortschutz speichern oder neu "
            f"scannen. {NACHLADEN}"
        ) from fehler
    except (ocr_fehler.InputFileError, ocr_fehler.UnsupportedImageFormatError) as fehler:
        # OCRmyPDF's English text is for the log (operators), not for the clerk
        logger.warning("OCRmyPDF lehnt %s ab: %s: %s", eingabe, type(fehler).__name__, fehler)
        raise Eingabefehler(
            "Die Datei ist in einem Format gespeichert, das die Texterkennung nicht verarbeiten "
            "kann. Bitte die Vorlage als PDF oder als Bild (TIFF, PNG oder JPEG in Schwarzweiß, "
            f"Graustufen oder Farbe) neu scannen oder speichern und hochladen. {NACHLADEN}"
        ) from fehler
    if code not in (ocrmypdf.ExitCode.ok, ocrmypdf.ExitCode.pdfa_conversion_failed):
        raise RuntimeError(f"OCRmyPDF endete mit {code!r}")


def vorschaubild(pdf: Path, breite: int = 240) -> bytes | None:
    """Page 1 as a small PNG, rendered with pdfium (already installed with OCRmyPDF)."""
    import pypdfium2

    try:
        dokument = pypdfium2.PdfDocument(str(pdf))
        try:
            seite = dokument[0]
            bild = seite.render(scale=breite / seite.get_width()).to_pil()
        finally:
            dokument.close()
    except (pypdfium2.PdfiumError, OSError, IndexError):
        logger.warning("Vorschaubild für %s konnte nicht erzeugt werden", pdf)
        return None
    puffer = io.BytesIO()
    bild.convert("RGB").save(puffer, "PNG", optimize=True)
    return puffer.getvalue()
