"""Stored files: content-addressed by SHA-256, written once through Django's storage API.

The storage name is `<kommune-uuid>/<ab>/<sha256>`; the same content in one Kommune is stored
once and shared by every Version that has it. Nothing here ever overwrites or deletes a file.
"""

import hashlib
import logging
import re
import warnings
import zipfile
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from PIL import Image, UnidentifiedImageError

from .dateiarten import in_worten
from .models import Datei

logger = logging.getLogger(__name__)

KOPF_BYTES = 64 * 1024
OFFICE_ZIP_TYPEN = {
    "[Content_Types].xml": "application/vnd.openxmlformats-officedocument",
    "mimetype": "application/vnd.oasis.opendocument",
}


def speicher():
    return storages["default"]


@dataclass(frozen=True)
class Pruefergebnis:
    sha256: str
    groesse: int
    mime_typ: str


def pruefen(datei) -> Pruefergebnis:
    """Size, SHA-256 and content type of an uploaded file; a German ValidationError if refused."""
    groesse = datei.size or 0
    if groesse == 0:
        raise ValidationError("Die Datei ist leer (0 Bytes) und wurde nicht gespeichert.")
    grenze = settings.UPLOAD_MAX_BYTES
    if groesse > grenze:
        raise ValidationError(
            f"Die Datei ist mit {_mb(groesse)} zu groß; erlaubt sind höchstens {_mb(grenze)}."
        )
    mime_typ = dateityp(datei)
    if not _erlaubt(mime_typ):
        raise ValidationError(
            f"Dateien dieser Art ({in_worten(mime_typ)}) werden nicht angenommen. Erlaubt "
            "sind PDF, TIFF, JPEG, PNG, Office-Dokumente, Text und E-Mails."
        )
    if mime_typ.startswith("image/"):
        _bildgroesse_pruefen(datei)
    return Pruefergebnis(sha256=_sha256(datei), groesse=groesse, mime_typ=mime_typ)


def _bildgroesse_pruefen(datei) -> None:
    """A small file can claim a huge picture (30,000 x 30,000 pixels: a decompression bomb that
    would exhaust the memory of the OCR worker). Only the header is read here."""
    grenze = settings.UPLOAD_BILD_MAX_PIXEL
    meldung = (
        "Das Bild ist mit {pixel} zu groß; erlaubt sind höchstens {grenze}. Bitte mit geringerer "
        "Auflösung scannen (300 dpi genügen für die Texterkennung)."
    )
    datei.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(datei) as bild:
                breite, hoehe = bild.size
    except Image.DecompressionBombError as fehler:
        raise ValidationError(
            meldung.format(
                pixel="mehr als " + _megapixel(2 * Image.MAX_IMAGE_PIXELS),
                grenze=_megapixel(grenze),
            )
        ) from fehler
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return  # a damaged image is stored; the OCR says so (and the original stays)
    finally:
        datei.seek(0)
    if breite * hoehe > grenze:
        raise ValidationError(
            meldung.format(
                pixel=f"{breite} × {hoehe} Pixeln ({_megapixel(breite * hoehe)})",
                grenze=_megapixel(grenze),
            )
        )


def _megapixel(pixel: int) -> str:
    return f"{pixel / 1_000_000:.0f} Megapixel"


def dateityp(datei) -> str:
    """The MIME type by content (libmagic), never by the name the sender gave the file."""
    datei.seek(0)
    kopf = datei.read(KOPF_BYTES)
    datei.seek(0)
    mime_typ = magic.from_buffer(kopf, mime=True)
    if mime_typ == "application/zip":
        mime_typ = _office_im_zip(datei) or mime_typ
    elif kopf.startswith(OLE_KENNUNG) and mime_typ not in OLE_EINDEUTIG:
        mime_typ = _office_im_ole(datei) or mime_typ
    elif mime_typ.startswith("text/") and _ist_email(kopf):
        mime_typ = "message/rfc822"
    return mime_typ


