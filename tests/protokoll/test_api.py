"""The Protokoll through the REST API: same rules as the browser."""

import csv
import io
from datetime import datetime

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from eakte.protokoll.models import Aktion, Protokolleintrag
from tests.protokoll.conftest import eintrag, eintrag_am

pytestmark = pytest.mark.django_db
URL = "/api/v1/protokoll/"
FELDER = {
    "laufnummer",
    "zeitpunkt",
    "benutzer_name",
    "aktion",
    "objekt_typ",
    "objekt_uuid",
    "akte_uuid",
    "aktenzeichen",
    "beschreibung",
    "details",
    "ip_adresse",
    "systemgrund",
    "hash",
}


def test_datenschutz_liest_die_eigene_kommune(api_als, datenschutz, zwei_kommunen, erbach):
    antwort = api_als(datenschutz).get(URL)
    assert antwort.status_code == 200
    daten = antwort.json()
    # everything of Erbach, plus this reading itself (written first, so it is on top)
    assert daten["count"] == Protokolleintrag.objects.filter(kommune=erbach).count()
    erster = daten["results"][0]
    assert set(erster) == FELDER
    assert erster["aktion"] == "angesehen" and erster["objekt_typ"] == "Protokoll"
    nummern = [e["laufnummer"] for e in daten["results"]]
    assert nummern == sorted(nummern, reverse=True)
    zeichen = {e["aktenzeichen"] for e in daten["results"]}
    assert zwei_kommunen["akte"].aktenzeichen in zeichen
    assert zwei_kommunen["fremde_akte"].aktenzeichen not in zeichen
    gast = [e for e in daten["results"] if "(sb.michelstadt)" in e["benutzer_name"]]
    assert [e["ip_adresse"] for e in gast] == ["198.51.100.23"]


def test_datenschutz_der_anderen_kommune(api_als, datenschutz_michelstadt, zwei_kommunen):
    daten = api_als(datenschutz_michelstadt).get(URL).json()
    zeichen = {e["aktenzeichen"] for e in daten["results"]}
    assert zwei_kommunen["fremde_akte"].aktenzeichen in zeichen
    assert zwei_kommunen["akte"].aktenzeichen not in zeichen


@pytest.mark.parametrize(
    "person",
    ["sachbearbeitung", "kommunen_admin", "verbund_admin", "fremde_sachbearbeitung"],
)
def test_andere_rollen_bekommen_404(api_als, request, person, erbach, michelstadt):
    eintrag(erbach, "Erbach")
    eintrag(michelstadt, "Michelstadt")
    client = api_als(request.getfixturevalue(person))
    for url in (URL, f"{URL}1/", f"{URL}export/", f"{URL}?aktion=angelegt"):
        assert client.get(url).status_code == 404, url
    assert Protokolleintrag.objects.count() == 2


def test_ohne_anmeldung_401(api_client, db):
    assert api_client.get(URL).status_code == 401


def test_nur_lesen(api_als, datenschutz, erbach):
    eintrag(erbach, "bleibt")
    client = api_als(datenschutz)
    assert client.delete(f"{URL}1/").status_code == 405
    assert client.patch(f"{URL}1/", {"beschreibung": "x"}, format="json").status_code == 405
    assert client.post(URL, {"beschreibung": "x"}, format="json").status_code == 405
    assert Protokolleintrag.objects.get(laufnummer=1).beschreibung == "bleibt"


def test_einzelner_eintrag_nach_laufnummer(api_als, datenschutz, erbach, michelstadt):
    eintrag(michelstadt, "fremd 1")
    eintrag(michelstadt, "fremd 2")
    eintrag(erbach, "eigen 1")
    client = api_als(datenschutz)
    antwort = client.get(f"{URL}1/")
    assert antwort.status_code == 200 and antwort.json()["beschreibung"] == "eigen 1"
    assert client.get(f"{URL}3/").status_code == 404  # Michelstadt has a Nr. 2, Erbach not
    letzter = Protokolleintrag.objects.filter(kommune=erbach).order_by("-laufnummer").first()
    assert letzter.beschreibung == "Protokolleintrag Nr. 1 über die API abgerufen"


