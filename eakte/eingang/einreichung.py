"""Reading one submission from the request body (JSON with base64 attachments, or multipart),
checked completely before anything is written. Every refusal is an `Ablehnung`: HTTP status,
short title and a German `detail` (answered as problem+json, RFC 9457)."""

import base64
import binascii
import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException
from defusedxml.minidom import parseString as xml_lesen
from django.conf import settings
from django.core.exceptions import TooManyFilesSent, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.utils.dateparse import parse_datetime

from eakte.akten import dateien

PROBLEM = "https://eakte.example/probleme/eingang/"


class Ablehnung(Exception):  # noqa: N818 - a refusal, not a program error
    def __init__(self, status: int, art: str, titel: str, detail: str, **weiteres):
        super().__init__(detail)
        self.status, self.art, self.titel, self.detail = status, art, titel, detail
        self.weiteres = weiteres

    def problem(self) -> dict:
        return {
            "type": PROBLEM + self.art,
            "title": self.titel,
            "status": self.status,
            "detail": self.detail,
            **self.weiteres,
        }


def ungueltig(detail: str, art: str = "ungueltig", **weiteres) -> Ablehnung:
    return Ablehnung(422, art, "Antrag ungültig", detail, **weiteres)


@dataclass
class Anlage:
    name: str
    inhalt: bytes
    ist_antrag: bool = False
    mime_typ: str = ""
    pruefung: dateien.Pruefergebnis | None = None  # set by the checks


@dataclass
class Einreichung:
    kommune_ags: str
    leistung: str
    referenz: str
    antragsteller_name: str
    eingereicht_am: datetime
    prozess_id: str = ""
    antragsteller_anschrift: str = ""
    daten: str = ""
    datenformat: str = "json"
    idempotenz_schluessel: str = ""
    anlagen: list[Anlage] = field(default_factory=list)
    betreff: str = ""

    @property
    def antrag_pdf(self) -> Anlage:
        return next(anlage for anlage in self.anlagen if anlage.ist_antrag)


def _text(daten: dict, schluessel: str, *, pflicht: bool = True, laenge: int = 300) -> str:
    wert = daten.get(schluessel, "")
    if wert is None:
        wert = ""
    if not isinstance(wert, str):
        raise ungueltig(f"Das Feld „{schluessel}“ muss Text sein.", feld=schluessel)
    wert = wert.strip()
    if pflicht and not wert:
        raise ungueltig(f"Das Feld „{schluessel}“ fehlt oder ist leer.", feld=schluessel)
    if len(wert) > laenge:
        raise ungueltig(
            f"Das Feld „{schluessel}“ ist länger als {laenge} Zeichen.", feld=schluessel
        )
    if "\x00" in wert:
        raise ungueltig(f"Das Feld „{schluessel}“ enthält ein Nullzeichen.", feld=schluessel)
    return wert


def _zeit(daten: dict) -> datetime:
    roh = _text(daten, "eingereicht_am", laenge=40)
    try:
        wert = parse_datetime(roh)
    except ValueError:
        wert = None
    if wert is None or wert.tzinfo is None:
        raise ungueltig(
            "„eingereicht_am“ muss ein Zeitpunkt nach ISO 8601 mit Zeitzone sein, z. B. "
            "2026-03-01T10:15:00+01:00.",
            feld="eingereicht_am",
        )
    return wert


def daten_pruefen(daten, datenformat: str) -> tuple[str, str]:
    """The structured data as text, exactly as received, after a well-formedness check."""
    if datenformat not in ("json", "xml"):
        raise ungueltig("„datenformat“ muss json oder xml sein.", feld="datenformat")
    if datenformat == "json":
        if isinstance(daten, (dict, list)):
            return json.dumps(daten, ensure_ascii=False), "json"
        if not isinstance(daten, str):
            raise ungueltig("„daten“ muss ein JSON-Objekt oder Text sein.", feld="daten")
        try:
            json.loads(daten)
        except ValueError as fehler:
            raise ungueltig(
                f"Die Antragsdaten sind kein gültiges JSON: {fehler}.", feld="daten"
            ) from fehler
        return daten, "json"
    if not isinstance(daten, str) or not daten.strip():
        raise ungueltig("Die XML-Antragsdaten fehlen.", feld="daten")
    try:
        xml_lesen(daten.encode(), forbid_dtd=True)
    except DefusedXmlException as fehler:
        raise ungueltig(
            "XML mit DOCTYPE- oder ENTITY-Deklarationen wird nicht angenommen.", feld="daten"
        ) from fehler
    except ExpatError as fehler:
        raise ungueltig(
            f"Die Antragsdaten sind kein wohlgeformtes XML: {fehler}.", feld="daten"
        ) from fehler
    return daten, "xml"


