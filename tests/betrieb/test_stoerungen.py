"""Fault drills (issue 22), each against a part started for the test only — never the machine's
shared PostgreSQL or Redis: the file store full (a real 1 MB tmpfs), the bucket unreachable,
Redis restarted around uploads (a throw-away redis-server), PostgreSQL restarted (a throw-away
server made with initdb). A worker killed mid-job: tests/ocr/test_verarbeitung.py (and the
watchdog of issue 15)."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eakte.akten.models import Datei, Dokument
from eakte.ocr import services as ocr_services
from eakte.ocr.models import Status, Verarbeitung
from tests.conftest import _beenden, pdf_bytes, worker_starten
from tests.hilfen import freier_port, gunicorn_befehl, laufender_prozess, warten_bis
from tests.postgres_wegwerf import entfernen, primaer_anlegen

ROOT = Path(__file__).resolve().parents[2]
VOLL = "der Dateispeicher ist voll oder nicht erreichbar. Es wurde nichts gespeichert"


def _grosses_pdf(kib: int) -> bytes:
    return pdf_bytes("Lageplan") + b"\n%" + os.urandom(kib * 1024).hex().encode()[: kib * 1024]


def _hochladen(client, vorgang, name, inhalt):
    return client.post(
        reverse("akten:hochladen", kwargs={"vorgang_uuid": vorgang.uuid}),
        {"typ": "eingang", "dateien": [SimpleUploadedFile(name, inhalt)]},
        follow=True,
    )


@pytest.fixture
def kleines_dateisystem(tmp_path, settings):
    """A real 1 MB file system (tmpfs, needs root); the file store lives there."""
    ort = tmp_path / "voll"
    ort.mkdir()
    lauf = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(ort)], capture_output=True
    )
    if lauf.returncode != 0:
        pytest.skip(f"tmpfs nicht einhängbar (keine Rechte): {lauf.stderr.decode()[:200]}")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(ort)},
        },
    }
    try:
        yield ort
    finally:
        subprocess.run(["umount", str(ort)], check=False)


@pytest.mark.django_db
def test_speicher_voll(kleines_dateisystem, client_als, sachbearbeitung, vorgang):
    client = client_als(sachbearbeitung)
    antwort = _hochladen(client, vorgang, "Klein.pdf", _grosses_pdf(100))
    assert "wurde gespeichert" in antwort.content.decode()
    vorher = Datei.objects.count(), Dokument.objects.count()

    antwort = _hochladen(client, vorgang, "Riesig.pdf", _grosses_pdf(1500))  # > 1 MB
    text = antwort.content.decode()
    assert antwort.status_code == 200 and VOLL in text
    assert (Datei.objects.count(), Dokument.objects.count()) == vorher  # nothing half-written
    rest = [p for p in kleines_dateisystem.rglob("*") if p.is_file()]
    assert len(rest) == 1  # only the small file; the truncated one was removed
    # and the store works again once there is room
    antwort = _hochladen(client, vorgang, "Noch klein.pdf", _grosses_pdf(50))
    assert "wurde gespeichert" in antwort.content.decode()


@pytest.mark.django_db
def test_bucket_nicht_erreichbar(settings, s3_server, client_als, sachbearbeitung, vorgang):
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.speicher_eintrag()}
    client = client_als(sachbearbeitung)
    _hochladen(client, vorgang, "Vorher.pdf", _grosses_pdf(10))
    version = Dokument.objects.get(titel__startswith="Vorher").versionen.get()
    vorher = Datei.objects.count(), Dokument.objects.count()

    weg = s3_server.speicher_eintrag()
    weg["OPTIONS"] = {**weg["OPTIONS"], "endpoint_url": f"http://127.0.0.1:{freier_port()}"}
    settings.STORAGES = {**settings.STORAGES, "default": weg}
    antwort = _hochladen(client, vorgang, "Waehrenddessen.pdf", _grosses_pdf(10))
    assert VOLL in antwort.content.decode()
    assert (Datei.objects.count(), Dokument.objects.count()) == vorher
    herunter = client.get(reverse("akten:version_datei", kwargs={"version_uuid": version.uuid}))
    assert herunter.status_code == 503
    assert "Dateispeicher ist gerade nicht erreichbar" in herunter.content.decode()
    api = client.get(f"/api/v1/versionen/{version.uuid}/datei/")
    assert api.status_code == 503 and "nicht erreichbar" in api.json()["detail"]


@pytest.fixture
def wegwerf_redis(tmp_path):
    port = freier_port()

    def starten():
        prozess = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(tmp_path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        warten_bis(lambda: _antwortet(port), sekunden=20)
        return prozess

    def _antwortet(p):
        try:
            return redis.Redis(port=p, socket_timeout=0.5).ping()
        except redis.RedisError:
            return False

    zustand = {"prozess": starten()}

    def anhalten():  # a restart without persistence: everything queued is gone
        zustand["prozess"].terminate()
        zustand["prozess"].wait(10)

    def wieder():
        zustand["prozess"] = starten()

    yield f"redis://127.0.0.1:{port}/0", anhalten, wieder
    if zustand["prozess"].poll() is None:
        zustand["prozess"].terminate()
        zustand["prozess"].wait(10)


def _broker_wechseln(app, url: str) -> None:
    """Point this process's Celery app at another broker (its connection pools are rebuilt)."""
    from kombu import pools

    app.conf.broker_url = url
    pools.reset()  # kombu's shared connection pools, keyed by broker
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.worker
@pytest.mark.echte_uhr  # redis-server does not start under libfaketime
def test_redis_neustart_beim_hochladen(
    transactional_db, wegwerf_redis, settings, client_als, sachbearbeitung, vorgang, tmp_path,
    dateiablage,
):  # fmt: skip
    from eakte.celery import app

    url, anhalten, wieder = wegwerf_redis
    alter_broker = app.conf.broker_url  # before the settings change (the conf reads them lazily)
    assert alter_broker != url
    queue = f"ocr-stoerung-{uuid.uuid4().hex[:6]}"
    settings.OCR_QUEUE, settings.CELERY_BROKER_URL = queue, url
    _broker_wechseln(app, url)
    worker = None
    try:
        client = client_als(sachbearbeitung)
        # 1: stored and queued, then Redis restarts and the queued job is gone with it
        assert (
            "wurde gespeichert"
            in _hochladen(client, vorgang, "Eins.pdf", pdf_bytes("A")).content.decode()
        )
        assert redis.Redis.from_url(url).llen(queue) == 1
        anhalten()
        # 2: uploaded while Redis is down: stored, no error page, the job waits
        antwort = _hochladen(client, vorgang, "Zwei.pdf", pdf_bytes("B"))
        assert antwort.status_code == 200 and "wurde gespeichert" in antwort.content.decode()
        wieder()
        assert redis.Redis.from_url(url).llen(queue) == 0  # both jobs lost in the broker
        wartend = Verarbeitung.objects.filter(datei__kommune=vorgang.kommune, status=Status.WARTET)
        assert wartend.count() == 2
        # the sweeper (beat, every 5 minutes) sends them again, a real worker finishes both
        assert ocr_services.liegengebliebene_einreihen(aelter_als=timedelta(0)) == 2
        assert ocr_services.liegengebliebene_einreihen(aelter_als=timedelta(0)) == 0  # queued
        worker = worker_starten(
            tmp_path, dateiablage, queues=[queue], CELERY_OCR_QUEUE=queue, CELERY_BROKER_URL=url,
            CELERY_RESULT_BACKEND=url,
        )  # fmt: skip
        warten_bis(
            lambda: (
                Verarbeitung.objects.filter(
                    datei__kommune=vorgang.kommune, status=Status.FERTIG
                ).count()
                == 2
            ),
            sekunden=120,
            was=lambda: worker.log.read_text()[-3000:],
        )
    finally:
        if worker:
            _beenden(worker.process)
        _broker_wechseln(app, alter_broker)


