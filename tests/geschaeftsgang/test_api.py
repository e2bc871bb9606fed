"""The API: start, Postkorb, act, take; templates and Vertretungen; other Kommunen get 404."""

from django.utils import timezone

from eakte.geschaeftsgang.models import Geschaeftsgang, Schrittstatus


def test_starten_bearbeiten_und_postkorb(
    api_als, vorgang, entwurf, sachbearbeitung, amtsleitung, buergermeister, kollege_michelstadt
):
    antwort = api_als(sachbearbeitung).post(
        "/api/v1/geschaeftsgaenge/",
        {
            "vorgang": str(vorgang.uuid),
            "dokument": str(entwurf.uuid),
            "schritte": [
                {"verfuegung": "mz", "person": str(amtsleitung.uuid)},
                {"verfuegung": "sz", "person": str(buergermeister.uuid)},
            ],
        },
        format="json",
    )
    assert antwort.status_code == 201, antwort.json()
    gang_uuid = antwort.json()["uuid"]
    postkorb = api_als(amtsleitung).get("/api/v1/postkorb/").json()
    eintraege = postkorb["results"] if isinstance(postkorb, dict) else postkorb
    (eintrag,) = eintraege
    assert eintrag["verfuegung"] == "mz" and eintrag["geschaeftsgang"] == gang_uuid
    url = f"/api/v1/postkorb/{eintrag['uuid']}/bearbeiten/"
    assert (
        api_als(kollege_michelstadt)
        .post(url, {"ergebnis": "mitgezeichnet"}, format="json")
        .status_code
        == 404
    )
    falsch = api_als(amtsleitung).post(url, {"ergebnis": "schlussgezeichnet"}, format="json")
    assert falsch.status_code == 400 and "passt nicht" in str(falsch.json())
    assert (
        api_als(amtsleitung).post(url, {"ergebnis": "mitgezeichnet"}, format="json").status_code
        == 200
    )
    assert (
        api_als(kollege_michelstadt).get(f"/api/v1/geschaeftsgaenge/{gang_uuid}/").status_code
        == 404
    )
    gang = api_als(sachbearbeitung).get(f"/api/v1/geschaeftsgaenge/{gang_uuid}/").json()
    assert [s["status"] for s in gang["schritte"]] == ["erledigt", "aktiv"]


def test_starten_mit_fehlern(api_als, vorgang, sachbearbeitung, amtsleitung):
    antwort = api_als(sachbearbeitung).post(
        "/api/v1/geschaeftsgaenge/",
        {
            "vorgang": str(vorgang.uuid),
            "schritte": [
                {"verfuegung": "mz", "person": str(amtsleitung.uuid), "frist": "2000-01-01"}
            ],
        },
        format="json",
    )
    assert antwort.status_code == 400 and "Vergangenheit" in str(antwort.json())
    assert not Geschaeftsgang.objects.exists()


def test_oe_postkorb_uebernehmen(api_als, vorgang, sachbearbeitung, hauptamt, kollegin_andere_oe):
    api_als(sachbearbeitung).post(
        "/api/v1/geschaeftsgaenge/",
        {
            "vorgang": str(vorgang.uuid),
            "schritte": [{"verfuegung": "zwv", "oe": str(hauptamt.uuid)}],
        },
        format="json",
    )
    liste = api_als(kollegin_andere_oe).get(f"/api/v1/postkorb/oe/{hauptamt.uuid}/").json()
    (eintrag,) = liste["results"]
    assert api_als(sachbearbeitung).get(f"/api/v1/postkorb/oe/{hauptamt.uuid}/").status_code == 403
    antwort = api_als(kollegin_andere_oe).post(f"/api/v1/postkorb/{eintrag['uuid']}/uebernehmen/")
    assert (
        antwort.status_code == 200 and antwort.json()["bearbeiter"] == kollegin_andere_oe.username
    )
    assert Geschaeftsgang.objects.get().schritte.get().status == Schrittstatus.AKTIV


def test_vorlagen_und_vertretungen(
    api_als, kommunen_admin, amtsleitung, buergermeister, stellvertreter, sachbearbeitung
):
    antwort = api_als(kommunen_admin).post(
        "/api/v1/geschaeftsgang-vorlagen/",
        {
            "name": "Mz",
            "schritte": [{"verfuegung": "mz", "art": "person", "person": str(amtsleitung.uuid)}],
        },
        format="json",
    )
    assert antwort.status_code == 201
    assert (
        api_als(sachbearbeitung)
        .post(
            "/api/v1/geschaeftsgang-vorlagen/",
            {"name": "Mz", "schritte": [{"verfuegung": "mz", "art": "absender"}]},
            format="json",
        )
        .status_code
        == 403
    )
    heute = timezone.localdate().isoformat()
    antwort = api_als(buergermeister).post(
        "/api/v1/vertretungen/",
        {"von": heute, "bis": heute, "vertreter": [str(stellvertreter.uuid)]},
        format="json",
    )
    assert antwort.status_code == 201
    assert api_als(stellvertreter).get("/api/v1/vertretungen/").json()
    assert api_als(buergermeister).put(
        "/api/v1/postkorb-benachrichtigung/", {"art": "taeglich"}, format="json"
    ).json() == {"art": "taeglich"}


def test_verbund_einstellung(api_als, verbund_admin, sachbearbeitung):
    url = "/api/v1/geschaeftsgang-verbund/"
    daten = {"vertretung_kommunenuebergreifend": True}
    assert api_als(sachbearbeitung).put(url, daten, format="json").status_code == 403
    assert api_als(verbund_admin).put(url, daten, format="json").json() == daten
