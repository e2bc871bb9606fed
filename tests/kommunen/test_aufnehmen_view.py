from eakte.kommunen.models import Benutzer, Kommune, Organisationseinheit

FORMULAR = {
    "name": "Bad König",
    "slug": "bad-koenig",
    "ags": "06437001",
    "aktenzeichen_praefix": "BKO",
    "aktenzeichen_muster": "{prefix}-{kennzeichen}-{nummer:04d}/{jahr}",
    "organisationseinheiten": "HA;Hauptamt\nHA-IT;IT und Digitalisierung;HA\nBA;Bauamt",
    "admin_benutzername": "admin.badkoenig",
    "admin_vorname": "Petra",
    "admin_nachname": "Lang",
    "admin_email": "admin@bad-koenig.example",
    "admin_oe": "HA",
    "digitallotsen": "dl.badkoenig;Tom;Berg;dl@bad-koenig.example;HA-IT",
}


def test_uebersicht_zeigt_alles_und_schreibt_nichts(client_als, verbund_admin):
    antwort = client_als(verbund_admin).post("/kommunen/aufnehmen/", FORMULAR)
    assert antwort.context["bericht"] == [
        "Kommune Bad König angelegt",
        "Bad König: OE HA (Hauptamt) angelegt",
        "Bad König: OE BA (Bauamt) angelegt",
        "Bad König: OE HA-IT (IT und Digitalisierung) angelegt",
        "Bad König: Benutzer admin.badkoenig angelegt",
        "Bad König: Benutzer dl.badkoenig angelegt",
    ]
    assert not Kommune.objects.filter(slug="bad-koenig").exists()


def test_bestaetigen_nimmt_die_kommune_auf(client_als, verbund_admin, verbund):
    antwort = client_als(verbund_admin).post(
        "/kommunen/aufnehmen/", {**FORMULAR, "schritt": "aufnehmen"}
    )
    assert antwort.url == "/kommunen/bad-koenig/"
    kommune = Kommune.objects.get(slug="bad-koenig")
    assert kommune.verbund == verbund
    assert Organisationseinheit.objects.get(kommune=kommune, kuerzel="HA-IT").parent.kuerzel == "HA"
    assert {str(r) for r in Benutzer.objects.get(username="dl.badkoenig").rollen} == {
        "Digitallotse",
        "Sachbearbeitung",
    }


def test_fehler_werden_deutsch_gezeigt_und_nichts_geschrieben(client_als, verbund_admin, erbach):
    daten = {**FORMULAR, "aktenzeichen_praefix": "ERB", "admin_oe": "XX", "schritt": "aufnehmen"}
    inhalt = client_als(verbund_admin).post("/kommunen/aufnehmen/", daten).content.decode()
    assert "unbekannten OE „XX“" in inhalt
    assert not Kommune.objects.filter(slug="bad-koenig").exists()
    daten["admin_oe"] = "HA"
    inhalt = client_als(verbund_admin).post("/kommunen/aufnehmen/", daten).content.decode()
    assert "Präfix ist im Verbund schon vergeben" in inhalt
    assert not Kommune.objects.filter(slug="bad-koenig").exists()


def test_nur_verbund_admins_nehmen_auf(client_als, kommunen_admin):
    assert client_als(kommunen_admin).get("/kommunen/aufnehmen/").status_code == 403
    assert (
        client_als(kommunen_admin)
        .post("/kommunen/aufnehmen/", {**FORMULAR, "schritt": "aufnehmen"})
        .status_code
        == 403
    )
    assert not Kommune.objects.filter(slug="bad-koenig").exists()
