"""Bad input answers 400 with a German message, never 500 (issue 14: the nine causes found by
outside probes)."""

import json
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eakte.common.eingabe import Eingabefehler, daten_pruefen, json_laden

KEIN_OBJEKT = [[], ["ziel"], "text", 42, None, True]


def _json(client, url, daten):
    return client.post(url, json.dumps(daten), content_type="application/json")


def _deutsch_400(antwort, *woerter):
    assert antwort.status_code == 400, antwort.content[:300]
    text = antwort.content.decode()
    for wort in woerter:
        assert wort in text, text[:300]


# --- a JSON body that is not an object ---------------------------------------------------------


@pytest.mark.parametrize("daten", KEIN_OBJEKT)
def test_zusammenlegen_mit_json_ohne_objekt(api_als, kommunen_admin, bauamt, daten):
    antwort = _json(
        api_als(kommunen_admin),
        f"/api/v1/organisationseinheiten/{bauamt.uuid}/zusammenlegen/",
        daten,
    )
    _deutsch_400(antwort, "JSON-Objekt")


@pytest.mark.parametrize("daten", KEIN_OBJEKT)
def test_uebergabe_mit_json_ohne_objekt(api_als, kommunen_admin, sachbearbeitung, daten):
    sachbearbeitung.is_active = False
    sachbearbeitung.save()
    antwort = _json(
        api_als(kommunen_admin), f"/api/v1/benutzer/{sachbearbeitung.uuid}/uebergabe/", daten
    )
    _deutsch_400(antwort, "JSON-Objekt")


@pytest.mark.parametrize("daten", KEIN_OBJEKT)
def test_aufnehmen_mit_json_ohne_objekt(api_als, verbund_admin, daten):
    antwort = _json(api_als(verbund_admin), "/api/v1/kommunen/aufnehmen/", daten)
    _deutsch_400(antwort, "JSON-Objekt")


@pytest.mark.parametrize("kommunen", ["Erbach", {"slug": "x"}, [1, "zwei"]])
def test_aufnehmen_mit_falscher_form_der_kommunen(api_als, verbund_admin, kommunen):
    antwort = _json(api_als(verbund_admin), "/api/v1/kommunen/aufnehmen/", {"kommunen": kommunen})
    assert antwort.status_code == 400


def test_text_felder_duerfen_keine_listen_sein(api_als, kommunen_admin, bauamt, hauptamt):
    antwort = _json(
        api_als(kommunen_admin),
        f"/api/v1/organisationseinheiten/{bauamt.uuid}/zusammenlegen/",
        {"ziel": ["HA"]},
    )
    _deutsch_400(antwort, "ziel")


def test_tief_verschachteltes_json_in_der_api(api_als, kommunen_admin, bauamt):
    text = '{"ziel": ' + "[" * 5000 + "]" * 5000 + "}"
    antwort = api_als(kommunen_admin).post(
        f"/api/v1/organisationseinheiten/{bauamt.uuid}/zusammenlegen/",
        text,
        content_type="application/json",
    )
    _deutsch_400(antwort, "verschachtelt")


# --- NUL -----------------------------------------------------------------------------------------


def test_nul_in_der_abfrage_der_api(api_als, sachbearbeitung):
    antwort = api_als(sachbearbeitung).get("/api/v1/akten/?aktenzeichen=ERB%00")
    _deutsch_400(antwort, "Nullzeichen")


def test_nul_im_pfad_der_api_und_einer_seite(api_als, client_als, kommunen_admin):
    _deutsch_400(api_als(kommunen_admin).get("/api/v1/kommunen/erbach%00/"), "Nullzeichen")
    _deutsch_400(client_als(kommunen_admin).get("/kommunen/erbach%00/"), "Nullzeichen")


def test_nul_in_einer_seitenabfrage(client_als, sachbearbeitung):
    _deutsch_400(client_als(sachbearbeitung).get("/akten/?q=Bau%00"), "Nullzeichen")


def test_nul_im_formular(client_als, kommunen_admin, bauamt):
    antwort = client_als(kommunen_admin).post(
        f"/kommunen/erbach/oe/{bauamt.uuid}/",
        urlencode({"aktion": "zusammenlegen", "ziel": "H\x00A"}),
        content_type="application/x-www-form-urlencoded",
    )
    _deutsch_400(antwort, "Nullzeichen")


def test_nul_im_multipart_formular_einer_seite(client_als, kommunen_admin, bauamt):
    antwort = client_als(kommunen_admin).post(
        f"/kommunen/erbach/oe/{bauamt.uuid}/", {"aktion": "zusammenlegen", "ziel": "H\x00A"}
    )
    _deutsch_400(antwort, "Nullzeichen")


def test_nul_im_json(api_als, kommunen_admin, bauamt):
    antwort = _json(
        api_als(kommunen_admin),
        f"/api/v1/organisationseinheiten/{bauamt.uuid}/zusammenlegen/",
        {"ziel": "H\x00A"},
    )
    _deutsch_400(antwort, "Nullzeichen")
    schluessel = _json(
        api_als(kommunen_admin),
        f"/api/v1/organisationseinheiten/{bauamt.uuid}/zusammenlegen/",
        {"zi\x00el": "HA"},
    )
    _deutsch_400(schluessel, "Nullzeichen")


