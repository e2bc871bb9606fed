"""Every stored file the installation knows, wherever it is kept, and how to check and copy it.

A model with the fields `speicherort`, `sha256` and `groesse` describes stored files
(akten.Datei, schulung.Anhang, aussonderung.Nachricht, …); the list is taken from the models, so
that a new kind of stored file is covered without a change here. A model keeping more than one
file in a row names its column triples in `GESPEICHERTE_DATEIEN` (aussonderung.Loeschlauf: the
Löschprotokoll as PDF and CSV). A row with an empty name has no file (yet).
"""

import hashlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages

BLOCK = 1024 * 1024
FELDER = {"speicherort", "sha256", "groesse"}


@dataclass(frozen=True)
class Eintrag:
    speicherort: str
    sha256: str
    groesse: int


@dataclass(frozen=True)
class Dateispalten:
    """Where one kind of stored file is described: the model and its three columns."""

    modell: type
    ort: str = "speicherort"
    sha256: str = "sha256"
    groesse: str = "groesse"

    @property
    def tabelle(self) -> str:
        return self.modell._meta.db_table

    def spalte(self, feld: str) -> str:
        return self.modell._meta.get_field(feld).column

    def zeilen(self):
        """The rows that have a file (the manager that sees every Kommune)."""
        manager = getattr(self.modell, "alle", None) or self.modell._base_manager
        return manager.exclude(**{self.ort: ""})


def dateispalten() -> list[Dateispalten]:
    ergebnis = []
    for modell in apps.get_models():
        if FELDER <= {feld.name for feld in modell._meta.get_fields()}:
            ergebnis.append(Dateispalten(modell))
        for ort, sha256, groesse in getattr(modell, "GESPEICHERTE_DATEIEN", ()):
            ergebnis.append(Dateispalten(modell, ort, sha256, groesse))
    return ergebnis


def modelle_mit_dateien() -> list:
    return list(dict.fromkeys(spalten.modell for spalten in dateispalten()))


def anzahl() -> int:
    return sum(spalten.zeilen().count() for spalten in dateispalten())


def eintraege_von(spalten: Dateispalten, block: int = 1000, abfrage=None) -> Iterator[Eintrag]:
    """The files of one kind, by primary key in blocks (keyset), so that a million rows never
    sit in memory."""
    abfrage = spalten.zeilen() if abfrage is None else abfrage
    letzte = None
    while True:
        teil = abfrage.order_by("pk")
        if letzte is not None:
            teil = teil.filter(pk__gt=letzte)
        zeilen = list(teil.values_list("pk", spalten.ort, spalten.sha256, spalten.groesse)[:block])
        if not zeilen:
            break
        for pk, ort, sha256, groesse in zeilen:
            letzte = pk
            yield Eintrag(ort, sha256, groesse)


def alle_eintraege(block: int = 1000) -> Iterator[Eintrag]:
    """Each stored file once (the same name from two rows is given once)."""
    gesehen: set[str] = set()
    for spalten in dateispalten():
        for eintrag in eintraege_von(spalten, block):
            if eintrag.speicherort in gesehen:
                continue
            gesehen.add(eintrag.speicherort)
            yield eintrag


def speicher_der_art(art: str):
    """The configured folder or bucket (`settings.SPEICHERARTEN`), whichever is in use now."""
    if art not in settings.SPEICHERARTEN:
        raise ValueError(
            f"Speicherart „{art}“ gibt es nicht; erlaubt: {', '.join(settings.SPEICHERARTEN)}"
        )
    eintrag = settings.SPEICHERARTEN[art]
    if eintrag == settings.STORAGES["default"]:
        return storages["default"]
    return storages.create_storage(eintrag)


def pruefsumme_im_speicher(speicher, name: str, *, lesen: bool = False) -> str:
    """The SHA-256 (hex) of a stored file: what object storage verified on writing (cheap), or
    by reading it. FileNotFoundError if it is missing."""
    vom_server = None if lesen else getattr(speicher, "pruefsumme", None)
    if vom_server is not None:
        summe = vom_server(name)
        if summe is not None:
            return summe
    summe = hashlib.sha256()
    with speicher.open(name, "rb") as inhalt:
        for stueck in iter(lambda: inhalt.read(BLOCK), b""):
            summe.update(stueck)
    return summe.hexdigest()


class Abweichung(Exception):
    pass


def kopieren(quelle, ziel, eintrag: Eintrag) -> None:
    """Copy one file, checked on both sides: the source must still have its SHA-256 (a damaged
    file is not spread), the target must have it afterwards. Streams through a temporary file
    (in memory up to 8 MB); never overwrites a different file at the target."""
    summe = hashlib.sha256()
    with tempfile.SpooledTemporaryFile(max_size=8 * BLOCK) as zwischen:
        with quelle.open(eintrag.speicherort, "rb") as inhalt:
            for stueck in iter(lambda: inhalt.read(BLOCK), b""):
                summe.update(stueck)
                zwischen.write(stueck)
        if summe.hexdigest() != eintrag.sha256:
            raise Abweichung("in der Quelle verändert (Prüfsumme stimmt nicht); nicht kopiert")
        zwischen.seek(0)
        gespeichert = ziel.save(eintrag.speicherort, File(zwischen, name=eintrag.speicherort))
    if gespeichert != eintrag.speicherort:  # the target had another file under this name
        ziel.delete(gespeichert)
        raise Abweichung("am Ziel liegt unter diesem Namen eine andere Datei; nicht überschrieben")
    if pruefsumme_im_speicher(ziel, eintrag.speicherort) != eintrag.sha256:
        raise Abweichung("am Ziel nach dem Kopieren verändert (Prüfsumme stimmt nicht)")


def balken(erledigt: int, gesamt: int, breite: int = 30) -> str:
    anteil = erledigt / gesamt if gesamt else 1.0
    voll = round(anteil * breite)
    return f"[{'#' * voll}{'.' * (breite - voll)}] {anteil:4.0%} ({erledigt}/{gesamt})"
