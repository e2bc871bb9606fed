"""Picking up files from the intake folders: `<POSTEINGANG_ORDNER>/<kommune-slug>/<file>`.

When is a file complete? The scanner (or an SMB/NFS share) gives no signal. A file is taken only
when (1) its last change is at least POSTEINGANG_RUHEZEIT seconds old and (2) its size and mtime
are the same in two looks POSTEINGANG_PRUEFPAUSE seconds apart. Hidden and temporary names
(dotfiles, `~$…`, `*.part`, `*.tmp`, …) are never taken: many scanners write under such a name and
rename when done, which is the best signal there is.

Two pickers at once (beat task and a manual run, two workers): each Kommune folder is worked on
under a PostgreSQL advisory lock (`pg_try_advisory_lock`); whoever does not get it skips the
folder. A file is also claimed by renaming it into `.in-arbeit/<uuid>__<name>` (atomic within one
file system); the uuid becomes the Posteingangseintrag's uuid, so a claimed file left behind by a
crash is recognised on the next run: stored already → only moved on; not stored → picked up again.

Nothing is deleted. Only after the transaction that stored the file has committed is it moved to
`.verarbeitet/<date>/`; refused files go to `.abgelehnt/` with a `.txt` holding the reason.
"""

import logging
import os
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import ngettext

from eakte.akten import dateien
from eakte.akten import services as akten_services
from eakte.common.akteur import Akteur, Anmeldeart
from eakte.common.regeln import darf
from eakte.kommunen.models import Kommune
from eakte.ocr import services as ocr_services
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren

from . import deckblatt as deckblatt_lesen
from .models import Deckblatt, Posteingangseintrag, Status

logger = logging.getLogger(__name__)

SPERRE = 4712  # first key of the advisory lock (the Protokoll uses 4711)
IN_ARBEIT, VERARBEITET, ABGELEHNT = ".in-arbeit", ".verarbeitet", ".abgelehnt"
TEMPORAER = re.compile(r"(^[.~])|(\.(part|partial|tmp|temp|crdownload|filepart|lock)$)", re.I)
STAPELTYPEN = {"application/pdf", "image/tiff"}
# The pickup acts as the system; what a cover sheet files is filed for the person who printed
# it (a person actor built by the system, recorded "per Deckblatt").
SYSTEM = Akteur.system("Posteingang: Scan-Ordner abholen")
PER_DECKBLATT = "per Deckblatt"


def _fuer_drucker(person) -> Akteur:
    return Akteur(benutzer=person, art=Anmeldeart.SYSTEM, grund=PER_DECKBLATT)


@dataclass
class Bericht:
    eingegangen: list[str] = field(default_factory=list)
    abgelehnt: list[str] = field(default_factory=list)
    abgelegt: int = 0  # Dokumente filed directly by cover sheets
    unbekannte_ordner: list[str] = field(default_factory=list)
    uebersprungen: list[str] = field(default_factory=list)  # folders another picker works on


def ordner() -> Path:
    return Path(settings.POSTEINGANG_ORDNER)


def ist_temporaer(name: str) -> bool:
    return bool(TEMPORAER.search(name))


def abholen() -> Bericht:
    """One pass over every Kommune folder."""
    bericht = Bericht()
    wurzel = ordner()
    if not wurzel.is_dir():
        return bericht
    for unterordner in sorted(wurzel.iterdir()):
        if not unterordner.is_dir() or unterordner.name.startswith("."):
            continue
        kommune = Kommune.objects.filter(slug=unterordner.name).first()
        if kommune is None:
            logger.warning(
                "Posteingang: Ordner %s gehört zu keiner Kommune und wird nicht angefasst",
                unterordner,
            )
            bericht.unbekannte_ordner.append(unterordner.name)
            continue
        kommune_abholen(kommune, unterordner, bericht)
    return bericht


def _sperren(kommune: Kommune) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [SPERRE, kommune.pk])
        return cursor.fetchone()[0]


def _entsperren(kommune: Kommune) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [SPERRE, kommune.pk])


def kommune_abholen(kommune: Kommune, pfad: Path, bericht: Bericht) -> None:
    if not _sperren(kommune):
        bericht.uebersprungen.append(kommune.slug)
        return
    try:
        for beansprucht in sorted((pfad / IN_ARBEIT).glob("*__*")):  # left by a crashed run
            _verarbeiten(kommune, pfad, beansprucht, bericht)
        for datei in _fertige_dateien(pfad):
            beansprucht = _beanspruchen(pfad, datei)
            if beansprucht is not None:
                _verarbeiten(kommune, pfad, beansprucht, bericht)
    finally:
        _entsperren(kommune)


