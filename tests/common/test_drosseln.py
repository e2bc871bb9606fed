"""API rate limits per person (session) and per API key, from settings, with a German 429."""

import copy
import uuid

import pytest

from eakte.konten import services as konten_services
from tests.hilfen import akteur_von


@pytest.fixture(autouse=True)
def _eigene_zaehler(settings):
    """Fresh counters for each test without flushing the Redis database (Celery uses it too)."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"drosseltest-{uuid.uuid4().hex}"
    settings.CACHES = caches


def _token(client, benutzer):
    schluessel = konten_services.api_schluessel_erneuern(akteur=akteur_von(benutzer))
    client.credentials(HTTP_AUTHORIZATION=f"Token {schluessel}")
    return client


def test_zu_viele_anfragen_einer_person(settings, client_als, sachbearbeitung):
    settings.API_DROSSEL_PERSON = "3/min"
    client = client_als(sachbearbeitung)
    assert [client.get("/api/v1/akten/").status_code for _ in range(3)] == [200, 200, 200]
    antwort = client.get("/api/v1/akten/")
    assert antwort.status_code == 429
    wartezeit = int(antwort["Retry-After"])
    assert 0 < wartezeit <= 60
    assert antwort.json()["detail"] == (
        f"Zu viele Anfragen. Bitte in {wartezeit} Sekunden erneut versuchen."
    )


def test_jede_person_hat_ihr_eigenes_kontingent(
    settings, client_als, sachbearbeitung, kollegin_andere_oe
):
    settings.API_DROSSEL_PERSON = "2/min"
    for _ in range(2):
        client_als(sachbearbeitung).get("/api/v1/akten/")
    assert client_als(sachbearbeitung).get("/api/v1/akten/").status_code == 429
    assert client_als(kollegin_andere_oe).get("/api/v1/akten/").status_code == 200


def test_api_schluessel_hat_eigenes_kontingent(
    settings, api_client, client_als, sachbearbeitung, kollegin_andere_oe
):
    settings.API_DROSSEL_SCHLUESSEL = "2/min"
    settings.API_DROSSEL_PERSON = "100/min"
    client = _token(api_client, sachbearbeitung)
    assert [client.get("/api/v1/akten/").status_code for _ in range(3)] == [200, 200, 429]
    assert "Zu viele Anfragen" in client.get("/api/v1/akten/").json()["detail"]
    # The same person in the browser, and another key, are not affected.
    assert client_als(sachbearbeitung).get("/api/v1/akten/").status_code == 200
    anderer = _token(api_client, kollegin_andere_oe)
    assert anderer.get("/api/v1/akten/").status_code == 200


def test_grosszuegige_voreinstellung(settings):
    assert settings.API_DROSSEL_PERSON == "600/min"
    assert settings.API_DROSSEL_SCHLUESSEL == "600/min"