def _abruf(url: str) -> dict:
    beginn = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as antwort:  # noqa: S310 (loopback)
            status, inhalt = antwort.status, antwort.read()
    except urllib.error.HTTPError as fehler:
        status, inhalt = fehler.code, fehler.read()
    except urllib.error.URLError:  # not listening (yet)
        status, inhalt = None, b""
    return {
        "status": status,
        "sekunden": round(time.perf_counter() - beginn, 2),
        "inhalt": inhalt.decode()[:300],
    }


def test_postgres_neustart(tmp_path):
    """gunicorn with persistent connections (as in production) on a throw-away PostgreSQL that is
    stopped and started again: requests fail at once and cleanly, then the same process answers
    again — no restart of web needed."""
    server = primaer_anlegen()
    try:
        with psycopg.connect(server.url(), autocommit=True) as verbindung:
            verbindung.execute("CREATE DATABASE eakte")
        umgebung = dict(
            os.environ,
            DATABASE_URL=server.url("eakte"),
            DATABASE_CONN_MAX_AGE="60",
            MEDIA_ROOT=str(tmp_path / "dateien"),
            ALLOWED_HOSTS="127.0.0.1",
            STATIC_MANIFEST="false",
            SECURE_SSL_REDIRECT="false",
        )
        lauf = subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=umgebung,
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        assert lauf.returncode == 0, lauf.stderr[-2000:]
        port = freier_port()
        bereit = f"http://127.0.0.1:{port}/health/ready"
        with laufender_prozess(
            gunicorn_befehl(port),
            bereit=lambda: _abruf(bereit)["status"] == 200,
            log=tmp_path / "gunicorn.log",
            cwd=ROOT,
            env=umgebung,
        ) as gunicorn:
            assert _abruf(bereit)["status"] == 200  # the connection is open and kept

            server.anhalten("fast")
            waehrend = [_abruf(bereit) for _ in range(3)]
            assert [a["status"] for a in waehrend] == [503] * 3, waehrend
            assert all(a["sekunden"] < 5 for a in waehrend)
            assert '"datenbank": "fehler"' in waehrend[0]["inhalt"]
            assert _abruf(f"http://127.0.0.1:{port}/health/live")["status"] == 200

            server.starten()
            nachher = _abruf(bereit)
            assert nachher["status"] == 200, nachher  # the first request after the restart
            assert gunicorn.poll() is None  # the same web process
    finally:
        entfernen(server)
