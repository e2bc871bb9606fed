"""Reading and writing an Aktenplan as CSV (semicolon, as Excel writes it in Germany) and JSON.

Reading never touches the database: it turns a file into `Zeile` objects and a list of errors
with line numbers. `pruefen` then checks the rows against each other and the numbering pattern.
"""

import csv
import io
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from eakte.common.csv_export import csv_text, zelle_lesen
from eakte.common.eingabe import Eingabefehler, json_laden

from .kennzeichen import Nummerierung

SPALTEN = [
    "Kennzeichen",
    "Übergeordnet",
    "Titel",
    "Beschreibung",
    "Aufbewahrungsfrist",
    "Aussonderungsart",
    "Gültig ab",
    "Gültig bis",
    "Stillgelegt",
    "Nachfolger",
]
PFLICHTSPALTEN = ["Kennzeichen", "Übergeordnet", "Titel", "Aufbewahrungsfrist", "Aussonderungsart"]
JSON_FORMAT = "eakte-aktenplan"
# Import modes: add/change only the units in the file (default), or make the plan equal to it.
ERGAENZEN = "ergaenzen"
ERSETZEN = "ersetzen"
MODI = {
    ERGAENZEN: "Ergänzen/ändern: nur die Einheiten der Datei anlegen oder ändern",
    ERSETZEN: "Ganzen Plan ersetzen: Einheiten, die in der Datei fehlen, werden stillgelegt",
}
# What the change lists show instead of field names.
FELDNAMEN = {
    "titel": "Titel",
    "beschreibung": "Beschreibung",
    "aufbewahrungsfrist": "Aufbewahrungsfrist",
    "aussonderungsart": "Aussonderungsart",
    "gueltig_ab": "gültig ab",
    "gueltig_bis": "gültig bis",
    "kennzeichen": "Kennzeichen",
    "stillgelegt": "stillgelegt",
    "uebergeordnet": "übergeordnete Einheit",
    "nachfolger": "Nachfolger",
    "parent": "übergeordnete Einheit",
}
UNBEFRISTET = "unbefristet"
MAX_FRIST = 500


@dataclass
class Zeile:
    nr: int
    kennzeichen: str
    uebergeordnet: str | None
    titel: str
    beschreibung: str = ""
    aufbewahrungsfrist: int | None = None
    aussonderungsart: str = ""
    gueltig_ab: date | None = None
    gueltig_bis: date | None = None
    stillgelegt: bool = False
    nachfolger: str | None = None


@dataclass(frozen=True)
class Fehler:
    zeile: int | None
    meldung: str

    def __str__(self) -> str:
        return f"Zeile {self.zeile}: {self.meldung}" if self.zeile else self.meldung


@dataclass
class Gelesen:
    zeilen: list[Zeile] = field(default_factory=list)
    fehler: list[Fehler] = field(default_factory=list)
    # Every Kennzeichen in the file, also of rows with errors: a child of a faulty row is not
    # reported as orphaned as well.
    alle_kennzeichen: set[str] = field(default_factory=set)


# --- single values ---------------------------------------------------------------------------


_FRIST = re.compile(r"^(\d+)\s*(jahre?|j\.?)?$", re.IGNORECASE)


def frist_lesen(text: str) -> int | None:
    """Whole years or "unbefristet"; also as the pages show it: "10 Jahre", "1 Jahr", "10 J."."""
    text = " ".join(text.split())
    if text.lower() == UNBEFRISTET:
        return None
    passt = _FRIST.match(text)
    if passt:
        text = passt.group(1)
    if not text.isdigit() or int(text) > MAX_FRIST:
        raise ValueError(
            f"Aufbewahrungsfrist „{text}“ ist ungültig: ganze Jahre (0–{MAX_FRIST}, z. B. „10“ "
            "oder „10 Jahre“) oder „unbefristet“."
        )
    return int(text)