OLE_KENNUNG = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_EINDEUTIG = {"application/msword", "application/vnd.ms-excel", "application/vnd.ms-outlook"}
OLE_STROEME = (  # the stream that says what an OLE container (Compound File) holds
    ("EncryptedPackage", "application/encrypted"),
    ("WordDocument", "application/msword"),
    ("Workbook", "application/vnd.ms-excel"),
    ("Book", "application/vnd.ms-excel"),
    ("PowerPoint Document", "application/vnd.ms-powerpoint"),
    ("__properties_version1.0", "application/vnd.ms-outlook"),
)


def _office_im_ole(datei) -> str | None:
    """libmagic calls many OLE files just "CDFV2"/"vnd.ms-office"; the streams tell."""
    import olefile

    try:
        datei.seek(0)
        with olefile.OleFileIO(datei) as ole:
            for strom, mime_typ in OLE_STROEME:
                if ole.exists(strom):
                    return mime_typ
    except (OSError, ValueError):
        return None
    finally:
        datei.seek(0)
    return None


def _ist_email(kopf: bytes) -> bool:
    """libmagic sees an e-mail as text unless it starts with certain headers; a block of
    headers with a sender and a subject or date is a message (RFC 5322)."""
    from email.parser import BytesHeaderParser
    from email.policy import compat32

    ende = kopf.find(b"\n\n")
    if ende < 0:
        ende = kopf.find(b"\r\n\r\n")
    if ende < 0 or not re.match(rb"[A-Za-z][A-Za-z0-9-]*:", kopf):
        return False
    kopfzeilen = BytesHeaderParser(policy=compat32).parsebytes(kopf[:ende])
    if kopfzeilen.defects or kopfzeilen.get_payload():
        return False
    namen = {name.lower() for name in kopfzeilen.keys()}
    return "from" in namen and bool(namen & {"subject", "date", "message-id"})


def _office_im_zip(datei) -> str | None:
    """libmagic sometimes calls a .docx/.odt just ZIP; look at the archive's table of contents."""
    try:
        with zipfile.ZipFile(datei) as archiv:
            namen = set(archiv.namelist())
            if "mimetype" in namen:  # ODF names its exact type in this first member
                genau = archiv.read("mimetype")[:100].decode("ascii", "replace").strip()
                if genau.startswith(OFFICE_ZIP_TYPEN["mimetype"]):
                    return genau
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        datei.seek(0)
    for kennung, mime_typ in OFFICE_ZIP_TYPEN.items():
        if kennung in namen:
            return mime_typ
    return None


def _erlaubt(mime_typ: str) -> bool:
    return any(mime_typ.startswith(erlaubt) for erlaubt in settings.UPLOAD_ERLAUBTE_TYPEN)


def _sha256(datei) -> str:
    pruefsumme = hashlib.sha256()
    datei.seek(0)
    for stueck in datei.chunks():
        pruefsumme.update(stueck)
    datei.seek(0)
    return pruefsumme.hexdigest()


def _mb(groesse: int) -> str:
    return f"{groesse / (1024 * 1024):.1f} MB".replace(".", ",")


def speicherort(kommune, sha256: str) -> str:
    return f"{kommune.uuid}/{sha256[:2]}/{sha256}"


