"""The API of every step, and what another Kommune and the clerks get (404 / 403)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eakte.aussonderung import services, xdomea
from eakte.aussonderung.models import Prozess

pytestmark = pytest.mark.django_db


def _antwort(prozess_uuid, typ, eintraege):
    puffer = io.BytesIO()
    kopf = xdomea.Kopf(
        prozess_uuid, typ, xdomea.Kontakt("HStAD", "Archiv"), xdomea.Kontakt("erbach", "Erbach")
    )
    if typ == "0502":
        xdomea.bewertung_schreiben(puffer, kopf, eintraege)
    else:
        xdomea.importbestaetigung_schreiben(puffer, kopf, eintraege)
    return SimpleUploadedFile(xdomea.dateiname(prozess_uuid, typ), puffer.getvalue())


def test_alle_schritte_ueber_die_api(welt, api_als):
    api = api_als(welt.admin)
    faellig = api.get("/api/v1/aussonderung/akten/faellig/").json()
    assert {a["aktenzeichen"] for a in faellig} == {
        welt.archivwuerdig.aktenzeichen,
        welt.bewerten.aktenzeichen,
    }
    antwort = api.post(
        "/api/v1/aussonderung/prozesse/", {"akten": [a["uuid"] for a in faellig]}, format="json"
    )
    assert antwort.status_code == 201, antwort.content
    prozess = antwort.json()["uuid"]
    basis = f"/api/v1/aussonderung/prozesse/{prozess}"
    nachricht = antwort.json()["nachrichten"][0]
    datei = api.get(f"{basis}/nachrichten/{nachricht['uuid']}/")
    assert datei.status_code == 200
    xdomea.validieren(io.BytesIO(b"".join(datei.streaming_content)))

    bewertung = _antwort(
        prozess, "0502", [(welt.archivwuerdig.uuid, "A"), (welt.bewerten.uuid, "V")]
    )
    antwort = api.post(f"{basis}/bewertung/", {"datei": bewertung}, format="multipart")
    assert antwort.status_code == 200, antwort.content
    assert antwort.json()["status"] == "bewertet"
    antwort = api.post(f"{basis}/abgabe/")
    assert antwort.status_code == 202 and antwort.json()["status"] == "wird_erstellt"
    assert api.post(f"{basis}/abgabe/").json() == {
        "non_field_errors": ["Die Aussonderung (0503) wird bereits erstellt."]
    }
    services.abgabe_bauen(Prozess.objects.get(uuid=prozess).pk)  # what the worker does
    assert api.get(f"{basis}/").json()["status"] == "abgegeben"
    bestaetigung = _antwort(prozess, "0506", [(welt.archivwuerdig.uuid, True, "A-1")])
    antwort = api.post(f"{basis}/bestaetigung/", {"datei": bestaetigung}, format="multipart")
    assert antwort.json()["status"] == "abgeschlossen"

    zu_vernichten = api.get("/api/v1/aussonderung/akten/zu-vernichten/").json()
    lauf = api.post(
        "/api/v1/aussonderung/loeschlaeufe/",
        {"akten": [a["uuid"] for a in zu_vernichten]},
        format="json",
    ).json()
    selbst = api.post(f"/api/v1/aussonderung/loeschlaeufe/{lauf['uuid']}/genehmigen/")
    assert selbst.status_code == 400
    assert "Vier-Augen-Prinzip" in str(selbst.json())
    api = api_als(welt.zweite_admin)
    antwort = api.post(f"/api/v1/aussonderung/loeschlaeufe/{lauf['uuid']}/genehmigen/")
    assert antwort.json()["status"] == "durchgefuehrt"
    assert (
        api.get(f"/api/v1/aussonderung/loeschlaeufe/{lauf['uuid']}/protokoll-csv/").status_code
        == 200
    )
    nachweise = api.get(f"/api/v1/aussonderung/loeschlaeufe/{lauf['uuid']}/nachweise/").json()
    assert len(nachweise) == 2


def test_ungueltige_0502_ueber_die_api_gibt_deutsche_meldung(welt, api_als):
    api = api_als(welt.admin)
    antwort = api.post(
        "/api/v1/aussonderung/prozesse/", {"akten": [str(welt.archivwuerdig.uuid)]}, format="json"
    )
    prozess = antwort.json()["uuid"]
    antwort = api.post(
        f"/api/v1/aussonderung/prozesse/{prozess}/bewertung/",
        {"datei": SimpleUploadedFile("a.xml", b"<nicht")},
        format="multipart",
    )
    assert antwort.status_code == 400
    assert "kein gültiges XML" in str(antwort.json())


def test_loeschsperre_ueber_die_api(welt, api_als):
    api = api_als(welt.admin)
    url = f"/api/v1/aussonderung/akten/{welt.vernichten.uuid}/loeschsperre/"
    assert api.post(url, {"grund": "Rechnungsprüfung"}, format="json").status_code == 201
    antwort = api.post(
        "/api/v1/aussonderung/loeschlaeufe/", {"akten": [str(welt.vernichten.uuid)]}, format="json"
    )
    assert antwort.status_code == 400 and "Löschsperre" in str(antwort.json())
    assert api.delete(url).status_code == 204


def test_andere_kommune_sieht_nichts(welt, api_als, fremder_kommunen_admin):
    api = api_als(welt.admin)
    api.post(
        "/api/v1/aussonderung/prozesse/", {"akten": [str(welt.archivwuerdig.uuid)]}, format="json"
    )
    prozess = Prozess.objects.get()
    api = api_als(fremder_kommunen_admin)
    assert api.get("/api/v1/aussonderung/akten/faellig/").json() == []
    assert (
        api.get("/api/v1/aussonderung/prozesse/").json() == []
        or api.get("/api/v1/aussonderung/prozesse/").json().get("results") == []
    )
    assert api.get(f"/api/v1/aussonderung/prozesse/{prozess.uuid}/").status_code == 404
    url = f"/api/v1/aussonderung/akten/{welt.vernichten.uuid}/loeschsperre/"
    assert api.post(url, {"grund": "x"}, format="json").status_code == 404


def test_sachbearbeitung_hat_keinen_zugang(welt, api_als, sachbearbeitung):
    api = api_als(sachbearbeitung)
    assert api.get("/api/v1/aussonderung/akten/faellig/").status_code == 403
    assert api.get("/api/v1/datenschutzanfragen/").status_code == 403
