"""The pages: the admin's overview, a refused upload with its German message, and 404 for
another Kommune."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eakte.aussonderung import services
from eakte.aussonderung.models import Entscheidung
from tests.hilfen import akteur_von

pytestmark = pytest.mark.django_db


def test_uebersicht_zeigt_faellige_und_loeschsperre(
    welt, client_als, django_assert_max_num_queries
):
    client = client_als(welt.admin)
    with django_assert_max_num_queries(20):
        seite = client.get("/aussonderung/")
    text = seite.content.decode()
    assert welt.archivwuerdig.aktenzeichen in text
    assert welt.vernichten.aktenzeichen in text
    assert "Wahlanfechtung vor dem VG" in text


def test_akte_zeigt_die_loeschsperre(welt, client_als, kommunen_admin):
    seite = client_als(kommunen_admin).get(f"/akten/{welt.gesperrt.uuid}/")
    assert "Löschsperre:" in seite.content.decode()


def test_falsche_datei_wird_mit_meldung_abgelehnt(welt, client_als):
    prozess = services.anbietung_erstellen(
        akteur=akteur_von(welt.admin), akten=[welt.archivwuerdig]
    )
    client = client_als(welt.admin)
    seite = client.post(
        f"/aussonderung/prozess/{prozess.uuid}/bewertung/",
        {"datei": SimpleUploadedFile("x.xml", b"<x xmlns='urn:xoev-de:xdomea:schema:2.3.0'/>")},
        follow=True,
    )
    assert "nicht im Format xdomea 3.0.0, sondern in Version 2.3.0" in seite.content.decode()
    assert prozess.akten.get().entscheidung == Entscheidung.OFFEN


def test_andere_kommune_bekommt_404(welt, client_als, fremder_kommunen_admin, sachbearbeitung):
    prozess = services.anbietung_erstellen(
        akteur=akteur_von(welt.admin), akten=[welt.archivwuerdig]
    )
    client = client_als(fremder_kommunen_admin)
    assert client.get(f"/aussonderung/prozess/{prozess.uuid}/").status_code == 404
    assert client.get(f"/aussonderung/akte/{welt.gesperrt.uuid}/").status_code == 404
    seite = client.get("/aussonderung/")
    assert welt.archivwuerdig.aktenzeichen not in seite.content.decode()
    assert client_als(sachbearbeitung).get("/aussonderung/").status_code == 404


def test_loeschsperre_auf_der_seite_setzen_und_aufheben(welt, client_als):
    client = client_als(welt.admin)
    url = f"/aussonderung/akte/{welt.vernichten.uuid}/"
    seite = client.post(url, {"aktion": "sperren", "grund": "Rechtsstreit"}, follow=True)
    assert "Löschsperre gesetzt" in seite.content.decode()
    assert "<strong>Löschsperre:</strong> Rechtsstreit" in seite.content.decode()
    seite = client.post(url, {"aktion": "entsperren"}, follow=True)
    assert "Löschsperre aufgehoben" in seite.content.decode()
    seite = client.post(url, {"aktion": "entsperren"}, follow=True)
    assert "keine Löschsperre" in seite.content.decode()
    seite = client.post(url, {"aktion": "sperren", "grund": " "}, follow=True)
    assert "Grund der Löschsperre" in seite.content.decode()