def _stand(pfad: Path):
    try:
        info = pfad.stat()
    except FileNotFoundError:
        return None
    return info.st_size, info.st_mtime_ns


def _fertige_dateien(pfad: Path) -> list[Path]:
    kandidaten = {
        datei: _stand(datei)
        for datei in sorted(pfad.iterdir())
        if datei.is_file() and not datei.is_symlink() and not ist_temporaer(datei.name)
    }
    if not kandidaten:
        return []
    time.sleep(settings.POSTEINGANG_PRUEFPAUSE)
    grenze = time.time_ns() - int(settings.POSTEINGANG_RUHEZEIT * 1e9)
    fertig = []
    for datei, erster in kandidaten.items():
        zweiter = _stand(datei)
        if erster is not None and zweiter == erster and zweiter[1] <= grenze:
            fertig.append(datei)
        else:
            logger.info("Posteingang: %s wird noch geschrieben, später erneut", datei)
    return fertig


def _beanspruchen(pfad: Path, datei: Path) -> Path | None:
    ziel = pfad / IN_ARBEIT / f"{uuid.uuid4()}__{datei.name}"
    ziel.parent.mkdir(exist_ok=True)
    try:
        os.rename(datei, ziel)
    except FileNotFoundError:  # another picker was faster
        return None
    return ziel


def _freier_name(ordner_: Path, name: str) -> Path:
    ordner_.mkdir(parents=True, exist_ok=True)
    ziel, nummer = ordner_ / name, 1
    stamm, punkt, endung = name.rpartition(".")
    while ziel.exists():
        nummer += 1
        ziel = ordner_ / (f"{stamm} ({nummer}).{endung}" if punkt else f"{name} ({nummer})")
    return ziel


def _verarbeiten(kommune: Kommune, pfad: Path, beansprucht: Path, bericht: Bericht) -> None:
    kennung, _, name = beansprucht.name.partition("__")
    try:
        eintrag_uuid = uuid.UUID(kennung)
    except ValueError:
        return
    quelle = f"Eingangsordner {pfad.name}"
    if not Posteingangseintrag.objects.filter(uuid=eintrag_uuid).exists():
        try:
            abgelegt = _einlesen(kommune, beansprucht, name, eintrag_uuid, quelle)
        except ValidationError as fehler:
            _ablehnen(pfad, beansprucht, name, " ".join(fehler.messages))
            bericht.abgelehnt.append(name)
            return
        except Exception:
            logger.exception("Posteingang: %s konnte nicht gespeichert werden", beansprucht)
            return  # stays claimed in .in-arbeit; the next run tries again
        bericht.eingegangen.append(name)
        bericht.abgelegt += abgelegt
    # Only now, after the commit, does the file leave the intake folder.
    heute = timezone.localdate().isoformat()
    try:
        os.rename(beansprucht, _freier_name(pfad / VERARBEITET / heute, name))
    except OSError:  # stored; the next run finds the claimed file and moves it then
        logger.exception("Posteingang: %s gespeichert, aber nicht verschoben", beansprucht)


def _ablehnen(pfad: Path, beansprucht: Path, name: str, grund: str) -> None:
    ziel = _freier_name(pfad / ABGELEHNT, name)
    os.rename(beansprucht, ziel)
    ziel.with_name(ziel.name + ".txt").write_text(
        f"Die Datei „{name}“ wurde am {timezone.localtime():%d.%m.%Y um %H:%M} Uhr nicht in den "
        f"Posteingang übernommen.\nGrund: {grund}\n",
        encoding="utf-8",
    )
    logger.warning("Posteingang: %s abgelehnt: %s", beansprucht, grund)


