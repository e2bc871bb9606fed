"""Queueing and running the processing of document Versions.

`einreihen` is called in the upload's transaction and sends the Celery task only after commit;
content that was processed before is not processed again. `verarbeiten` (run by the task) is
idempotent: a delivered-again task for a finished file does nothing, and of two runs that overlap
only the first to finish writes its result.
"""

import logging
import os
import shutil
import socket
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuFehler
from redis import Redis
from redis.exceptions import RedisError

from eakte.akten import dateien
from eakte.akten import services as akten_services
from eakte.akten.models import Akte, Datei, Dokument, Version
from eakte.common.akteur import Akteur, Anmeldeart
from eakte.common.regeln import pruefen
from eakte.suche import services as suche_services  # search index (issue 6)

from . import pipeline
from .models import Status, Verarbeitung

logger = logging.getLogger(__name__)

UNTERBROCHEN = (
    "Die Verarbeitung wurde unterbrochen, weil der Hintergrunddienst ausgefallen ist (z. B. "
    "Neustart oder zu wenig Arbeitsspeicher). Sie wird automatisch neu gestartet; Sie müssen "
    "nichts tun."
)
ZU_OFT_UNTERBROCHEN = (
    "Die Verarbeitung wurde {anzahl}-mal abgebrochen, weil der Hintergrunddienst ausgefallen ist "
    "(meist zu wenig Arbeitsspeicher für diese Datei). Bitte die IT informieren; danach "
    "„Erneut versuchen“ wählen. Das Original bleibt gespeichert."
)
# the working folder of a job: eakte-ocr-<pid of the worker process>-<random>
ARBEITSORDNER_PRAEFIX = "eakte-ocr-"

TECHNISCHER_FEHLER = (
    "Die Texterkennung ist aus technischen Gründen fehlgeschlagen. Bitte später „Erneut "
    "versuchen“ wählen; bleibt der Fehler, die IT informieren. Das Original bleibt gespeichert."
)


def zeitlimit(seiten: int | None) -> int:
    """Seconds a document may take: a base plus a share per page (unknown counts as 10 pages)."""
    return settings.OCR_ZEITLIMIT_BASIS + settings.OCR_ZEITLIMIT_JE_SEITE * (seiten or 10)


def einreihen(datei: Datei, *, hochgeladen=None) -> Verarbeitung:
    """Queue a newly stored file; `hochgeladen` (the uploaded file) gives the page count."""
    seiten = pipeline.seiten_zaehlen(hochgeladen, datei.mime_typ) if hochgeladen else None
    verarbeitung, neu = Verarbeitung.objects.get_or_create(
        datei=datei, defaults={"kommune_id": datei.kommune_id, "seiten": seiten}
    )
    if neu:
        _nach_commit_senden(verarbeitung)
    return verarbeitung


def bei_datei_gespeichert(sender, *, datei: Datei, hochgeladen=None, **kwargs) -> None:
    """Receiver of eakte.akten.signale.datei_gespeichert (connected in OcrConfig.ready)."""
    verarbeitung = einreihen(datei, hochgeladen=hochgeladen)
    if verarbeitung.status == Status.FERTIG and verarbeitung.anlagen:
        # an e-mail recognised before (filed again, or from the Posteingang): its attachments
        # go beside the new Dokument too
        _anlagen_nach_commit(verarbeitung.pk)


def _anlagen_nach_commit(verarbeitung_id: int) -> None:
    transaction.on_commit(
        lambda: current_app.send_task(
            "eakte.ocr.anlagen_ablegen", args=[verarbeitung_id], queue=settings.OCR_QUEUE
        )
    )


def _nach_commit_senden(verarbeitung: Verarbeitung) -> None:
    limit, pk = zeitlimit(verarbeitung.seiten), verarbeitung.pk
    transaction.on_commit(lambda: _senden(pk, limit))


def _senden(verarbeitung_id: int, limit: int) -> bool:
    """Send the job (by name, so that services and tasks do not import each other). If the
    broker does not answer (Redis restarting), the upload is stored all the same and the
    Verarbeitung stays `wartet`: `liegengebliebene_einreihen` sends it again later."""
    try:
        current_app.send_task(
            "eakte.ocr.verarbeiten",
            args=[verarbeitung_id],
            queue=settings.OCR_QUEUE,
            time_limit=limit + 30,
            soft_time_limit=limit,
            retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5},
        )
    except (KombuFehler, RedisError, OSError) as fehler:
        logger.error(
            "Verarbeitung %s nicht eingereiht (Broker nicht erreichbar: %s); sie bleibt wartend "
            "und wird später erneut gesendet",
            verarbeitung_id,
            fehler,
        )
        return False
    return True