def ablegen(*, kommune, datei, pruefung: Pruefergebnis) -> tuple[Datei, bool]:
    """Store the content unless this Kommune has it already. Returns (Datei, newly stored).

    Reads the Kommune given, not the caller's Bereich: content is unique per Kommune."""
    vorhanden = Datei.alle.filter(kommune=kommune, sha256=pruefung.sha256).first()
    if vorhanden is not None:
        return vorhanden, False
    name = speicherort(kommune, pruefung.sha256)
    try:
        if not speicher().exists(name):
            datei.seek(0)
            gespeichert = speicher().save(name, datei)
            if gespeichert != name:  # a parallel upload of the same content won the race
                speicher().delete(gespeichert)
    except OSError as fehler:  # disk full, folder not writable, bucket unreachable or refusing
        _halbes_entfernen(name, pruefung.groesse)
        logger.error("Dateispeicher: %s konnte nicht gespeichert werden: %s", name, fehler)
        raise ValidationError(SPEICHER_FEHLER) from fehler
    try:  # not get_or_create: the row was just looked for, asking again costs a statement
        with transaction.atomic():
            return Datei.alle.create(
                kommune=kommune, sha256=pruefung.sha256, groesse=pruefung.groesse,
                mime_typ=pruefung.mime_typ, speicherort=name,
            ), True  # fmt: skip
    except IntegrityError:  # a parallel upload of the same content committed its row first
        vorhanden = Datei.alle.filter(kommune=kommune, sha256=pruefung.sha256).first()
        if vorhanden is None:  # another constraint: not ours to hide
            raise
        return vorhanden, False


SPEICHER_FEHLER = (
    "Die Datei konnte nicht gespeichert werden: der Dateispeicher ist voll oder nicht "
    "erreichbar. Es wurde nichts gespeichert. Bitte versuchen Sie es später erneut und melden "
    "Sie es Ihrer IT, wenn es bleibt."
)


def _halbes_entfernen(name: str, groesse: int) -> None:
    """A write that failed half-way (disk full) leaves a truncated file under the final name:
    remove it (a complete file of the same content, from a parallel upload, stays)."""
    try:
        if speicher().exists(name) and speicher().size(name) != groesse:
            speicher().delete(name)
    except OSError:
        logger.exception("Dateispeicher: Rest von %s nicht entfernbar", name)


def oeffnen(datei: Datei):
    return speicher().open(datei.speicherort, "rb")


@dataclass(frozen=True)
class Befund:
    datei: Datei
    problem: str


def pruefsumme(inhalt) -> str:
    """The SHA-256 of an open binary file, read in blocks of 1 MB."""
    summe = hashlib.sha256()
    for stueck in iter(lambda: inhalt.read(1024 * 1024), b""):
        summe.update(stueck)
    return summe.hexdigest()


def bestand_pruefen(dateien, *, vollstaendig: bool = False) -> list[Befund]:
    """Every stored file that is missing or whose content no longer matches its SHA-256.

    In the folder every file is read and hashed. Object storage keeps the SHA-256 it verified
    when the object was written; that one is compared (a HEAD request, no download) unless
    `vollstaendig` asks to read and hash every object too."""
    befunde = []
    ablage = speicher()
    server_summe = None if vollstaendig else getattr(ablage, "pruefsumme", None)
    for datei in dateien.iterator(chunk_size=500):
        try:
            if server_summe is not None:
                summe = server_summe(datei.speicherort)
                if summe is None:  # written by another tool without a checksum: read it
                    with oeffnen(datei) as inhalt:
                        summe = pruefsumme(inhalt)
            else:
                with oeffnen(datei) as inhalt:
                    summe = pruefsumme(inhalt)
        except FileNotFoundError:
            befunde.append(Befund(datei, "fehlt"))
            continue
        if summe != datei.sha256:
            befunde.append(Befund(datei, "verändert (Prüfsumme stimmt nicht)"))
    return befunde


def inhalt_ablegen(*, kommune, inhalt: bytes, mime_typ: str) -> Datei:
    """Store bytes the system made itself (archive versions, thumbnails): no upload checks."""
    from django.core.files.base import ContentFile

    sha256 = hashlib.sha256(inhalt).hexdigest()
    pruefung = Pruefergebnis(sha256=sha256, groesse=len(inhalt), mime_typ=mime_typ)
    datei, _ = ablegen(kommune=kommune, datei=ContentFile(inhalt), pruefung=pruefung)
    return datei