def _art(text: str) -> str:
    text = text.strip().upper()
    if text not in ("A", "B", "V"):
        raise ValueError(f"Aussonderungsart „{text}“ ist ungültig: erlaubt sind A, B oder V.")
    return text


def _datum(text: str, spalte: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for muster in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, muster).date()
        except ValueError:
            continue
    raise ValueError(f"{spalte} „{text}“ ist kein Datum (TT.MM.JJJJ).")


def _ja_nein(text: str) -> bool:
    text = text.strip().lower()
    if text in ("", "nein", "n", "0", "false"):
        return False
    if text in ("ja", "j", "1", "true"):
        return True
    raise ValueError(f"Stillgelegt „{text}“ ist ungültig: „ja“ oder „nein“.")


def _zeile_aus_werten(nr: int, werte: dict[str, str]) -> tuple[Zeile | None, list[Fehler]]:
    fehler = []

    def lesen(funktion, *args):
        try:
            return funktion(*args)
        except ValueError as problem:
            fehler.append(Fehler(nr, str(problem)))
            return None

    kennzeichen = werte.get("Kennzeichen", "").strip()
    titel = werte.get("Titel", "").strip()
    if not kennzeichen:
        fehler.append(Fehler(nr, "Das Kennzeichen fehlt."))
    if not titel:
        fehler.append(Fehler(nr, "Der Titel fehlt."))
    zeile = Zeile(
        nr=nr,
        kennzeichen=kennzeichen,
        uebergeordnet=werte.get("Übergeordnet", "").strip() or None,
        titel=titel,
        beschreibung=werte.get("Beschreibung", "").strip(),
        aufbewahrungsfrist=lesen(frist_lesen, werte.get("Aufbewahrungsfrist", "")),
        aussonderungsart=lesen(_art, werte.get("Aussonderungsart", "")) or "",
        gueltig_ab=lesen(_datum, werte.get("Gültig ab", ""), "Gültig ab"),
        gueltig_bis=lesen(_datum, werte.get("Gültig bis", ""), "Gültig bis"),
        stillgelegt=bool(lesen(_ja_nein, werte.get("Stillgelegt", ""))),
        nachfolger=werte.get("Nachfolger", "").strip() or None,
    )
    if zeile.gueltig_ab and zeile.gueltig_bis and zeile.gueltig_bis < zeile.gueltig_ab:
        fehler.append(Fehler(nr, "„Gültig bis“ liegt vor „Gültig ab“."))
    return (None if fehler else zeile), fehler


# --- files -----------------------------------------------------------------------------------


def _text(inhalt: bytes) -> tuple[str | None, list[Fehler]]:
    if not inhalt.strip():
        return None, [Fehler(None, "Die Datei ist leer.")]
    if b"\x00" in inhalt:
        zeile = inhalt[: inhalt.index(b"\x00")].count(b"\n") + 1
        meldung = "Die Datei enthält ein Nullzeichen (NUL); ist es wirklich eine Textdatei?"
        return None, [Fehler(zeile, meldung)]
    try:
        return inhalt.decode("utf-8-sig"), []
    except UnicodeDecodeError as problem:
        zeile = inhalt[: problem.start].count(b"\n") + 1
        return None, [
            Fehler(
                zeile,
                "Die Datei ist nicht UTF-8-kodiert. Bitte in Excel „Speichern unter“ → "
                "„CSV UTF-8 (durch Trennzeichen getrennt)“ wählen.",
            )
        ]