def _anlage_pruefen(anlage: Anlage, nummer: int) -> None:
    name = anlage.name or f"Anlage {nummer}"
    if not anlage.inhalt:
        raise ungueltig(f"Die Anlage „{name}“ ist leer (0 Bytes).", art="anlage-leer")
    grenze = settings.EINGANG_MAX_ANLAGE_BYTES
    if len(anlage.inhalt) > grenze:
        raise Ablehnung(
            413,
            "anlage-zu-gross",
            "Anlage zu groß",
            f"Die Anlage „{name}“ ist mit {len(anlage.inhalt) / 1048576:.1f} MB zu groß; "
            f"erlaubt sind höchstens {grenze / 1048576:.0f} MB je Anlage.",
        )
    datei = ContentFile(anlage.inhalt, name=name)
    try:
        pruefung = dateien.pruefen(datei)
    except ValidationError as fehler:
        raise ungueltig(
            f"Die Anlage „{name}“ wird nicht angenommen: {' '.join(fehler.messages)}",
            art="anlage-typ",
        ) from fehler
    anlage.mime_typ, anlage.pruefung = pruefung.mime_typ, pruefung
    if anlage.ist_antrag or name.lower().endswith(".pdf"):
        if pruefung.mime_typ != "application/pdf":
            raise ungueltig(
                f"Die Anlage „{name}“ soll ein PDF sein, ist aber kein PDF "
                f"(erkannt: {pruefung.mime_typ}).",
                art="kein-pdf",
            )
        _pdf_lesbar(anlage, name)


