from django.core.files.uploadedfile import SimpleUploadedFile

from aktenplan.models import Aktenplaneinheit
from tests.aktenplan.test_austausch import GUTE_DATEI


def _plan_url(aktenplan, aktion=""):
    return f"/api/v1/aktenplaene/{aktenplan.uuid}/" + (f"{aktion}/" if aktion else "")


def test_plan_nur_im_eigenen_verbund(
    api_als, sachbearbeitung, fremder_digitallotse, kleiner_plan, aktenplan
):
    assert api_als(sachbearbeitung).get("/api/v1/aktenplaene/").json()["count"] == 1
    fremd = api_als(fremder_digitallotse)
    assert fremd.get("/api/v1/aktenplaene/").json()["count"] == 0
    for aktion in ("", "baum", "einheiten", "aenderungen", "export"):
        assert fremd.get(_plan_url(aktenplan, aktion)).status_code == 404
    assert fremd.get(f"/api/v1/aktenplaneinheiten/{kleiner_plan['0'].uuid}/").status_code == 404
    antwort = fremd.patch(f"/api/v1/aktenplaneinheiten/{kleiner_plan['0'].uuid}/", {"titel": "X"})
    assert antwort.status_code == 404


def test_baum_verschachtelt(api_als, sachbearbeitung, kleiner_plan, aktenplan):
    baum = api_als(sachbearbeitung).get(_plan_url(aktenplan, "baum")).json()
    assert [k["kennzeichen"] for k in baum] == ["0", "6"]
    assert [k["kennzeichen"] for k in baum[0]["kinder"][0]["kinder"]] == ["0.2.01", "0.2.02"]


def test_flache_liste_mit_teilbaum_und_aktiv_filter(api_als, digitallotse, kleiner_plan, aktenplan):
    client = api_als(digitallotse)
    client.post(f"/api/v1/aktenplaneinheiten/{kleiner_plan['0.2.02'].uuid}/stilllegen/", {})
    daten = client.get(_plan_url(aktenplan, "einheiten") + "?unter=0.2&aktiv=true").json()
    assert [e["kennzeichen"] for e in daten["results"]] == ["0.2", "0.2.01"]


def test_anlegen_aendern_verschieben_ueber_die_api(api_als, digitallotse, kleiner_plan):
    client = api_als(digitallotse)
    antwort = client.post(
        "/api/v1/aktenplaneinheiten/",
        {
            "kennzeichen": "6.1",
            "uebergeordnet": "6",
            "titel": "Bauleitplanung",
            "aufbewahrungsfrist": None,
            "aussonderungsart": "A",
        },
        format="json",
    )
    assert antwort.status_code == 201, antwort.json()
    kennung = antwort.json()["uuid"]
    antwort = client.patch(
        f"/api/v1/aktenplaneinheiten/{kennung}/",
        {"titel": "Bauleitplanung und Bebauungspläne"},
        format="json",
    )
    assert antwort.json()["titel"] == "Bauleitplanung und Bebauungspläne"
    antwort = client.post(
        f"/api/v1/aktenplaneinheiten/{kennung}/verschieben/",
        {"neue_obereinheit": "0", "neues_kennzeichen": "0.6"},
        format="json",
    )
    assert antwort.json()["kennzeichen"] == "0.6"
    historie = client.get(f"/api/v1/aktenplaneinheiten/{kennung}/historie/").json()["results"]
    assert [h["art"] for h in historie] == ["verschoben", "geaendert", "angelegt"]


def test_api_fehler_sind_deutsch(api_als, digitallotse, kleiner_plan):
    antwort = api_als(digitallotse).post(
        "/api/v1/aktenplaneinheiten/",
        {
            "kennzeichen": "0.2",
            "uebergeordnet": "0",
            "titel": "Doppelt",
            "aufbewahrungsfrist": 5,
            "aussonderungsart": "V",
        },
        format="json",
    )
    assert antwort.status_code == 400
    assert "gibt es im Aktenplan schon" in str(antwort.json()["kennzeichen"])


def test_sachbearbeitung_schreibt_nicht_ueber_die_api(api_als, sachbearbeitung, kleiner_plan):
    client = api_als(sachbearbeitung)
    antwort = client.patch(
        f"/api/v1/aktenplaneinheiten/{kleiner_plan['0'].uuid}/", {"titel": "X"}, format="json"
    )
    assert antwort.status_code == 403
    assert Aktenplaneinheit.objects.get(kennzeichen="0").titel == "Allgemeine Verwaltung"


def test_import_ueber_die_api(api_als, digitallotse, aktenplan):
    client = api_als(digitallotse)
    probe = client.post(
        _plan_url(aktenplan, "import"),
        {"datei": SimpleUploadedFile("p.csv", GUTE_DATEI)},
        format="multipart",
    )
    assert probe.json()["neu"] == ["0", "0.2", "0.2.01"] and not probe.json()["angewendet"]
    assert not aktenplan.einheiten.exists()
    echt = client.post(
        _plan_url(aktenplan, "import"),
        {"datei": SimpleUploadedFile("p.csv", GUTE_DATEI), "probelauf": "false"},
        format="multipart",
    )
    assert echt.json()["angewendet"] and aktenplan.einheiten.count() == 3
    kaputt = client.post(
        _plan_url(aktenplan, "import"),
        {"datei": SimpleUploadedFile("k.csv", b"Kennzeichen;Titel\n1;A\n")},
        format="multipart",
    )
    assert kaputt.status_code == 400 and kaputt.json()["fehler"][0]["zeile"] == 1


def test_export_ueber_die_api(api_als, sachbearbeitung, kleiner_plan, aktenplan):
    antwort = api_als(sachbearbeitung).get(_plan_url(aktenplan, "export") + "?dateiformat=json")
    assert antwort["Content-Type"] == "application/json"
    assert b'"kennzeichen": "0.2.02"' in antwort.content


def test_import_modus_ersetzen_ueber_die_api_braucht_bestaetigung(api_als, aktenplan, digitallotse):
    client = api_als(digitallotse)
    client.post(
        _plan_url(aktenplan, "import"),
        {"datei": SimpleUploadedFile("p.csv", GUTE_DATEI), "probelauf": "false"},
        format="multipart",
    )
    nur_wurzel = GUTE_DATEI.split(b"\r\n")
    datei = b"\r\n".join(nur_wurzel[:2]) + b"\r\n"
    ergaenzen = client.post(
        _plan_url(aktenplan, "import"),
        {"datei": SimpleUploadedFile("p.csv", datei), "probelauf": "false"},
        format="multipart",
    )
    assert ergaenzen.json()["modus"] == "ergaenzen" and ergaenzen.json()["stillgelegt"] == []
    ersetzen = {"datei": SimpleUploadedFile("p.csv", datei), "probelauf": "false"}
    ohne = client.post(
        _plan_url(aktenplan, "import"), {**ersetzen, "modus": "ersetzen"}, format="multipart"
    )
    assert ohne.status_code == 400 and "Zahl 2 eingeben" in ohne.json()["fehler"][0]["meldung"]
    assert not aktenplan.einheiten.filter(stillgelegt=True).exists()
    ersetzen["datei"].seek(0)
    mit = client.post(
        _plan_url(aktenplan, "import"),
        {**ersetzen, "modus": "ersetzen", "bestaetigung": "2"},
        format="multipart",
    )
    assert mit.json()["angewendet"] and aktenplan.einheiten.filter(stillgelegt=True).count() == 2