def test_nul_im_multipart_formular_der_api(api_als, digitallotse, aktenplan):
    antwort = api_als(digitallotse).post(
        f"/api/v1/aktenplaene/{aktenplan.uuid}/import/",
        {"datei": SimpleUploadedFile("p.csv", b"x"), "probelauf": "fal\x00se"},
        format="multipart",
    )
    _deutsch_400(antwort, "Nullzeichen")


def test_nul_im_csv_import_des_aktenplans(api_als, digitallotse, aktenplan):
    datei = (
        "Kennzeichen;Übergeordnet;Titel;Beschreibung;Aufbewahrungsfrist;Aussonderungsart;"
        "Gültig ab;Gültig bis;Stillgelegt;Nachfolger\r\n0;;Allgemeine\x00Verwaltung;;10;B;;;nein;\r\n"
    ).encode()
    antwort = api_als(digitallotse).post(
        f"/api/v1/aktenplaene/{aktenplan.uuid}/import/",
        {"datei": SimpleUploadedFile("p.csv", datei), "probelauf": "false"},
        format="multipart",
    )
    _deutsch_400(antwort, "Nullzeichen")
    assert not aktenplan.einheiten.exists()


def test_nul_im_csv_import_der_personen(client_als, kommunen_admin, bauamt):
    datei = (
        b"Benutzername;Vorname;Nachname;E-Mail;OE;Rollen\r\n"
        b"a.meier;An\x00na;Meier;a.meier@erbach.example;BA;Sachbearbeitung\r\n"
    )
    antwort = client_als(kommunen_admin).post(
        "/kommunen/erbach/benutzer/import/", {"datei": SimpleUploadedFile("leute.csv", datei)}
    )
    assert antwort.status_code == 200
    assert "Nullzeichen" in antwort.context["ergebnis"].fehler[0]


# --- uuids and dates in query parameters -------------------------------------------------------


def test_aktenplan_parameter_ohne_uuid(api_als, digitallotse, aktenplan):
    antwort = _json(
        api_als(digitallotse),
        "/api/v1/aktenplaneinheiten/?aktenplan=kein-uuid",
        {"kennzeichen": "0", "titel": "A", "aufbewahrungsfrist": 10, "aussonderungsart": "B"},
    )
    _deutsch_400(antwort, "UUID")


@pytest.mark.parametrize(
    "abfrage", ["bis=9999-12-31", "von=9999-12-31", "von=0001-01-01&bis=9999-12-31"]
)
def test_protokoll_mit_datum_am_rand(client_als, api_als, datenschutz, abfrage):
    assert client_als(datenschutz).get(f"/protokoll/?{abfrage}").status_code == 200
    assert client_als(datenschutz).get(f"/protokoll/export.csv?{abfrage}").status_code == 200
    assert api_als(datenschutz).get(f"/api/v1/protokoll/?{abfrage}").status_code == 200
    assert api_als(datenschutz).get(f"/api/v1/protokoll/export/?{abfrage}").status_code == 200


def test_protokoll_mit_ungueltigem_datum(client_als, api_als, datenschutz):
    _deutsch_400(client_als(datenschutz).get("/protokoll/export.csv?bis=99999-1-1"), "Filter")
    assert api_als(datenschutz).get("/api/v1/protokoll/?bis=kein-datum").status_code == 400


# --- deep JSON files -----------------------------------------------------------------------------


def test_tief_verschachtelter_aktenplan_als_json(api_als, digitallotse, aktenplan):
    tief = b'{"einheiten": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    antwort = api_als(digitallotse).post(
        f"/api/v1/aktenplaene/{aktenplan.uuid}/import/",
        {"datei": SimpleUploadedFile("p.json", tief), "format": "json"},
        format="multipart",
    )
    _deutsch_400(antwort, "verschachtelt")


def test_json_laden_und_daten_pruefen():
    with pytest.raises(Eingabefehler, match="verschachtelt"):
        json_laden("[" * 100_000 + "]" * 100_000)
    with pytest.raises(Eingabefehler, match="verschachtelt"):
        daten_pruefen({"a": [[[]]]}, max_tiefe=3)
    with pytest.raises(Eingabefehler, match="Nullzeichen"):
        daten_pruefen({"a": ["x\x00"]})
    daten_pruefen({"a": [[]]}, max_tiefe=3)


def test_verbundbeschreibung_tief_verschachtelt(api_als, verbund_admin):
    from eakte.kommunen.services import aufnahme

    with pytest.raises(aufnahme.Beschreibungsfehler, match="verschachtelt"):
        aufnahme.datei_lesen(b"a: " + b"[" * 5000 + b"]" * 5000, "v.yaml")
    with pytest.raises(aufnahme.Beschreibungsfehler, match="verschachtelt"):
        aufnahme.datei_lesen(b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}", "v.json")