def csv_lesen(inhalt: bytes) -> Gelesen:
    text, fehler = _text(inhalt)
    if text is None:
        return Gelesen(fehler=fehler)
    leser = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
    spalten = [spalte.strip() for spalte in (leser.fieldnames or [])]
    fehlend = [spalte for spalte in PFLICHTSPALTEN if spalte not in spalten]
    unbekannt = [spalte for spalte in spalten if spalte not in SPALTEN]
    if fehlend or unbekannt:
        teile = []
        if fehlend:
            teile.append("es fehlen die Spalten " + ", ".join(f"„{s}“" for s in fehlend))
        if unbekannt:
            teile.append("unbekannte Spalten " + ", ".join(f"„{s}“" for s in unbekannt))
        return Gelesen(
            fehler=[
                Fehler(
                    1,
                    "Kopfzeile falsch: "
                    + "; ".join(teile)
                    + ". Erwartet: "
                    + ";".join(SPALTEN)
                    + " (Trennzeichen Semikolon).",
                )
            ]
        )
    leser.fieldnames = spalten
    ergebnis = Gelesen()
    for werte in leser:
        nr = leser.line_num
        if None in werte:
            ergebnis.fehler.append(Fehler(nr, "Die Zeile hat mehr Felder als die Kopfzeile."))
            continue
        if any(wert is None for wert in werte.values()):
            ergebnis.fehler.append(Fehler(nr, "Die Zeile hat weniger Felder als die Kopfzeile."))
            continue
        if not any(wert.strip() for wert in werte.values()):
            continue
        _aufnehmen(ergebnis, nr, {name: zelle_lesen(wert) for name, wert in werte.items()})
    return ergebnis


def _aufnehmen(ergebnis: Gelesen, nr: int, werte: dict[str, str]) -> None:
    zeile, fehler = _zeile_aus_werten(nr, werte)
    ergebnis.fehler.extend(fehler)
    ergebnis.alle_kennzeichen.add(werte.get("Kennzeichen", "").strip())
    if zeile:
        ergebnis.zeilen.append(zeile)


def json_lesen(inhalt: bytes) -> Gelesen:
    text, fehler = _text(inhalt)
    if text is None:
        return Gelesen(fehler=fehler)
    try:
        daten = json_laden(text)
    except json.JSONDecodeError as problem:
        return Gelesen(fehler=[Fehler(problem.lineno, f"Kein gültiges JSON: {problem.msg}.")])
    except Eingabefehler as problem:
        return Gelesen(fehler=[Fehler(None, str(problem))])
    if not isinstance(daten, dict) or not isinstance(daten.get("einheiten"), list):
        return Gelesen(
            fehler=[Fehler(None, "Das JSON braucht ein Objekt mit der Liste „einheiten“.")]
        )
    ergebnis = Gelesen()
    for nr, eintrag in enumerate(daten["einheiten"], start=1):
        if not isinstance(eintrag, dict):
            ergebnis.fehler.append(Fehler(nr, "Eintrag ist kein Objekt."))
            continue
        frist = eintrag.get("aufbewahrungsfrist")
        werte = {
            "Kennzeichen": str(eintrag.get("kennzeichen") or ""),
            "Übergeordnet": str(eintrag.get("uebergeordnet") or ""),
            "Titel": str(eintrag.get("titel") or ""),
            "Beschreibung": str(eintrag.get("beschreibung") or ""),
            "Aufbewahrungsfrist": UNBEFRISTET if frist is None else str(frist),
            "Aussonderungsart": str(eintrag.get("aussonderungsart") or ""),
            "Gültig ab": str(eintrag.get("gueltig_ab") or ""),
            "Gültig bis": str(eintrag.get("gueltig_bis") or ""),
            "Stillgelegt": "ja" if eintrag.get("stillgelegt") else "nein",
            "Nachfolger": str(eintrag.get("nachfolger") or ""),
        }
        _aufnehmen(ergebnis, nr, werte)
    return ergebnis