def _einlesen(kommune, pfad: Path, name: str, eintrag_uuid, quelle: str) -> int:
    """Store the file, create the item, file cover-sheet parts; one transaction. Returns the
    number of Dokumente filed by cover sheets.

    The slow work (reading QR codes, writing the parts) happens before the transaction, which
    then only stores and records (the Protokoll's per-Kommune lock is held until the commit)."""
    with pfad.open("rb") as roh:
        hochgeladen = File(roh, name=name)
        pruefung = dateien.pruefen(hochgeladen)
        plan = None
        if pruefung.mime_typ in STAPELTYPEN:
            inhalt = roh.read()
            roh.seek(0)
            marken = deckblatt_lesen.seiten_lesen(inhalt, pruefung.mime_typ)
            if any(marken):
                plan = _planen(kommune, name, inhalt, pruefung.mime_typ, marken)
        with transaction.atomic():
            datei, _ = dateien.ablegen(kommune=kommune, datei=hochgeladen, pruefung=pruefung)
            eintrag = Posteingangseintrag.objects.create(
                uuid=eintrag_uuid, kommune=kommune, datei=datei, dateiname=name, quelle=quelle
            )
            abgelegt = 0
            if plan is not None and not plan.gruende:
                abgelegt = _ablegen(eintrag, plan)
            if abgelegt == 0:
                gruende = plan.gruende if plan is not None else []
                if gruende:
                    eintrag.bemerkung = (
                        "Nicht automatisch abgelegt, der ganze Stapel liegt im Posteingang: "
                        + " ".join(gruende)
                    )
                    eintrag.save(update_fields=["bemerkung"])
                ocr_services.einreihen(datei, hochgeladen=hochgeladen)
            protokollieren(
                kommune_id=kommune.pk,
                akteur=SYSTEM,
                aktion=Aktion.HOCHGELADEN,
                beschreibung=f"Posteingang: „{name}“ aus dem {quelle} eingegangen",
                objekt=eintrag,
                details={"sha256": datei.sha256, "groesse": datei.groesse, "dokumente": abgelegt},
            )
            return abgelegt


def _deckblatt_pruefen(kommune, seite: int, kennung) -> tuple[Deckblatt | None, str]:
    """The sheet's Deckblatt, or a German reason why the batch cannot be filed by it."""
    if kennung.kommune_slug != kommune.slug:
        return None, (
            f"Das Deckblatt auf Seite {seite} gehört zu einer anderen Kommune "
            f"({kennung.kommune_slug}), nicht zu {kommune.name}."
        )
    blatt = (
        Deckblatt.objects.filter(uuid=kennung.deckblatt_uuid, kommune=kommune)
        .select_related("akte", "vorgang", "erstellt_von")
        .first()
    )
    if blatt is None:
        return None, f"Das Deckblatt auf Seite {seite} ist unbekannt."
    if blatt.akte.ist_zda:
        return None, (
            f"Die Akte {blatt.akte.aktenzeichen} des Deckblatts auf Seite {seite} ist zu den "
            "Akten verfügt (zdA)."
        )
    if blatt.vorgang is not None and blatt.vorgang.ist_zda:
        return None, (
            f"Der Vorgang {blatt.vorgang.vorgangszeichen} des Deckblatts auf Seite {seite} ist "
            "zu den Akten verfügt (zdA)."
        )
    person = blatt.erstellt_von
    if not darf(person, "akten.schreiben", blatt.akte):  # also refuses a deactivated person
        return None, (
            f"{person}, der/die das Deckblatt auf Seite {seite} gedruckt hat, darf in der Akte "
            f"{blatt.akte.aktenzeichen} nicht (mehr) schreiben."
        )
    return blatt, ""


@dataclass
class Teil:
    blatt: Deckblatt
    seiten: list[int]  # 0-based pages of the batch
    name: str
    inhalt: bytes


@dataclass
class Plan:
    """How a batch with cover sheets is to be filed (or why not: `gruende`)."""

    gruende: list[str] = field(default_factory=list)
    teile: list[Teil] = field(default_factory=list)
    vorlauf: tuple[str, bytes] | None = None  # pages before the first sheet
    hinweise: list[str] = field(default_factory=list)