LIEGENGEBLIEBEN_NACH = timedelta(minutes=15)


def liegengebliebene_einreihen(*, aelter_als: timedelta = LIEGENGEBLIEBEN_NACH) -> int:
    """Send again every Verarbeitung that waits longer than `aelter_als` while nothing waits in
    the OCR queue: its message was never sent (broker down at upload) or lost with Redis. A
    duplicate (a job only reserved by a busy worker) is harmless: the run that finishes second
    sees `fertig` and stops. Called by beat every 5 minutes."""
    try:
        wartend_im_broker = Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2).llen(
            settings.OCR_QUEUE
        )
    except RedisError:
        return 0  # the broker is down: nothing can be sent now
    if wartend_im_broker:
        return 0
    grenze = timezone.now() - aelter_als
    gesendet = 0
    for pk, seiten in Verarbeitung.objects.filter(
        status=Status.WARTET, eingereiht_am__lt=grenze
    ).values_list("pk", "seiten")[:1000]:
        gesendet += _senden(pk, zeitlimit(seiten))
    if gesendet:
        logger.warning("%s liegengebliebene Verarbeitungen erneut eingereiht", gesendet)
    return gesendet


@transaction.atomic
def erneut_versuchen(*, akteur: Akteur, version: Version) -> Verarbeitung:
    """Requeue a failed processing, by someone who may write the Akte of `version`."""
    pruefen(
        akteur.benutzer, "ocr.erneut_versuchen", version, meldung="Sie dürfen diese Akte nur lesen."
    )
    verarbeitung = Verarbeitung.objects.select_for_update().get(datei_id=version.datei_id)
    if verarbeitung.status != Status.FEHLER:
        raise ValidationError("Nur fehlgeschlagene Verarbeitungen können wiederholt werden.")
    if verarbeitung.dauerhaft:
        raise ValidationError(
            "Der Fehler liegt in der Datei selbst; ein erneuter Versuch würde genauso enden. "
            "Bitte die Datei wie in der Meldung beschrieben neu erstellen und hochladen."
        )
    _zuruecksetzen_und_senden(verarbeitung)
    return verarbeitung


@transaction.atomic
def fehlgeschlagene_erneut_einreihen(verarbeitungen) -> int:
    """For operators (admin action): requeue every failed one of `verarbeitungen`."""
    anzahl = 0
    for verarbeitung in verarbeitungen.select_for_update().filter(status=Status.FEHLER):
        _zuruecksetzen_und_senden(verarbeitung)
        anzahl += 1
    return anzahl


def _zuruecksetzen_und_senden(verarbeitung: Verarbeitung) -> None:
    verarbeitung.status, verarbeitung.meldung, verarbeitung.seite = Status.WARTET, "", 0
    verarbeitung.dauerhaft = False
    verarbeitung.save(update_fields=["status", "meldung", "seite", "dauerhaft"])
    _nach_commit_senden(verarbeitung)


def _beginnen(verarbeitung_id: int) -> Verarbeitung | None:
    with transaction.atomic():
        verarbeitung = (
            Verarbeitung.objects.select_for_update(of=("self",))
            .select_related("datei")
            .get(pk=verarbeitung_id)
        )
        if verarbeitung.status == Status.FERTIG:
            return None
        verarbeitung.status, verarbeitung.seite = Status.LAEUFT, 0
        verarbeitung.versuche += 1
        verarbeitung.gestartet_am = verarbeitung.lebenszeichen = timezone.now()
        verarbeitung.worker = f"{socket.gethostname()}:{os.getpid()}"[:200]
        verarbeitung.save(
            update_fields=["status", "seite", "versuche", "gestartet_am", "lebenszeichen", "worker"]
        )
    return verarbeitung


class _Lebenszeichen(threading.Thread):
    """Writes the job's sign of life every OCR_LEBENSZEICHEN seconds while the job runs (its own
    database connection; the row is reached by primary key past the tenancy net, as the task
    that owns it already runs in the system Bereich, which a thread does not inherit)."""

    def __init__(self, verarbeitung_id: int):
        super().__init__(name=f"lebenszeichen-{verarbeitung_id}", daemon=True)
        self.verarbeitung_id = verarbeitung_id
        self.stopp = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopp.wait(settings.OCR_LEBENSZEICHEN):
                try:
                    Verarbeitung.alle.filter(pk=self.verarbeitung_id, status=Status.LAEUFT).update(
                        lebenszeichen=timezone.now()
                    )
                except Exception:  # noqa: BLE001  (a missed sign of life must not end the job)
                    logger.warning(
                        "Lebenszeichen von Verarbeitung %s nicht geschrieben",
                        self.verarbeitung_id,
                        exc_info=True,
                    )
        finally:
            connections.close_all()

    def beenden(self) -> None:
        self.stopp.set()
        self.join(timeout=10)