def pruefen(
    gelesen: Gelesen, nummerierung: Nummerierung, bestand: set[str] | None = None
) -> list[Fehler]:
    """All errors of a file: those of single rows, and the rules between rows (unique
    Kennzeichen, parents exist and are extended, no cycles).

    `bestand`: the Kennzeichen already in the plan, which parents and successors may name when
    the file only adds or changes units (mode "ergänzen"); None when the file is the whole plan.
    """
    zeilen, vorhanden = gelesen.zeilen, gelesen.alle_kennzeichen | (bestand or set())
    wo = "in der Datei nicht" if bestand is None else "weder in der Datei noch im Aktenplan"
    fehler = list(gelesen.fehler)
    erste = {}
    for zeile in zeilen:
        if zeile.kennzeichen in erste:
            fehler.append(
                Fehler(
                    zeile.nr,
                    f"Kennzeichen „{zeile.kennzeichen}“ kommt doppelt vor "
                    f"(zuerst in Zeile {erste[zeile.kennzeichen]}).",
                )
            )
        else:
            erste[zeile.kennzeichen] = zeile.nr
    for zeile in zeilen:
        if zeile.uebergeordnet and zeile.uebergeordnet not in vorhanden:
            fehler.append(
                Fehler(
                    zeile.nr,
                    f"Die übergeordnete Einheit „{zeile.uebergeordnet}“ gibt es {wo}.",
                )
            )
        elif zeile.uebergeordnet == zeile.kennzeichen:
            fehler.append(
                Fehler(zeile.nr, "Eine Einheit kann nicht sich selbst untergeordnet sein.")
            )
        else:
            fehler.extend(
                Fehler(zeile.nr, meldung)
                for meldung in nummerierung.fehler(zeile.kennzeichen, zeile.uebergeordnet)
            )
        if zeile.nachfolger and zeile.nachfolger not in vorhanden:
            fehler.append(Fehler(zeile.nr, f"Den Nachfolger „{zeile.nachfolger}“ gibt es {wo}."))
    fehler.extend(_zyklen(zeilen))
    return sorted(set(fehler), key=lambda f: (f.zeile or 0, f.meldung))


def _zyklen(zeilen: list[Zeile]) -> list[Fehler]:
    eltern = {zeile.kennzeichen: zeile.uebergeordnet for zeile in zeilen}
    nummer = {zeile.kennzeichen: zeile.nr for zeile in zeilen}
    fehler = []
    for start in eltern:
        gesehen, knoten = set(), start
        while knoten in eltern and eltern[knoten]:
            if knoten in gesehen:
                fehler.append(
                    Fehler(nummer[start], f"Zyklus in den übergeordneten Einheiten bei „{start}“.")
                )
                break
            gesehen.add(knoten)
            knoten = eltern[knoten]
    return fehler


# --- writing ---------------------------------------------------------------------------------


def _datum_text(wert: date | None) -> str:
    return wert.strftime("%d.%m.%Y") if wert else ""


def csv_schreiben(zeilen: list[Zeile]) -> bytes:
    """UTF-8 with BOM, so that Excel in Germany shows the umlauts correctly; formula cells are
    neutralised (and `csv_lesen` undoes that, so an export imports again unchanged)."""
    inhalt = csv_text(
        SPALTEN,
        (
            [
                zeile.kennzeichen,
                zeile.uebergeordnet or "",
                zeile.titel,
                zeile.beschreibung,
                UNBEFRISTET if zeile.aufbewahrungsfrist is None else zeile.aufbewahrungsfrist,
                zeile.aussonderungsart,
                _datum_text(zeile.gueltig_ab),
                _datum_text(zeile.gueltig_bis),
                "ja" if zeile.stillgelegt else "nein",
                zeile.nachfolger or "",
            ]
            for zeile in zeilen
        ),
        bom=False,
    )
    return inhalt.encode("utf-8-sig")


def json_schreiben(kopf: dict, zeilen: list[Zeile]) -> bytes:
    einheiten = []
    for zeile in zeilen:
        eintrag = asdict(zeile)
        eintrag.pop("nr")
        eintrag["gueltig_ab"] = zeile.gueltig_ab.isoformat() if zeile.gueltig_ab else None
        eintrag["gueltig_bis"] = zeile.gueltig_bis.isoformat() if zeile.gueltig_bis else None
        einheiten.append(eintrag)
    daten = {"format": JSON_FORMAT, "version": 1, "aktenplan": kopf, "einheiten": einheiten}
    return json.dumps(daten, ensure_ascii=False, indent=2).encode("utf-8")
