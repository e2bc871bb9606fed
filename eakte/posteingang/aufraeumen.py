"""Cleaning up `.verarbeitet/<date>/` of the intake folders: old days are deleted, but only files
whose content the e-file holds (same SHA-256, stored file present, same Kommune). Anything else
stays and is named in the report: nothing the system does not have is ever deleted."""

import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

from eakte.akten import dateien
from eakte.akten.models import Datei
from eakte.kommunen.models import Kommune

from .abholen import VERARBEITET, ordner


@dataclass
class Aufraeumbericht:
    geloescht: list[str] = field(default_factory=list)
    behalten: list[str] = field(default_factory=list)  # "<path>: <reason>"


def _gespeichert(kommune: Kommune, pfad: Path) -> str:
    """ "" if the e-file holds this file's content for the Kommune, else why not."""
    with pfad.open("rb") as inhalt:
        summe = dateien.pruefsumme(inhalt)
    eintrag = Datei.objects.filter(kommune=kommune, sha256=summe).first()
    if eintrag is None:
        return "Inhalt nicht in der E-Akte gespeichert"
    if not dateien.speicher().exists(eintrag.speicherort):
        return "gespeicherte Datei fehlt im Dateispeicher"
    return ""


def _alte_tage(ordner: Path, vor: date) -> list[Path]:
    """The day folders before `vor`; never a symbolic link (it could point at the file store)."""
    verarbeitet = ordner / VERARBEITET
    if verarbeitet.is_symlink() or not verarbeitet.is_dir():
        return []
    tage = []
    for tag in sorted(verarbeitet.iterdir()):
        try:
            if not tag.is_symlink() and tag.is_dir() and date.fromisoformat(tag.name) < vor:
                tage.append(tag)
        except ValueError:  # not a day folder: not ours
            continue
    return tage


def _dateien(tag: Path) -> list[Path]:
    """The regular files below a day folder, not following symbolic links."""
    gefunden = []
    for wurzel, _ordner, namen in os.walk(tag, followlinks=False):
        for name in namen:
            pfad = Path(wurzel) / name
            if not pfad.is_symlink() and pfad.is_file():
                gefunden.append(pfad)
    return sorted(gefunden)


def _leere_ordner_entfernen(tag: Path) -> None:
    for wurzel, _ordner, _namen in os.walk(tag, topdown=False, followlinks=False):  # deepest first
        try:
            Path(wurzel).rmdir()  # only succeeds when empty
        except OSError:
            continue


def aufraeumen(*, tage: int, probelauf: bool = False) -> Aufraeumbericht:
    bericht = Aufraeumbericht()
    vor = timezone.localdate() - timedelta(days=tage)
    wurzel = ordner()
    for kommune in Kommune.objects.order_by("slug"):
        for tag in _alte_tage(wurzel / kommune.slug, vor):
            for pfad in _dateien(tag):
                grund = _gespeichert(kommune, pfad)
                if grund:
                    bericht.behalten.append(f"{pfad}: {grund}")
                    continue
                if not probelauf:
                    pfad.unlink()
                bericht.geloescht.append(str(pfad))
            if not probelauf:
                _leere_ordner_entfernen(tag)
    return bericht
