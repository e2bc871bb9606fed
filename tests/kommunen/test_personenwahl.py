"""The person picker: search, resolution of typed names, visibility, JSON and API endpoints."""

import pytest
from django import forms

from eakte.kommunen import selectors
from eakte.kommunen.personenwahl import PersonFeld
from tests.factories import BenutzerFactory


@pytest.fixture
def leute(erbach, michelstadt, sontra, bauamt, ordnungsamt_michelstadt):
    return {
        "koch": BenutzerFactory(
            kommune=michelstadt,
            username="p.koch",
            first_name="Paul",
            last_name="Koch",
            organisationseinheiten=[ordnungsamt_michelstadt],
        ),
        "schaefer": BenutzerFactory(
            kommune=erbach,
            username="a.schaefer",
            first_name="Anna",
            last_name="Schäfer",
            organisationseinheiten=[bauamt],
        ),
        "inaktiv": BenutzerFactory(
            kommune=erbach,
            username="p.koch2",
            first_name="Paula",
            last_name="Koch",
            is_active=False,
        ),
        "fremd": BenutzerFactory(
            kommune=sontra, username="p.kochanski", first_name="Paul", last_name="Kochanski"
        ),
    }


def _namen(personen):
    return sorted(p.username for p in personen)


def test_suche_ueber_name_login_oe_und_kommune(sachbearbeitung, leute):
    verbund = selectors.personen_waehlbar_fuer(sachbearbeitung, "verbund")
    assert _namen(selectors.personen_suchen(verbund, "Koch")) == ["p.koch"]
    assert _namen(selectors.personen_suchen(verbund, "paul koch")) == ["p.koch"]
    assert _namen(selectors.personen_suchen(verbund, "Ordnungsamt")) == ["p.koch"]
    assert _namen(selectors.personen_suchen(verbund, "Ordnungsamt Mich")) == ["p.koch"]
    assert "a.schaefer" in _namen(selectors.personen_suchen(verbund, "Bauamt"))
    assert _namen(selectors.personen_suchen(verbund, "a.schae")) == ["a.schaefer"]
    eigene = selectors.personen_waehlbar_fuer(sachbearbeitung, "kommune")
    assert selectors.personen_suchen(eigene, "Koch") == []


@pytest.mark.parametrize(
    "eingabe", ["Paul Koch (p.koch)", "p.koch", "P.KOCH", "Paul Koch", "koch, paul"]
)
def test_aufloesen(sachbearbeitung, leute, eingabe):
    verbund = selectors.personen_waehlbar_fuer(sachbearbeitung, "verbund")
    assert selectors.person_aufloesen(verbund, eingabe) == (leute["koch"], [])


def test_gleicher_name_nennt_die_kandidaten(sachbearbeitung, leute, michelstadt):
    zweiter = BenutzerFactory(
        kommune=michelstadt, username="paul.koch", first_name="Paul", last_name="Koch"
    )

    class Form(forms.Form):
        person = PersonFeld(label="Person")

    form = Form({"person": "Paul Koch"})
    form.fields["person"].fuer(sachbearbeitung)
    assert not form.is_valid()
    assert "Mehrere Personen heißen „Paul Koch“" in form.errors["person"][0]
    form = Form({"person": f"Paul Koch ({zweiter.username})"})
    form.fields["person"].fuer(sachbearbeitung)
    assert form.is_valid() and form.cleaned_data["person"] == zweiter


@pytest.mark.parametrize("eingabe", ["Paul Kochanski", "p.kochanski", "Paula Koch"])
def test_fremde_und_inaktive_sind_nicht_waehlbar(sachbearbeitung, leute, eingabe):
    verbund = selectors.personen_waehlbar_fuer(sachbearbeitung, "verbund")
    assert selectors.person_aufloesen(verbund, eingabe) == (None, [])


def test_json_endpunkt_und_api(client_als, api_als, sachbearbeitung, leute, fremder_verbund_admin):
    antwort = client_als(sachbearbeitung).get("/kommunen/personen/suche/?q=Koch")
    assert [p["benutzername"] for p in antwort.json()["personen"]] == ["p.koch"]
    assert antwort.json()["personen"][0]["beschreibung"] == "Ordnungsamt · Michelstadt"
    nur_kommune = client_als(sachbearbeitung).get(
        "/kommunen/personen/suche/?q=Koch&bereich=kommune"
    )
    assert nur_kommune.json()["personen"] == []
    api = api_als(sachbearbeitung).get("/api/v1/personen/", {"q": "Schäfer"})
    assert [p["anzeige"] for p in api.json()] == ["Anna Schäfer (a.schaefer)"]
    # Someone of another Verbund never finds our people.
    fremd = api_als(fremder_verbund_admin).get("/api/v1/personen/", {"q": "Koch"})
    assert [p["benutzername"] for p in fremd.json()] == ["p.kochanski"]
    falsch = api_als(sachbearbeitung).get("/api/v1/personen/", {"bereich": "welt"})
    assert falsch.status_code == 400


def test_anonym_bekommt_nichts(client, api_client, leute):
    assert client.get("/kommunen/personen/suche/?q=Koch").status_code == 302
    assert api_client.get("/api/v1/personen/", {"q": "Koch"}).status_code in (401, 403)