def _pdf_lesbar(anlage: Anlage, name: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        if len(PdfReader(io.BytesIO(anlage.inhalt)).pages) == 0:
            raise ungueltig(f"Das PDF „{name}“ hat keine Seiten.", art="kein-pdf")
    except (PdfReadError, ValueError, KeyError, TypeError) as fehler:
        raise ungueltig(
            f"Die Anlage „{name}“ ist kein lesbares PDF: {fehler}", art="kein-pdf"
        ) from fehler


def anlagen_pruefen(anlagen: list[Anlage]) -> None:
    grenze = settings.EINGANG_MAX_ANLAGEN
    if len(anlagen) > grenze:
        raise ungueltig(
            f"Der Antrag hat {len(anlagen)} Anlagen; höchstens {grenze} werden angenommen.",
            art="zu-viele-anlagen",
        )
    if sum(anlage.ist_antrag for anlage in anlagen) != 1:
        raise ungueltig(
            'Genau eine Anlage muss das Antrags-PDF sein ("antrag": true bzw. das Feld '
            "„antrag“ im Multipart-Formular).",
            art="antrag-pdf",
        )
    for nummer, anlage in enumerate(anlagen, start=1):
        _anlage_pruefen(anlage, nummer)


def _metadaten(daten: dict, anlagen: list[Anlage], idempotenz: str) -> Einreichung:
    meta = daten.get("metadaten", daten)
    if not isinstance(meta, dict):
        raise ungueltig("„metadaten“ muss ein Objekt sein.", feld="metadaten")
    antragsteller = meta.get("antragsteller") or {}
    if not isinstance(antragsteller, dict):
        raise ungueltig("„antragsteller“ muss ein Objekt sein.", feld="antragsteller")
    leistung = _text(meta, "leistungsschluessel", pflicht=False, laenge=100)
    prozess_id = _text(meta, "prozess_id", pflicht=False, laenge=200)
    if not (leistung or prozess_id):
        raise ungueltig(
            "Bitte die Leistung angeben: „leistungsschluessel“ (FIM) oder „prozess_id“.",
            feld="leistungsschluessel",
        )
    text, datenformat = daten_pruefen(
        daten.get("daten", {}), str(daten.get("datenformat", "json")).lower()
    )
    anlagen_pruefen(anlagen)
    return Einreichung(
        kommune_ags=_text(meta, "kommune_ags", laenge=12),
        leistung=leistung or prozess_id,
        prozess_id=prozess_id,
        referenz=_text(meta, "referenz", laenge=200),
        antragsteller_name=_text(antragsteller, "name", laenge=300),
        antragsteller_anschrift=_text(antragsteller, "anschrift", pflicht=False, laenge=500),
        eingereicht_am=_zeit(meta),
        betreff=_text(meta, "betreff", pflicht=False, laenge=300),
        daten=text,
        datenformat=datenformat,
        idempotenz_schluessel=idempotenz[:200],
        anlagen=anlagen,
    )


def aus_json(body: bytes, idempotenz: str) -> Einreichung:
    try:
        daten = json.loads(body)
    except ValueError as fehler:
        raise Ablehnung(
            400, "json", "Fehlerhaftes JSON", f"Der Body ist kein gültiges JSON: {fehler}."
        ) from fehler
    if not isinstance(daten, dict):
        raise Ablehnung(400, "json", "Fehlerhaftes JSON", "Der Body muss ein JSON-Objekt sein.")
    roh = daten.get("anlagen", [])
    if not isinstance(roh, list):
        raise ungueltig("„anlagen“ muss eine Liste sein.", feld="anlagen")
    if len(roh) > settings.EINGANG_MAX_ANLAGEN:
        anlagen_pruefen([Anlage("", b"")] * len(roh))  # says: too many
    anlagen = []
    for nummer, eintrag in enumerate(roh, start=1):
        if not isinstance(eintrag, dict):
            raise ungueltig(f"Anlage {nummer} muss ein Objekt sein.", feld="anlagen")
        name = _text(eintrag, "dateiname", laenge=255)
        try:
            inhalt = base64.b64decode(eintrag.get("inhalt") or "", validate=True)
        except (binascii.Error, TypeError, ValueError) as fehler:
            raise ungueltig(
                f"Der Inhalt der Anlage „{name}“ ist kein gültiges Base64.", feld="anlagen"
            ) from fehler
        anlagen.append(Anlage(name=name, inhalt=inhalt, ist_antrag=eintrag.get("antrag") is True))
    return _metadaten(daten, anlagen, idempotenz)


def aus_multipart(body: bytes, content_type: str, idempotenz: str) -> Einreichung:
    """Parts: `metadaten` (JSON: the same object as the JSON form without `anlagen`), files in
    `antrag` (the application PDF) and `anlagen` (any number)."""
    meta = {"CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(body))}
    try:
        handler = [MemoryFileUploadHandler(), TemporaryFileUploadHandler()]
        felder, dateien_ = MultiPartParser(meta, io.BytesIO(body), handler).parse()
    except TooManyFilesSent as fehler:
        raise ungueltig(
            f"Der Antrag hat zu viele Anlagen; höchstens {settings.EINGANG_MAX_ANLAGEN} werden "
            "angenommen.",
            art="zu-viele-anlagen",
        ) from fehler
    except (MultiPartParserError, ValueError) as fehler:
        raise Ablehnung(
            400,
            "multipart",
            "Fehlerhaftes Formular",
            f"Das Multipart-Formular ist fehlerhaft: {fehler}",
        ) from fehler
    try:
        daten = json.loads(felder.get("metadaten", ""))
    except ValueError as fehler:
        raise Ablehnung(
            400,
            "json",
            "Fehlerhaftes JSON",
            f"Das Feld „metadaten“ ist kein gültiges JSON: {fehler}.",
        ) from fehler
    if not isinstance(daten, dict):
        raise Ablehnung(400, "json", "Fehlerhaftes JSON", "„metadaten“ muss ein JSON-Objekt sein.")
    if "daten" in felder:
        daten["daten"] = felder["daten"]
    anlagen = [
        Anlage(name=datei.name, inhalt=datei.read(), ist_antrag=True)
        for datei in dateien_.getlist("antrag")
    ] + [Anlage(name=datei.name, inhalt=datei.read()) for datei in dateien_.getlist("anlagen")]
    return _metadaten(daten, anlagen, idempotenz)
