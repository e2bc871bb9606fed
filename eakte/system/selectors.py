"""What the operators see of the system's health: database, Redis, workers, OCR and office
tools."""

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from redis import Redis
from redis.exceptions import RedisError

from eakte.common import lesereplik

from .models import WorkerHeartbeat

WORKER_STILL_ALIVE = timedelta(minutes=3)


@dataclass(frozen=True)
class Pruefung:
    name: str
    ok: bool
    detail: str


def _datenbank() -> Pruefung:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (version,) = cursor.fetchone()
    return Pruefung("Datenbank", True, version.split(",")[0])


def _redis() -> Pruefung:
    try:
        Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
    except RedisError as fehler:
        return Pruefung("Redis", False, f"nicht erreichbar: {fehler}")
    return Pruefung("Redis", True, "erreichbar")


def worker_lebend() -> list[str]:
    grenze = timezone.now() - WORKER_STILL_ALIVE
    return list(
        WorkerHeartbeat.objects.filter(zuletzt__gte=grenze).values_list("worker", flat=True)
    )


def _worker() -> Pruefung:
    lebend = worker_lebend()
    if not lebend:
        return Pruefung("Celery-Worker", False, "kein Lebenszeichen in den letzten 3 Minuten")
    return Pruefung("Celery-Worker", True, ", ".join(sorted(lebend)))


def _tesseract() -> Pruefung:
    programm = shutil.which("tesseract")
    if not programm:
        return Pruefung("Texterkennung (Tesseract)", False, "tesseract ist nicht installiert")
    ausgabe = subprocess.run(
        [programm, "--list-langs"], capture_output=True, text=True, timeout=10, check=False
    ).stdout
    sprachen = set(ausgabe.split()[1:]) if ausgabe else set()
    if "deu" not in sprachen:
        return Pruefung("Texterkennung (Tesseract)", False, "deutsches Sprachpaket fehlt")
    return Pruefung("Texterkennung (Tesseract)", True, "Sprachen: " + ", ".join(sorted(sprachen)))


def _libreoffice() -> Pruefung:
    """The OCR worker converts office files and e-mails with soffice (same image as the web)."""
    name = "Umwandlung von Office-Dateien (LibreOffice)"
    programm = shutil.which(settings.OFFICE_SOFFICE)
    if not programm:
        return Pruefung(name, False, f"{settings.OFFICE_SOFFICE} ist nicht installiert")
    return Pruefung(name, True, f"{programm}, Zeitlimit {settings.OFFICE_ZEITLIMIT} s")


def systemstatus() -> list[Pruefung]:
    return [_datenbank(), _redis(), _worker(), _tesseract(), _libreoffice()]


def datenbank_erreichbar() -> bool:
    try:
        return _datenbank().ok
    except Exception:  # any database failure means "not healthy" for the load balancer
        return False


# --- For load balancers and monitoring: /health/live and /health/ready (cheap, nothing leaked)


def warteschlangen() -> dict[str, int | None]:
    """Jobs waiting in Redis per Celery queue (None: Redis not reachable)."""
    queues = [settings.CELERY_TASK_DEFAULT_QUEUE, settings.OCR_QUEUE]
    try:
        verbindung = Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=1)
        with verbindung.pipeline() as pipe:
            for queue in queues:
                pipe.llen(queue)
            return dict(zip(queues, pipe.execute(), strict=True))
    except RedisError:
        return dict.fromkeys(queues)


def _speicher_bereit() -> bool:
    """The file store answers: the folder exists and is writable, or the bucket answers a HEAD."""
    from django.core.files.storage import storages

    speicher = storages["default"]
    client = getattr(speicher, "client", None)
    if client is not None:
        client.head_bucket(Bucket=speicher.bucket_name)
        return True
    ort = getattr(speicher, "location", "")
    if not ort:
        return False
    os.makedirs(ort, exist_ok=True)  # as the store itself does on the first save
    return os.access(ort, os.W_OK)


def bereitschaft() -> tuple[bool, dict]:
    """(ready to take requests, what was checked). Database, Redis and the file store decide;
    workers and queues are reported, but a web host stays in the pool without them (the pages
    work, OCR waits)."""
    ergebnis: dict = {}
    for name, pruefen in (
        ("datenbank", datenbank_erreichbar),
        ("redis", _redis_erreichbar),
        ("dateispeicher", _sicher(_speicher_bereit)),
    ):
        ergebnis[name] = "ok" if pruefen() else "fehler"
    bereit = all(wert == "ok" for wert in ergebnis.values())
    # reported, never decisive: without the replica the primary answers the reads
    replik = lesereplik.zustand() if ergebnis["datenbank"] == "ok" else None
    if replik is not None:
        ergebnis["lesereplik"] = replik
    try:
        ergebnis["worker"] = len(worker_lebend())
    except Exception:  # the database is down: said above already
        ergebnis["worker"] = None
    ergebnis["warteschlangen"] = warteschlangen()
    return bereit, ergebnis


def _sicher(pruefen):
    def ausfuehren() -> bool:
        try:
            return pruefen()
        except Exception:  # any failure of the store means "not ready"
            return False

    return ausfuehren


def _redis_erreichbar() -> bool:
    try:
        return bool(Redis.from_url(settings.REDIS_URL, socket_timeout=1).ping())
    except RedisError:
        return False
