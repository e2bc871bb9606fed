"""/health/live and /health/ready: cheap, no data, and they say when a part is gone."""

import pytest

from tests.hilfen import freier_port

pytestmark = pytest.mark.django_db


def test_live_braucht_nichts(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        antwort = client.get("/health/live")
    assert antwort.status_code == 200 and antwort.content == b"ok"


def test_ready_prueft_datenbank_redis_und_speicher(client, dateispeicher, settings):
    antwort = client.get("/health/ready")
    assert antwort.status_code == 200, antwort.content
    daten = antwort.json()
    assert daten["status"] == "bereit"
    assert daten["datenbank"] == daten["redis"] == daten["dateispeicher"] == "ok"
    queues = {settings.CELERY_TASK_DEFAULT_QUEUE, settings.OCR_QUEUE}
    assert set(daten["warteschlangen"]) == queues
    assert all(isinstance(n, int) for n in daten["warteschlangen"].values())
    assert isinstance(daten["worker"], int)
    # nothing about the installation: no versions, host names or paths
    text = antwort.content.decode()
    assert "PostgreSQL" not in text and "/" not in text.replace("\\/", "")


def test_ready_ohne_redis(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{freier_port()}/0"
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    antwort = client.get("/health/ready")
    assert antwort.status_code == 503
    daten = antwort.json()
    assert daten["status"] == "nicht bereit" and daten["redis"] == "fehler"
    assert daten["datenbank"] == "ok" and set(daten["warteschlangen"].values()) == {None}


def test_ready_ohne_bucket(client, settings, s3_server):
    eintrag = s3_server.speicher_eintrag()
    eintrag["OPTIONS"] = {**eintrag["OPTIONS"], "endpoint_url": f"http://127.0.0.1:{freier_port()}"}
    settings.STORAGES = {**settings.STORAGES, "default": eintrag}
    antwort = client.get("/health/ready")
    assert antwort.status_code == 503 and antwort.json()["dateispeicher"] == "fehler"


def test_ready_ohne_ordner(client, settings, tmp_path):
    (tmp_path / "eine-datei").write_text("kein Ordner")  # the share is not mounted, say
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "eine-datei" / "dateien")},
        },
    }
    antwort = client.get("/health/ready")
    assert antwort.status_code == 503 and antwort.json()["dateispeicher"] == "fehler"


def test_sonden_antworten_unter_jeder_adresse_und_ohne_https(client, settings, dateispeicher):
    """A container health check asks http://localhost:8000/health/ready, Prometheus each replica
    by its IP: not the public host name, not over HTTPS. The pages still insist on both."""
    settings.ALLOWED_HOSTS = ["eakte.example.de"]
    settings.SECURE_SSL_REDIRECT = True
    settings.METRIKEN_TOKEN = "sonden-token"
    assert client.get("/health/live", HTTP_HOST="localhost:8000").status_code == 200
    bereit = client.get("/health/ready", HTTP_HOST="localhost:8000")
    assert bereit.status_code == 200 and bereit.json()["status"] == "bereit"
    metriken = client.get(
        "/metrics", HTTP_HOST="10.0.3.7:8000", HTTP_AUTHORIZATION="Bearer sonden-token"
    )
    assert metriken.status_code == 200 and b"eakte_" in metriken.content
    assert client.get("/metrics", HTTP_HOST="10.0.3.7:8000").status_code == 404  # no token
    assert client.get("/anmelden/", HTTP_HOST="localhost:8000").status_code == 400
    umleitung = client.get("/anmelden/", HTTP_HOST="eakte.example.de")
    assert umleitung.status_code == 301 and umleitung["Location"].startswith("https://")
