"""Stored files: content-addressed by SHA-256, written once through Django's storage API.

The storage name is `<kommune-uuid>/<ab>/<sha256>`; the same content in one Kommune is stored
once and shared by every Version that has it. Nothing here ever overwrites or deletes a file.
"""

import hashlib
import warnings
import zipfile
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from PIL import Image, UnidentifiedImageError

from .models import Datei

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
            f"Dateien dieser Art ({mime_typ}) werden nicht angenommen. Erlaubt sind PDF, TIFF, "
            "JPEG, PNG, Office-Dokumente, Text und E-Mails."
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
    return mime_typ


def _office_im_zip(datei) -> str | None:
    """libmagic sometimes calls a .docx/.odt just ZIP; look at the archive's table of contents."""
    try:
        with zipfile.ZipFile(datei) as archiv:
            namen = set(archiv.namelist())
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
    if not speicher().exists(name):
        datei.seek(0)
        gespeichert = speicher().save(name, datei)
        if gespeichert != name:  # a parallel upload of the same content won the race
            speicher().delete(gespeichert)
    eintrag, neu = Datei.alle.get_or_create(
        kommune=kommune,
        sha256=pruefung.sha256,
        defaults={"groesse": pruefung.groesse, "mime_typ": pruefung.mime_typ, "speicherort": name},
    )
    return eintrag, neu


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


def bestand_pruefen(dateien) -> list[Befund]:
    """Every stored file that is missing or whose content no longer matches its SHA-256."""
    befunde = []
    for datei in dateien.iterator(chunk_size=500):
        if not speicher().exists(datei.speicherort):
            befunde.append(Befund(datei, "fehlt"))
            continue
        with oeffnen(datei) as inhalt:
            summe = pruefsumme(inhalt)
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
