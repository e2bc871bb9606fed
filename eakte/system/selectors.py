"""What the operators see of the system's health: database, Redis, workers, OCR and office
tools."""

import shutil
import subprocess
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from redis import Redis
from redis.exceptions import RedisError

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


def _worker() -> Pruefung:
    grenze = timezone.now() - WORKER_STILL_ALIVE
    lebend = list(
        WorkerHeartbeat.objects.filter(zuletzt__gte=grenze).values_list("worker", flat=True)
    )
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
