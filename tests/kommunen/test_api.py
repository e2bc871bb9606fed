import pytest

from eakte.kommunen.rollen import Rolle
from eakte.konten import services as konten_services
from tests.factories import BenutzerFactory
from tests.hilfen import akteur_von


def _slugs(antwort):
    return [eintrag["slug"] for eintrag in antwort.json()["results"]]


def test_api_ohne_anmeldung_401(api_client, erbach):
    assert api_client.get("/api/v1/kommunen/").status_code in (401, 403)
    assert api_client.get("/api/v1/benutzer/ich/").status_code in (401, 403)


def test_kommunen_api_ist_mandantengetrennt(
    api_als, sachbearbeitung, verbund_admin, erbach, michelstadt, sontra
):
    assert _slugs(api_als(sachbearbeitung).get("/api/v1/kommunen/")) == ["erbach"]
    assert api_als(sachbearbeitung).get("/api/v1/kommunen/michelstadt/").status_code == 404
    assert _slugs(api_als(verbund_admin).get("/api/v1/kommunen/")) == ["erbach", "michelstadt"]
    assert api_als(verbund_admin).get("/api/v1/kommunen/sontra/").status_code == 404


def test_oe_api_liefert_nur_eigene_und_404_fuer_fremde(
    api_als, sachbearbeitung, hauptamt, bauamt, ordnungsamt_michelstadt
):
    client = api_als(sachbearbeitung)
    namen = {
        eintrag["name"]
        for eintrag in client.get("/api/v1/organisationseinheiten/").json()["results"]
    }
    assert namen == {"Hauptamt", "Bauamt"}
    assert client.get(f"/api/v1/organisationseinheiten/{hauptamt.uuid}/").json()["kuerzel"] == "HA"
    fremd = client.get(f"/api/v1/organisationseinheiten/{ordnungsamt_michelstadt.uuid}/")
    assert fremd.status_code == 404


def test_oe_filter_nach_fremder_kommune_liefert_nichts(
    api_als, sachbearbeitung, bauamt, ordnungsamt_michelstadt
):
    antwort = api_als(sachbearbeitung).get("/api/v1/organisationseinheiten/?kommune=michelstadt")
    assert antwort.json()["count"] == 0


def test_benutzer_api_fuer_admin_und_sachbearbeitung(
    api_als, kommunen_admin, sachbearbeitung, kollegin_andere_oe, fremde_sachbearbeitung
):
    admin_sicht = api_als(kommunen_admin).get("/api/v1/benutzer/").json()
    assert {b["username"] for b in admin_sicht["results"]} == {
        "admin.erbach",
        "sb.erbach",
        "sb2.erbach",
    }
    sb_sicht = api_als(sachbearbeitung).get("/api/v1/benutzer/").json()
    assert [b["username"] for b in sb_sicht["results"]] == ["sb.erbach"]
    fremd = api_als(kommunen_admin).get(f"/api/v1/benutzer/{fremde_sachbearbeitung.uuid}/")
    assert fremd.status_code == 404


def test_benutzer_ich(api_als, sachbearbeitung, bauamt):
    daten = api_als(sachbearbeitung).get("/api/v1/benutzer/ich/").json()
    assert daten["username"] == "sb.erbach"
    assert daten["kommune"] == "erbach"
    assert daten["rollen"] == ["Sachbearbeitung"]
    assert daten["organisationseinheiten"] == [str(bauamt.uuid)]


def test_benutzer_api_mit_fester_anzahl_abfragen(
    api_als, kommunen_admin, erbach, bauamt, django_assert_max_num_queries
):
    BenutzerFactory.create_batch(
        30, kommune=erbach, rollen=[Rolle.SACHBEARBEITUNG], organisationseinheiten=[bauamt]
    )
    client = api_als(kommunen_admin)
    with django_assert_max_num_queries(6):
        antwort = client.get("/api/v1/benutzer/")
    assert antwort.json()["count"] == 31


def test_token_anmeldung_und_deaktivierter_benutzer(api_client, sachbearbeitung):
    schluessel = konten_services.api_schluessel_erneuern(akteur=akteur_von(sachbearbeitung))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {schluessel}")
    assert api_client.get("/api/v1/benutzer/ich/").status_code == 200
    sachbearbeitung.is_active = False
    sachbearbeitung.save()
    assert api_client.get("/api/v1/benutzer/ich/").status_code == 401


@pytest.mark.parametrize("pfad", ["/api/schema/", "/api/docs/"])
def test_openapi_schema_und_doku_sind_erreichbar(client_als, sachbearbeitung, pfad):
    antwort = client_als(sachbearbeitung).get(pfad)
    assert antwort.status_code == 200


def test_openapi_schema_beschreibt_die_endpunkte(client_als, sachbearbeitung):
    schema = client_als(sachbearbeitung).get("/api/schema/?format=json").json()
    for pfad in [
        "/api/v1/kommunen/",
        "/api/v1/organisationseinheiten/{uuid}/",
        "/api/v1/benutzer/ich/",
        "/api/v1/system/status/",
    ]:
        assert pfad in schema["paths"], pfad