def _planen(kommune, dateiname: str, inhalt: bytes, mime_typ: str, marken: list) -> Plan:
    plan, blaetter = Plan(), {}
    for index, kennung in enumerate(marken):
        if kennung is not None:
            blatt, grund = _deckblatt_pruefen(kommune, index + 1, kennung)
            blaetter[index] = blatt
            if grund:
                plan.gruende.append(grund)
    if plan.gruende:
        return plan
    stamm, punkt, endung = dateiname.rpartition(".")
    stamm, endung = (stamm, endung) if punkt else (dateiname, "pdf")
    positionen = sorted(blaetter)
    for nummer, position in enumerate(positionen, start=1):
        ende = positionen[nummer] if nummer < len(positionen) else len(marken)
        seiten = list(range(position + 1, ende))
        if not seiten:
            plan.hinweise.append(f"Auf das Deckblatt auf Seite {position + 1} folgt keine Seite.")
            continue
        name = f"{stamm} Teil {nummer}.{endung}"
        teil = deckblatt_lesen.teil(inhalt, mime_typ, seiten)
        plan.teile.append(Teil(blatt=blaetter[position], seiten=seiten, name=name, inhalt=teil))
    if positionen[0] > 0:
        name = f"{stamm} Seiten 1-{positionen[0]}.{endung}"
        plan.vorlauf = (name, deckblatt_lesen.teil(inhalt, mime_typ, list(range(positionen[0]))))
        plan.hinweise.append(
            f"Die Seiten 1–{positionen[0]} vor dem ersten Deckblatt liegen als eigener Eintrag "
            "im Posteingang."
        )
    return plan


def _datei_ablegen(kommune, name: str, inhalt: bytes):
    teil = ContentFile(inhalt, name=name)
    pruefung = dateien.pruefen(teil)
    datei, _ = dateien.ablegen(kommune=kommune, datei=teil, pruefung=pruefung)
    return datei, teil


def _ablegen(eintrag, plan: Plan) -> int:
    """File the parts in the names of the sheets' printers; 0 and a remark if a rule refuses."""
    kommune, heute = eintrag.kommune, timezone.localdate()
    versionen = []
    try:
        with transaction.atomic():
            neue_vorgaenge: dict[int, object] = {}
            for teil in plan.teile:
                blatt, akteur = teil.blatt, _fuer_drucker(teil.blatt.erstellt_von)
                vorgang = blatt.vorgang
                if vorgang is None:
                    if blatt.akte_id not in neue_vorgaenge:
                        neue_vorgaenge[blatt.akte_id] = akten_services.vorgang_anlegen(
                            akteur=akteur,
                            akte=blatt.akte,
                            betreff=f"Posteingang {heute:%d.%m.%Y}",
                        )
                    vorgang = neue_vorgaenge[blatt.akte_id]
                versionen.append(
                    akten_services.dokument_ablegen(
                        akteur=akteur,
                        vorgang=vorgang,
                        datei=ContentFile(teil.inhalt, name=teil.name),
                        titel=f"Scan vom {heute:%d.%m.%Y} ({teil.name})",
                        posteingangsdatum=heute,
                        bemerkung=f"Per Deckblatt über den Posteingang ({eintrag.quelle}).",
                        wie="per Deckblatt aus dem Scan-Posteingang abgelegt",
                        details={
                            "posteingang": str(eintrag.uuid),
                            "deckblatt": str(blatt.uuid),
                            "quelle": eintrag.quelle,
                            "seiten": [s + 1 for s in teil.seiten],
                        },
                    )
                )
    except (ValidationError, PermissionDenied) as fehler:  # a rule the checks above missed
        plan.gruende.append(" ".join(getattr(fehler, "messages", [str(fehler)])))
        return 0
    if not versionen:
        plan.gruende.append("Auf keines der Deckblätter folgt eine Seite.")
        return 0
    if plan.vorlauf is not None:
        name, inhalt = plan.vorlauf
        datei, teil = _datei_ablegen(kommune, name, inhalt)
        Posteingangseintrag.objects.create(
            kommune=kommune,
            datei=datei,
            dateiname=name,
            quelle=eintrag.quelle,
            bemerkung=(
                f"Seiten vor dem ersten Deckblatt aus „{eintrag.dateiname}“: bitte von Hand "
                "zuordnen."
            ),
        )
        ocr_services.einreihen(datei, hochgeladen=teil)
    ziele = ", ".join(
        f"{v.dokument.vorgang.vorgangszeichen} ({v.dokument.titel})" for v in versionen
    )
    eintrag.status = Status.ZUGEORDNET
    eintrag.zugeordnet_zu = versionen[0]
    eintrag.zugeordnet_am = timezone.now()
    eintrag.bemerkung = " ".join(
        [
            f"Per Deckblatt aufgeteilt: {len(versionen)} "
            f"{ngettext('Dokument', 'Dokumente', len(versionen))} abgelegt in {ziele}.",
            *plan.hinweise,
        ]
    )
    eintrag.save()
    return len(versionen)
