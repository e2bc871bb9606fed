"""xdomea 3.0.0 messages of the Aussonderung: written as a stream (lxml.etree.xmlfile, one
Schriftgutobjekt at a time, never a whole tree in memory), read defensively (no entities, no
network), and validated against the official schemas (settings.XDOMEA_SCHEMA_DIR)."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from lxml import etree

NS = "urn:xoev-de:xdomea:schema:3.0.0"
VERSION = "3.0.0"
X = "{%s}" % NS  # noqa: UP031 - a Clark-notation prefix
PRODUKT = "eAkte IKZ"

DATEIFORMATE = {
    "pdfa": "044",
    "application/pdf": "018",
    "image/png": "019",
    "image/jpeg": "011",
    "image/tiff": "024",
    "text/plain": "045",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "035",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "036",
    "application/vnd.oasis.opendocument.text": "015",
    "message/rfc822": "006",
}
TYPEN = {
    "0501": "Aussonderung.Anbieteverzeichnis",
    "0502": "Aussonderung.Bewertungsverzeichnis",
    "0503": "Aussonderung.Aussonderung",
    "0504": "Aussonderung.AnbietungEmpfangBestaetigen",
    "0505": "Aussonderung.BewertungEmpfangBestaetigen",
    "0506": "Aussonderung.AussonderungImportBestaetigen",
    "0507": "Aussonderung.AussonderungEmpfangBestaetigen",
}


def dateiname(prozess_id, typ: str) -> str:
    """`<ProzessID>_Aussonderung.Anbieteverzeichnis.0501.xml` (xdomea transport convention)."""
    return f"{prozess_id}_{TYPEN[typ]}.{typ}.xml"


# --- Schema ------------------------------------------------------------------------------


@functools.cache
def schema():
    import xmlschema

    pfad = Path(settings.XDOMEA_SCHEMA_DIR) / VERSION / "xdomea.xsd"
    if not pfad.exists():
        raise ValidationError(
            f"Die xdomea-Schemata (Version {VERSION}) fehlen auf dem Server ({pfad})."
        )
    return xmlschema.XMLSchema(str(pfad))


def validieren(quelle) -> None:
    """Schema validation of a file path or open binary file; German ValidationError."""
    fehler = next(iter(schema().iter_errors(quelle)), None)
    if fehler is not None:
        pfad = getattr(fehler, "path", "") or ""
        grund = getattr(fehler, "reason", "") or str(fehler).splitlines()[0]
        raise ValidationError(
            f"Die Nachricht entspricht nicht dem xdomea-Schema {VERSION}: {grund} ({pfad})."
        )


# --- Writing -----------------------------------------------------------------------------


@dataclass
class Kontakt:
    kennung: str
    name: str


@dataclass
class Kopf:
    prozess_id: uuid.UUID
    typ: str
    absender: Kontakt
    empfaenger: Kontakt


@dataclass
class Primaerdatei:
    """One file of a version in the ZIP: `name` is its file name there, `oeffnen` its content."""

    name: str
    original: str
    format_code: str
    sha256: str
    groesse: int
    oeffnen: object = None


@dataclass
class DokVersion:
    nummer: int
    datum: datetime
    dateien: list[Primaerdatei]


@dataclass
class Dok:
    id: uuid.UUID
    titel: str
    typ: str
    posteingangsdatum: date | None
    postausgangsdatum: date | None
    absender: str
    empfaenger: str
    versionen: list[DokVersion] = field(default_factory=list)


@dataclass
class Vorg:
    id: uuid.UUID
    betreff: str
    kennzeichen: str
    zda_am: date | None
    beginn: date | None
    dokumente: Iterable[Dok] = ()


@dataclass
class AkteDaten:
    id: uuid.UUID
    aktenzeichen: str
    betreff: str
    beginn: date
    ende: date | None
    zda_am: date | None
    aufbewahrung_bis: date | None
    frist_jahre: int | None
    einheit_kennzeichen: str
    einheit_titel: str
    art: str  # A, B or V
    federfuehrung: str
    vorgaenge: Iterable[Vorg] = ()


def _text(xf, name: str, wert) -> None:
    if wert is None or wert == "":
        return
    with xf.element(X + name):
        xf.write(str(wert))


def _code(xf, name: str, code: str, **attribute) -> None:
    with xf.element(X + name, **attribute):
        with xf.element("code"):
            xf.write(code)


def _kontakt(xf, name: str, kontakt: Kontakt) -> None:
    with xf.element(X + name):
        with xf.element(X + "Behoerdenkennung"):
            _code(xf, "Behoerdenschluessel", kontakt.kennung)
        with xf.element(X + "Institution"):
            _text(xf, "Name", kontakt.name)


def _kopf(xf, kopf: Kopf, extra: Iterable[tuple[str, str]] = ()) -> None:
    with xf.element(X + "Kopf"):
        _text(xf, "ProzessID", str(kopf.prozess_id))
        _code(xf, "Nachrichtentyp", kopf.typ)
        _text(xf, "Erstellungszeitpunkt", timezone.localtime().isoformat(timespec="seconds"))
        _kontakt(xf, "Absender", kopf.absender)
        _kontakt(xf, "Empfaenger", kopf.empfaenger)
        with xf.element(X + "SendendesSystem"):
            _text(xf, "Produktname", PRODUKT)
        for name, wert in extra:
            _text(xf, name, wert)


def _laufzeit(xf, beginn, ende) -> None:
    if beginn is None and ende is None:
        return
    with xf.element(X + "Laufzeit"):
        _text(xf, "Beginn", beginn and beginn.isoformat())
        _text(xf, "Ende", ende and ende.isoformat())


def _archivmetadaten(xf, akte: AkteDaten) -> None:
    with xf.element(X + "ArchivspezifischeMetadaten"):
        with xf.element(X + "Aufbewahrungsdauer"):
            if akte.frist_jahre is None:
                _text(xf, "Unbefristet", "true")
            else:
                _text(xf, "AnzahlJahre", akte.frist_jahre)
        with xf.element(X + "Aussonderungsart"):
            _code(xf, "Aussonderungsart", akte.art)
        if akte.art in ("A", "V"):
            _code(xf, "Bewertungsvorschlag", akte.art)
        _text(xf, "Aufbewahrungsende", akte.aufbewahrung_bis and akte.aufbewahrung_bis.isoformat())


def _pruefsummen(xf, dateien: list[Primaerdatei]) -> None:
    """xdomea 3.0.0 has no element for checksums: they go into the application-specific
    extension of the Dokument (one Feld per file: name, SHA-256)."""
    with xf.element(X + "AnwendungsspezifischeErweiterung"):
        _text(xf, "Kennung", "eakte-pruefsummen")
        _text(xf, "Name", "Prüfsummen der Primärdateien")
        for datei in dateien:
            with xf.element(X + "Feld"):
                _text(xf, "Name", datei.name)
                _text(xf, "Beschreibung", "SHA-256")
                _text(xf, "Wert", datei.sha256)


def _dokument(xf, dok: Dok) -> None:
    with xf.element(X + "Dokument"):
        with xf.element(X + "Identifikation"):
            _text(xf, "ID", str(dok.id))
        with xf.element(X + "AllgemeineMetadaten"):
            _text(xf, "Betreff", dok.titel)
        _text(xf, "Posteingangsdatum", dok.posteingangsdatum and dok.posteingangsdatum.isoformat())
        _text(xf, "Postausgangsdatum", dok.postausgangsdatum and dok.postausgangsdatum.isoformat())
        _text(xf, "Typ", dok.typ)
        alle = []
        for version in dok.versionen:
            with xf.element(X + "Version"):
                _text(xf, "Nummer", version.nummer)
                for datei in version.dateien:
                    alle.append(datei)
                    with xf.element(X + "Format"):
                        _code(xf, "Name", datei.format_code, listVersionID="1.0")
                        _text(xf, "Version", "1")
                        with xf.element(X + "Primaerdokument"):
                            _text(xf, "Dateiname", datei.name)
                            _text(xf, "DateinameOriginal", datei.original)
                            _text(xf, "DatumUhrzeit", version.datum.isoformat(timespec="seconds"))
        for name, wert in (("Absender", dok.absender), ("Empfaenger", dok.empfaenger)):
            if wert:
                with xf.element(X + name):
                    with xf.element(X + "Institution"):
                        _text(xf, "Name", wert)
        if alle:
            _pruefsummen(xf, alle)


def _vorgang(xf, vorgang: Vorg, mit_inhalt: bool) -> None:
    with xf.element(X + "Vorgang"):
        with xf.element(X + "Identifikation"):
            _text(xf, "ID", str(vorgang.id))
        with xf.element(X + "AllgemeineMetadaten"):
            _text(xf, "Betreff", vorgang.betreff)
            _text(xf, "Kennzeichen", vorgang.kennzeichen)
        if vorgang.zda_am:
            _text(xf, "ZdA", "true")
            _text(xf, "ZdADatum", vorgang.zda_am.isoformat())
        _laufzeit(xf, vorgang.beginn, vorgang.zda_am)
        if mit_inhalt:
            for dok in vorgang.dokumente:
                _dokument(xf, dok)


def _akte(xf, akte: AkteDaten, mit_inhalt: bool) -> None:
    with xf.element(X + "Schriftgutobjekt"):
        with xf.element(X + "Akte"):
            with xf.element(X + "Identifikation"):
                _text(xf, "ID", str(akte.id))
            with xf.element(X + "AllgemeineMetadaten"):
                _text(xf, "Betreff", akte.betreff)
                _text(xf, "Kennzeichen", akte.aktenzeichen)
                _text(xf, "Federfuehrung", akte.federfuehrung)
                with xf.element(X + "Aktenplaneinheit"):
                    _text(xf, "Kennzeichen", akte.einheit_kennzeichen)
                    _text(xf, "Inhaltsangabe", akte.einheit_titel)
            _archivmetadaten(xf, akte)
            _laufzeit(xf, akte.beginn, akte.ende)
            vorgaenge = list(akte.vorgaenge)
            if vorgaenge:
                with xf.element(X + "Akteninhalt"):
                    for vorgang in vorgaenge:
                        _vorgang(xf, vorgang, mit_inhalt)
            if akte.zda_am:
                _text(xf, "ZdA", "true")
                _text(xf, "ZdADatum", akte.zda_am.isoformat())


def nachricht_schreiben(ziel, kopf: Kopf, akten: Iterable[AkteDaten]) -> None:
    """Write a 0501 (metadata only) or 0503 (with Dokumente and their files) to `ziel` (a path
    or binary file), one Akte at a time."""
    wurzel = X + TYPEN[kopf.typ] + "." + kopf.typ
    mit_inhalt = kopf.typ == "0503"
    with etree.xmlfile(ziel, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(wurzel, nsmap={"xdomea": NS}):
            if mit_inhalt:
                extra = [
                    ("Importbestaetigung", "true"),
                    ("RueckmeldungArchivkennung", "true"),
                    ("Empfangsbestaetigung", "true"),
                ]
            else:
                extra = [("Empfangsbestaetigung", "true")]
            _kopf(xf, kopf, extra)
            for akte in akten:
                _akte(xf, akte, mit_inhalt)
                xf.flush()


def bewertung_schreiben(ziel, kopf: Kopf, bewertungen: Iterable[tuple[uuid.UUID, str]]) -> None:
    """A 0502 as an archive would send it (for tests, demo and benchmarks)."""
    with etree.xmlfile(ziel, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(X + "Aussonderung.Bewertungsverzeichnis.0502", nsmap={"xdomea": NS}):
            _kopf(xf, kopf, [("Empfangsbestaetigung", "false")])
            for akte_id, art in bewertungen:
                with xf.element(X + "BewertetesObjekt"):
                    _text(xf, "ID", str(akte_id))
                    with xf.element(X + "Aussonderungsart"):
                        _code(xf, "Aussonderungsart", art)


def importbestaetigung_schreiben(ziel, kopf: Kopf, ergebnisse) -> None:
    """A 0506 as an archive would send it: [(id, erfolgreich, archivkennung)]."""
    with etree.xmlfile(ziel, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(
            X + "Aussonderung.AussonderungImportBestaetigen.0506", nsmap={"xdomea": NS}
        ):
            _kopf(xf, kopf)
            for akte_id, erfolgreich, kennung in ergebnisse:
                with xf.element(X + "AusgesondertesSGO"):
                    _text(xf, "IDSGO", str(akte_id))
                    _text(xf, "Erfolgreich", "true" if erfolgreich else "false")
                    _text(xf, "Archivkennung", kennung)


# --- Reading -----------------------------------------------------------------------------


@dataclass
class Eingang:
    typ: str
    prozess_id: str
    absender_kennung: str
    eintraege: list[tuple]


def _parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _kinder(knoten, name: str) -> Iterator:
    return knoten.iterfind(X + name)


def _wert(knoten, pfad: str) -> str:
    treffer = knoten.find(pfad.replace("x:", X))
    return (treffer.text or "").strip() if treffer is not None else ""


def lesen(inhalt: bytes, erwartet: set[str]) -> Eingang:
    """Parse an incoming message (0502, 0504–0507): well-formed, xdomea 3.0.0, one of the
    expected types, schema-valid. Raises a German ValidationError otherwise."""
    if b"<!DOCTYPE" in inhalt[:4096] or b"<!ENTITY" in inhalt:
        raise ValidationError("Die Datei enthält eine DTD oder Entitäten; das ist nicht erlaubt.")
    try:
        wurzel = etree.fromstring(inhalt, _parser())
    except etree.XMLSyntaxError as fehler:
        raise ValidationError(f"Die Datei ist kein gültiges XML: {fehler.msg}.") from fehler
    ns = etree.QName(wurzel).namespace or ""
    if ns != NS:
        version = ns.rsplit(":", 1)[-1] if ns.startswith("urn:xoev-de:xdomea") else ""
        raise ValidationError(
            f"Die Nachricht ist nicht im Format xdomea {VERSION}"
            + (f", sondern in Version {version}." if version else ".")
        )
    name = etree.QName(wurzel).localname
    typ = name.rsplit(".", 1)[-1]
    if typ not in erwartet or TYPEN.get(typ, "") + "." + typ != name:
        namen = ", ".join(f"{t} ({TYPEN[t]})" for t in sorted(erwartet))
        raise ValidationError(f"Erwartet wird eine Nachricht {namen}, die Datei ist {name}.")
    validieren(etree.ElementTree(wurzel))
    kopf = wurzel.find(X + "Kopf")
    eintraege: list[tuple] = []
    if typ == "0502":
        for objekt in _kinder(wurzel, "BewertetesObjekt"):
            art = _wert(objekt, "x:Aussonderungsart/x:Aussonderungsart/code")
            eintraege.append((_wert(objekt, "x:ID"), art))
    elif typ == "0506":
        for objekt in _kinder(wurzel, "AusgesondertesSGO"):
            eintraege.append(
                (
                    _wert(objekt, "x:IDSGO"),
                    _wert(objekt, "x:Erfolgreich") in ("true", "1"),
                    _wert(objekt, "x:Archivkennung"),
                )
            )
    return Eingang(
        typ=typ,
        prozess_id=_wert(kopf, "x:ProzessID"),
        absender_kennung=_wert(kopf, "x:Absender/x:Behoerdenkennung/x:Behoerdenschluessel/code"),
        eintraege=eintraege,
    )
