"""Prometheus metrics: only with the token; latency per view, OCR states, logins, lockouts."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eakte.akten import services
from tests.hilfen import akteur_von, warten_bis

pytestmark = pytest.mark.django_db

TOKEN = "metriken-geheim-123"


@pytest.fixture
def mit_token(settings):
    settings.METRIKEN_TOKEN = TOKEN


def _metriken(client) -> str:
    antwort = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert antwort.status_code == 200
    return antwort.content.decode()


def _wert(text: str, muster: str) -> float:
    treffer = re.search(re.escape(muster) + r" ([0-9.e+-]+|NaN)$", text, re.MULTILINE)
    assert treffer, f"{muster} fehlt"
    return float(treffer.group(1))


def test_ohne_token_gibt_es_keine_metriken(client, settings, sachbearbeitung, client_als):
    settings.METRIKEN_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    settings.METRIKEN_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer falsch").status_code == 404
    assert client_als(sachbearbeitung).get("/metrics").status_code == 404


def test_antwortzeit_je_view_und_ocr_zustand(
    mit_token, client, client_als, sachbearbeitung, vorgang, settings
):
    services.dokument_hochladen(
        akteur=akteur_von(sachbearbeitung),
        vorgang=vorgang,
        datei=SimpleUploadedFile("Scan.tif", b"II*\x00" + b"\x00" * 200),
    )
    angemeldet = client_als(sachbearbeitung)
    vorher = _metriken(client)
    muster = 'eakte_anfrage_sekunden_count{methode="GET",status="2xx",view="akten:detail"}'
    zuvor = _wert(vorher, muster) if muster in vorher else 0
    antwort = angemeldet.get(reverse("akten:detail", kwargs={"akte_uuid": vorgang.akte.uuid}))
    assert antwort.status_code == 200
    angemeldet.get(reverse("suche:suche") + "?q=Bauantrag")
    text = _metriken(client)
    assert _wert(text, muster) == zuvor + 1
    assert _wert(text, "eakte_suche_sekunden_count") >= 1
    assert _wert(text, 'eakte_ocr_auftraege{status="wartet"}') >= 1
    assert f'eakte_warteschlange_laenge{{queue="{settings.OCR_QUEUE}"}}' in text
    assert "eakte_worker_lebend" in text and "eakte_ocr_dauer_sekunden" in text


def test_anmeldungen_und_sperren(mit_token, client, settings, sachbearbeitung):
    settings.AXES_FAILURE_LIMIT = 2
    vorher = _metriken(client)

    def zahl(text, ergebnis):
        muster = f'eakte_anmeldungen_total{{ergebnis="{ergebnis}"}}'
        return _wert(text, muster) if muster in text else 0

    for _ in range(3):
        client.post(
            reverse("konten:anmelden"),
            {"username": sachbearbeitung.username, "password": "falsch"},
            REMOTE_ADDR="10.9.8.7",
        )
    nachher = _metriken(client)
    assert zahl(nachher, "fehlgeschlagen") >= zahl(vorher, "fehlgeschlagen") + 2
    assert zahl(nachher, "gesperrt") >= zahl(vorher, "gesperrt") + 1


def _zahl(text: str, muster: str) -> float:
    treffer = re.search(re.escape(muster) + r" ([0-9.e+-]+)$", text, re.MULTILINE)
    return float(treffer.group(1)) if treffer else 0.0


@pytest.mark.worker
def test_dauer_und_ergebnis_jedes_auftrags(
    mit_token, transactional_db, celery_worker_prozess, client
):
    """A real worker runs the heartbeat once as it should and once with an argument too many
    (it fails there): /metrics of the web side shows both outcomes and their durations."""
    from eakte.celery import app
    from eakte.system.tasks import heartbeat

    aufgabe = 'aufgabe="eakte.system.heartbeat"'
    erfolg = f'eakte_aufgaben_total{{{aufgabe},ergebnis="erfolg"}}'
    fehler = f'eakte_aufgaben_total{{{aufgabe},ergebnis="fehler"}}'
    anzahl = f"eakte_aufgabe_sekunden_count{{{aufgabe}}}"
    vorher = _metriken(client)
    heartbeat.delay()
    app.send_task("eakte.system.heartbeat", args=["eins zu viel"])  # TypeError in the worker

    def beide_gezaehlt():
        text = _metriken(client)
        neu = _zahl(text, erfolg) > _zahl(vorher, erfolg) and _zahl(text, fehler) > _zahl(
            vorher, fehler
        )
        return text if neu else None

    nachher = warten_bis(beide_gezaehlt, sekunden=60)
    assert _zahl(nachher, anzahl) == _zahl(vorher, anzahl) + 2
    alle = _zahl(nachher, f'eakte_aufgabe_sekunden_bucket{{{aufgabe},le="+Inf"}}')
    assert alle == _zahl(nachher, anzahl)
    assert (
        0
        < _zahl(nachher, f"eakte_aufgabe_sekunden_sum{{{aufgabe}}}")
        - _zahl(vorher, f"eakte_aufgabe_sekunden_sum{{{aufgabe}}}")
        < 30
    )