def _fortschritt_melder(verarbeitung_id: int):
    def melden(seite: int, seiten: int) -> None:
        Verarbeitung.objects.filter(pk=verarbeitung_id, status=Status.LAEUFT).update(
            seite=seite, seiten=seiten
        )

    return melden


def verarbeiten(verarbeitung_id: int) -> str:
    """Run the pipeline for one Version; returns the final status."""
    try:
        verarbeitung = _beginnen(verarbeitung_id)
    except Verarbeitung.DoesNotExist:
        logger.warning("Verarbeitung %s gibt es nicht (mehr); nichts zu tun", verarbeitung_id)
        return "unbekannt"
    if verarbeitung is None:
        return Status.FERTIG
    datei = verarbeitung.datei
    arbeitsordner = Path(tempfile.mkdtemp(prefix=f"{ARBEITSORDNER_PRAEFIX}{os.getpid()}-"))
    lebenszeichen = _Lebenszeichen(verarbeitung_id)
    lebenszeichen.start()
    # OCRmyPDF's (and every other library's) temporary files go into the working folder too, so
    # that a killed job leaves one folder to clean up (arbeitsordner_aufraeumen). Process-wide:
    # right for the prefork pool (one job per process), which the workers use.
    (arbeitsordner / "tmp").mkdir()
    vorher, tempfile.tempdir = tempfile.tempdir, str(arbeitsordner / "tmp")
    try:
        original = arbeitsordner / "original"
        with dateien.oeffnen(datei) as quelle, original.open("wb") as ziel:
            shutil.copyfileobj(quelle, ziel)
        ergebnis = pipeline.verarbeiten(
            original, datei.mime_typ, arbeitsordner, _fortschritt_melder(verarbeitung_id)
        )
    except pipeline.Eingabefehler as fehler:
        return _fehlgeschlagen(verarbeitung_id, str(fehler), dauerhaft=True)
    finally:
        tempfile.tempdir = vorher
        lebenszeichen.beenden()
        shutil.rmtree(arbeitsordner, ignore_errors=True)
    try:
        return _abschliessen(verarbeitung_id, ergebnis)
    except Verarbeitung.DoesNotExist:  # the Akte's content was removed (Aussonderung) meanwhile
        logger.warning("Verarbeitung %s während der Texterkennung entfernt", verarbeitung_id)
        return "unbekannt"


def verwaiste_aufnehmen() -> int:
    """The watchdog (beat task every minute): a job that "läuft" without a sign of life for
    OCR_VERWAIST_NACH seconds lost its worker; it is queued again with a note for the clerk, or,
    after OCR_MAX_ABBRUECHE runs, ends as a failure for the IT to look at. Returns how many
    were queued again. A late second delivery of the lost job by the broker does no harm: the
    run that finishes first writes the result, a later one finds it "fertig"."""
    grenze = timezone.now() - timedelta(seconds=settings.OCR_VERWAIST_NACH)
    eingereiht = 0
    with transaction.atomic():
        verwaist = (
            Verarbeitung.objects.select_for_update(skip_locked=True)
            .filter(status=Status.LAEUFT)
            .filter(
                Q(lebenszeichen__lt=grenze) | Q(lebenszeichen__isnull=True, gestartet_am__lt=grenze)
            )
            .order_by("pk")
        )
        for verarbeitung in verwaist:
            logger.warning(
                "Verarbeitung %s ohne Lebenszeichen seit %s (Worker %s): %s",
                verarbeitung.pk,
                verarbeitung.lebenszeichen,
                verarbeitung.worker,
                "zu oft abgebrochen"
                if verarbeitung.versuche >= settings.OCR_MAX_ABBRUECHE
                else "neu eingereiht",
            )
            if verarbeitung.versuche >= settings.OCR_MAX_ABBRUECHE:
                verarbeitung.status = Status.FEHLER
                verarbeitung.meldung = ZU_OFT_UNTERBROCHEN.format(anzahl=verarbeitung.versuche)
                verarbeitung.fertig_am = timezone.now()
                verarbeitung.save(update_fields=["status", "meldung", "fertig_am"])
                continue
            verarbeitung.status, verarbeitung.seite = Status.WARTET, 0
            verarbeitung.meldung = UNTERBROCHEN
            verarbeitung.save(update_fields=["status", "seite", "meldung"])
            _nach_commit_senden(verarbeitung)
            eingereiht += 1
    return eingereiht