def test_filter(api_als, datenschutz, zwei_kommunen, kollege_michelstadt, erbach):
    eintrag_am(erbach, datetime(2026, 3, 10, 0, 30), "früh am 10.")
    client = api_als(datenschutz)

    def beschreibungen(**filter):
        antwort = client.get(URL, filter)
        assert antwort.status_code == 200, antwort.json()
        return [e["beschreibung"] for e in antwort.json()["results"]]

    assert beschreibungen(benutzer="sb.michelstadt") == ["Dokument „Bauantrag“ angesehen"]
    assert beschreibungen(benutzer=str(kollege_michelstadt.uuid)) == [
        "Dokument „Bauantrag“ angesehen"
    ]
    akte = zwei_kommunen["akte"]
    assert len(beschreibungen(akte=akte.aktenzeichen)) == 5
    assert beschreibungen(akte=str(akte.uuid)) == beschreibungen(akte=akte.aktenzeichen)
    assert beschreibungen(aktion="hochgeladen") == [
        "Dokument „Bauantrag“ hochgeladen (Bauantrag.pdf)"
    ]
    assert beschreibungen(von="2026-03-10", bis="2026-03-10") == ["früh am 10."]
    letzter = Protokolleintrag.objects.filter(kommune=erbach).order_by("-laufnummer").first()
    assert letzter.details == {"filter": {"von": "2026-03-10", "bis": "2026-03-10"}}


def test_ungueltige_filter_400(api_als, datenschutz, erbach):
    client = api_als(datenschutz)
    vorher = Protokolleintrag.objects.count()
    antwort = client.get(URL, {"von": "2026-03-10", "bis": "2026-03-01"})
    assert antwort.status_code == 400
    assert "liegt nach dem Datum" in str(antwort.json())
    assert client.get(URL, {"aktion": "gibtesnicht"}).status_code == 400
    assert client.get(URL, {"von": "kein-datum"}).status_code == 400
    assert Protokolleintrag.objects.count() == vorher


def test_liste_mit_fester_anzahl_abfragen(
    api_als, datenschutz, erbach, django_assert_max_num_queries
):
    client = api_als(datenschutz)
    for i in range(5):
        eintrag(erbach, f"Eintrag {i}")
    client.get(URL)  # the permission cache of the user object fills on the first request
    with CaptureQueriesContext(connection) as wenige:
        client.get(URL)
    for i in range(120):
        eintrag(erbach, f"mehr {i}")
    # (+1: the person's Bereich)
    with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as viele:
        assert len(client.get(URL).json()["results"]) == 50
    assert len(viele) == len(wenige)


def test_csv_export(api_als, datenschutz, erbach):
    eintrag(erbach, "=SUM(1)", aktion=Aktion.GEAENDERT)
    eintrag(erbach, "anderes", aktion=Aktion.ANGESEHEN)
    client = api_als(datenschutz)
    for kopf in ({}, {"HTTP_ACCEPT": "text/csv"}):
        antwort = client.get(f"{URL}export/", {"aktion": "geaendert"}, **kopf)
        assert antwort.status_code == 200
        assert isinstance(antwort, StreamingHttpResponse)
        assert antwort["Content-Type"] == "text/csv; charset=utf-8"
        text = b"".join(antwort.streaming_content).decode()
        assert text.startswith("\ufeffNr.;Zeitpunkt;")
        zeilen = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
        assert [z[8] for z in zeilen[1:]] == ["'=SUM(1)"]
    exportiert = Protokolleintrag.objects.filter(aktion=Aktion.EXPORTIERT)
    assert exportiert.count() == 2
    assert exportiert.first().details == {"filter": {"aktion": "geaendert"}}
