"""Signed-in responses (pages, API, downloads) are never cached: shared office PCs."""

from django.urls import reverse

from eakte.konten import services as konten_services
from tests.hilfen import akteur_von


def _kein_cache(antwort) -> bool:
    teile = {t.strip() for t in antwort.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= teile


def test_seiten_fuer_angemeldete(client_als, sachbearbeitung):
    client = client_als(sachbearbeitung)
    assert _kein_cache(client.get("/"))
    assert _kein_cache(client.get("/akten/"))


def test_api_mit_schluessel(client, sachbearbeitung):
    schluessel = konten_services.api_schluessel_erneuern(akteur=akteur_von(sachbearbeitung))
    antwort = client.get("/api/v1/akten/", HTTP_AUTHORIZATION=f"Token {schluessel}")
    assert antwort.status_code == 200 and _kein_cache(antwort)


def test_herunterladen(client_als, sachbearbeitung, dokument):
    version = dokument.versionen.get()
    antwort = client_als(sachbearbeitung).get(
        reverse("akten:version_datei", kwargs={"version_uuid": version.uuid})
    )
    assert antwort.status_code == 200 and _kein_cache(antwort)


def test_ohne_anmeldung_unveraendert(client, db):
    antwort = client.get("/")
    assert antwort.status_code == 302
    assert "no-store" not in antwort.get("Cache-Control", "")


def test_statische_dateien_bleiben_cachebar(settings, client, sachbearbeitung):
    # WhiteNoise reads its settings when the client's handler loads the middleware (first request).
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client.force_login(sachbearbeitung)
    antwort = client.get("/static/css/eakte.css")
    assert antwort.status_code == 200
    assert "no-store" not in antwort.get("Cache-Control", "")