def _lebt(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def arbeitsordner_aufraeumen(*, ordner: Path | None = None, hoechstalter: float = 86400) -> int:
    """Remove the working folders of killed jobs on this machine: those whose worker process is
    gone, and any older than `hoechstalter` seconds (no job runs that long). Called when a
    worker starts and by the watchdog. Returns how many were removed."""
    ordner = ordner or Path(tempfile.gettempdir())
    entfernt = 0
    for pfad in ordner.glob(f"{ARBEITSORDNER_PRAEFIX}*"):
        try:
            alter = time.time() - pfad.stat().st_mtime
        except FileNotFoundError:
            continue
        pid = pfad.name.removeprefix(ARBEITSORDNER_PRAEFIX).split("-", 1)[0]
        verlassen = pid.isdigit() and len(pfad.name.split("-")) > 3 and not _lebt(int(pid))
        if pfad.is_dir() and (verlassen or alter > hoechstalter):
            shutil.rmtree(pfad, ignore_errors=True)
            logger.info("Arbeitsordner eines abgebrochenen Auftrags entfernt: %s", pfad)
            entfernt += 1
    return entfernt


@transaction.atomic
def _abschliessen(verarbeitung_id: int, ergebnis: pipeline.Ergebnis) -> str:
    # Only the Verarbeitung row: locking the joined Kommune row too (plain FOR UPDATE) blocked
    # every upload of the Kommune at its commit (deferred foreign-key check) while this waited
    # for the uploading Akte in the indexing: a deadlock. See "Lock order" in docs/architektur.md.
    verarbeitung = (
        Verarbeitung.objects.select_for_update(of=("self",))
        .select_related("datei", "kommune")
        .get(pk=verarbeitung_id)
    )
    if verarbeitung.status == Status.FERTIG:  # an overlapping run was faster
        return Status.FERTIG
    kommune = verarbeitung.kommune
    if ergebnis.archiv:
        verarbeitung.archiv = dateien.inhalt_ablegen(
            kommune=kommune, inhalt=ergebnis.archiv, mime_typ=pipeline.PDF
        )
    if ergebnis.vorschaubild:
        verarbeitung.vorschaubild = dateien.inhalt_ablegen(
            kommune=kommune, inhalt=ergebnis.vorschaubild, mime_typ="image/png"
        )
    verarbeitung.status, verarbeitung.verfahren = Status.FERTIG, ergebnis.verfahren
    verarbeitung.seiten = ergebnis.seiten
    verarbeitung.seite = ergebnis.seiten or 0
    verarbeitung.text, verarbeitung.meldung = ergebnis.text.replace("\x00", ""), ergebnis.hinweis
    verarbeitung.fertig_am = timezone.now()
    verarbeitung.anlagen = _anlagen_speichern(verarbeitung, ergebnis.anlagen)
    verarbeitung.transfervermerk = _transfervermerk(verarbeitung)
    verarbeitung.save()
    suche_services.datei_indexieren(verarbeitung.datei_id)  # search index (issue 6)
    if verarbeitung.anlagen:
        _anlagen_nach_commit(verarbeitung.pk)
    return Status.FERTIG


def _anlagen_speichern(verarbeitung: Verarbeitung, anlagen) -> list[dict]:
    """Store an e-mail's attachments (checked like uploads: type by content, size); refused
    ones are named in the Verarbeitung's message."""
    gespeichert, hinweise = [], []
    for anlage in anlagen:
        datei = ContentFile(anlage.inhalt, name=anlage.name)
        try:
            pruefung = dateien.pruefen(datei)
        except ValidationError as fehler:
            grund = fehler.messages[0]
            hinweise.append(f"Die Anlage „{anlage.name}“ wurde nicht übernommen: {grund}")
            continue
        eintrag, _ = dateien.ablegen(kommune=verarbeitung.kommune, datei=datei, pruefung=pruefung)
        gespeichert.append({"datei": eintrag.pk, "name": anlage.name})
    if hinweise:
        verarbeitung.meldung = " ".join([verarbeitung.meldung, *hinweise]).strip()[:1000]
    return gespeichert


def mail_tiefe(dokument: Dokument) -> int:
    """How many e-mails `dokument` is nested in (0: filed by a person)."""
    tiefe = 0
    while dokument.anlage_zu_id is not None and tiefe <= settings.MAIL_MAX_TIEFE:
        dokument = Dokument.objects.only("anlage_zu_id").get(pk=dokument.anlage_zu_id)
        tiefe += 1
    return tiefe


def anlagen_ablegen(verarbeitung_id: int) -> int:
    """File the stored attachments of a processed e-mail as Dokumente linked to every Dokument
    that has the mail, in its Vorgang, as the system acting for the person who filed the mail.
    Idempotent: an attachment already filed beside that Dokument is not filed again (the Akte
    row lock serialises two runs). Returns how many Dokumente were created."""
    verarbeitung = Verarbeitung.objects.get(pk=verarbeitung_id)
    if verarbeitung.status != Status.FERTIG or not verarbeitung.anlagen:
        return 0
    angelegt = 0
    versionen = (
        Version.objects.filter(datei_id=verarbeitung.datei_id)
        .select_related("dokument", "hochgeladen_von")
        .order_by("pk")
    )
    for version in versionen:
        mail_dokument = version.dokument
        if mail_tiefe(mail_dokument) >= settings.MAIL_MAX_TIEFE:
            logger.info(
                "Anlagen von Dokument %s nicht abgelegt: E-Mail zu tief verschachtelt",
                mail_dokument.pk,
            )
            continue
        akteur = Akteur(
            benutzer=version.hochgeladen_von, art=Anmeldeart.SYSTEM, grund="Anlage einer E-Mail"
        )
        for anlage in verarbeitung.anlagen:
            try:
                angelegt += _anlage_ablegen(akteur, mail_dokument, anlage)
            except (ValidationError, PermissionDenied) as fehler:
                logger.warning(
                    "Anlage %s zu Dokument %s nicht abgelegt: %s",
                    anlage["name"],
                    mail_dokument.pk,
                    fehler,
                )
    return angelegt


@transaction.atomic
def _anlage_ablegen(akteur: Akteur, mail_dokument: Dokument, anlage: dict) -> int:
    Akte.objects.select_for_update().filter(pk=mail_dokument.akte_id).first()  # lock order (2)
    schon = Dokument.objects.filter(anlage_zu=mail_dokument, versionen__datei_id=anlage["datei"])
    if schon.exists():
        return 0
    akten_services.dokument_ablegen(
        akteur=akteur,
        vorgang=mail_dokument.vorgang,
        gespeichert=Datei.objects.get(pk=anlage["datei"]),
        dateiname=anlage["name"],
        titel=anlage["name"],
        typ=mail_dokument.typ,
        posteingangsdatum=mail_dokument.posteingangsdatum,
        absender=mail_dokument.absender,
        anlage_zu=mail_dokument,
        wie=f"als Anlage zu „{mail_dokument.titel}“ übernommen",
        details={"anlage_zu": str(mail_dokument.uuid)},
    )
    return 1


def _transfervermerk(verarbeitung: Verarbeitung) -> dict:
    """The processing part of the scan protocol after TR-RESISCAN (who captured the file and
    where is on the Version or Posteingang item): pages, checksums, engine, result."""
    return {
        "seiten": verarbeitung.seiten,
        "sha256_original": verarbeitung.datei.sha256,
        "sha256_archiv": verarbeitung.archiv.sha256 if verarbeitung.archiv else None,
        "verfahren": verarbeitung.get_verfahren_display(),
        "engine": pipeline.engine(verarbeitung.verfahren),
        "ergebnis": "fertig",
        "verarbeitet_am": verarbeitung.fertig_am.isoformat(),
    }


def _fehlgeschlagen(verarbeitung_id: int, meldung: str, *, dauerhaft: bool = False) -> str:
    Verarbeitung.objects.filter(pk=verarbeitung_id).exclude(status=Status.FERTIG).update(
        status=Status.FEHLER,
        meldung=meldung[:1000],
        dauerhaft=dauerhaft,
        fertig_am=timezone.now(),
    )
    logger.info("Verarbeitung %s fehlgeschlagen: %s", verarbeitung_id, meldung)
    return Status.FEHLER


def endgueltig_fehlgeschlagen(verarbeitung_id: int) -> None:
    """After the last retry of a technical error (called by the task)."""
    _fehlgeschlagen(verarbeitung_id, TECHNISCHER_FEHLER)
