import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aktenplan.models import Aenderungsart, Aktenplaneinheit
from tests.aktenplan.test_austausch import GUTE_DATEI, _csv
from tests.hilfen import akteur_von


def _url(name, einheit=None):
    if einheit is None:
        return reverse(f"aktenplan:{name}")
    return reverse(f"aktenplan:{name}", kwargs={"einheit_uuid": einheit.uuid})


def test_alle_im_verbund_lesen_den_plan(
    client_als, sachbearbeitung, fremde_sachbearbeitung, kleiner_plan
):
    for person in (sachbearbeitung, fremde_sachbearbeitung):
        inhalt = client_als(person).get(_url("baum")).content.decode()
        assert "Allgemeine Verwaltung" in inhalt and "Bauwesen" in inhalt
        assert "Neue Einheit" not in inhalt


@pytest.mark.parametrize(
    "pfad",
    [
        "baum",
        "aenderungen",
        "import",
        "einheit",
        "kinder",
        "bearbeiten",
        "verschieben",
        "stilllegen",
    ],
)
def test_ausserhalb_des_verbunds_ist_alles_404(
    client_als, fremder_digitallotse, kleiner_plan, pfad
):
    einheit = (
        kleiner_plan["0"]
        if pfad in ("einheit", "kinder", "bearbeiten", "verschieben", "stilllegen")
        else None
    )
    assert client_als(fremder_digitallotse).get(_url(pfad, einheit)).status_code == 404


def test_export_und_suche_ausserhalb_des_verbunds_404(
    client_als, fremder_digitallotse, kleiner_plan
):
    client = client_als(fremder_digitallotse)
    assert client.get("/aktenplan/export.csv").status_code == 404
    assert client.get("/aktenplan/suche/?q=Wahlen").status_code == 404


@pytest.mark.parametrize("pfad", ["bearbeiten", "verschieben", "stilllegen", "neu_unter"])
def test_sachbearbeitung_darf_lesen_aber_nicht_bearbeiten(
    client_als, sachbearbeitung, kleiner_plan, pfad
):
    client = client_als(sachbearbeitung)
    assert client.get(_url("einheit", kleiner_plan["0.2"])).status_code == 200
    assert client.get(_url(pfad, kleiner_plan["0.2"])).status_code == 403
    assert client.post(_url(pfad, kleiner_plan["0.2"]), {"titel": "X"}).status_code == 403
    assert Aktenplaneinheit.objects.get(kennzeichen="0.2").titel == "Gemeindeorgane"


def test_digitallotse_legt_an_benennt_um_verschiebt_und_legt_still(
    client_als, digitallotse, kleiner_plan
):
    client = client_als(digitallotse)
    antwort = client.post(
        _url("neu_unter", kleiner_plan["0.2"]),
        {
            "kennzeichen": "0.2.03",
            "titel": "Ausschüsse",
            "aufbewahrungsfrist": "unbefristet",
            "aussonderungsart": "A",
        },
    )
    neu = Aktenplaneinheit.objects.get(kennzeichen="0.2.03")
    assert antwort.url == _url("einheit", neu) and neu.aufbewahrungsfrist is None

    client.post(
        _url("bearbeiten", neu),
        {
            "titel": "Ausschüsse und Beiräte",
            "aufbewahrungsfrist": "unbefristet",
            "aussonderungsart": "A",
        },
    )
    neu.refresh_from_db()
    assert neu.titel == "Ausschüsse und Beiräte"

    client.post(_url("verschieben", neu), {"neue_obereinheit": "6", "neues_kennzeichen": "6.1"})
    neu.refresh_from_db()
    assert neu.kennzeichen == "6.1" and neu.parent == kleiner_plan["6"]

    client.post(_url("stilllegen", neu), {"nachfolger": "0.2.01"})
    neu.refresh_from_db()
    assert neu.stillgelegt and neu.nachfolger == kleiner_plan["0.2.01"]
    arten = list(neu.aenderungen.order_by("id").values_list("art", flat=True))
    assert arten == [
        Aenderungsart.ANGELEGT,
        Aenderungsart.GEAENDERT,
        Aenderungsart.VERSCHOBEN,
        Aenderungsart.STILLGELEGT,
    ]


def test_formularfehler_sind_deutsch_und_nichts_wird_angelegt(
    client_als, digitallotse, kleiner_plan
):
    antwort = client_als(digitallotse).post(
        _url("neu_unter", kleiner_plan["0.2"]),
        {
            "kennzeichen": "0.3.01",
            "titel": "Falsch",
            "aufbewahrungsfrist": "ewig",
            "aussonderungsart": "A",
        },
    )
    inhalt = antwort.content.decode()
    assert antwort.status_code == 200
    assert "Aufbewahrungsfrist „ewig“ ist ungültig" in inhalt
    antwort = client_als(digitallotse).post(
        _url("neu_unter", kleiner_plan["0.2"]),
        {
            "kennzeichen": "0.3.01",
            "titel": "Falsch",
            "aufbewahrungsfrist": "5",
            "aussonderungsart": "A",
        },
    )
    assert (
        "muss das Kennzeichen der übergeordneten Einheit „0.2“ fortsetzen"
        in antwort.content.decode()
    )
    assert not Aktenplaneinheit.objects.filter(titel="Falsch").exists()


def test_verschieben_auf_unbekanntes_ziel(client_als, digitallotse, kleiner_plan):
    antwort = client_als(digitallotse).post(
        _url("verschieben", kleiner_plan["0.2"]),
        {"neue_obereinheit": "7", "neues_kennzeichen": "7.1"},
    )
    assert "Die Einheit „7“ gibt es im Aktenplan nicht." in antwort.content.decode()


def test_suche_nach_kennzeichen_und_titel(client_als, sachbearbeitung, kleiner_plan):
    client = client_als(sachbearbeitung)
    treffer = client.get(_url("suche") + "?q=0.2").context["treffer"]
    assert [e.kennzeichen for e in treffer] == ["0.2", "0.2.01", "0.2.02"]
    treffer = client.get(_url("suche") + "?q=gemeindevertretung sitzung").context["treffer"]
    assert [e.kennzeichen for e in treffer] == ["0.2.01"]
    treffer = client.get(_url("suche") + "?q=0.2&ablagefaehig=1").context["treffer"]
    assert [e.kennzeichen for e in treffer] == ["0.2.01", "0.2.02"]


def test_baum_kinder_werden_nachgeladen(client_als, sachbearbeitung, kleiner_plan):
    inhalt = client_als(sachbearbeitung).get(_url("kinder", kleiner_plan["0.2"])).content.decode()
    assert "Sitzungen der Gemeindevertretung" in inhalt and "Wahlen" in inhalt
    assert "Bauwesen" not in inhalt


def starterplan_laden(aktenplan, digitallotse):
    """The demo starter plan (about 300 units) imported into `aktenplan`."""
    from aktenplan import services
    from aktenplan.demo import STARTER_PLAN

    services.aktenplan_importieren(
        aktenplan=aktenplan,
        inhalt=STARTER_PLAN.read_bytes(),
        format="csv",
        akteur=akteur_von(digitallotse),
        probelauf=False,
    )
    return aktenplan


def test_baum_und_suche_mit_fester_anzahl_abfragen(
    client_als, sachbearbeitung, aktenplan, digitallotse, django_assert_max_num_queries
):
    starterplan_laden(aktenplan, digitallotse)
    client = client_als(sachbearbeitung)
    with django_assert_max_num_queries(6):
        assert client.get(_url("baum")).status_code == 200
    with django_assert_max_num_queries(6):  # one of them ranks the hits (full text)
        assert client.get(_url("suche") + "?q=Satzung").status_code == 200
    with django_assert_max_num_queries(6):
        assert (
            client.get(_url("kinder", aktenplan.einheiten.get(kennzeichen="0"))).status_code == 200
        )


def test_aenderungen_seit_dem_letzten_besuch(
    client_als, digitallotse, digitallotse_michelstadt, kleiner_plan
):
    client = client_als(digitallotse)
    client.get(_url("aenderungen"))
    from aktenplan import services

    services.einheit_aendern(
        einheit=kleiner_plan["6"],
        akteur=akteur_von(digitallotse_michelstadt),
        titel="Bauwesen und Planung",
    )
    inhalt = client.get(_url("aenderungen")).content.decode()
    neue_zeilen = re.findall(r'<tr class="aenderung--neu">(.*?)</tr>', inhalt, re.S)
    assert (
        len(neue_zeilen) == 1
        and "Michelstadt" in neue_zeilen[0]
        and "Bauwesen und Planung" in neue_zeilen[0]
    )
    assert 'class="aenderung--neu"' not in client.get(_url("aenderungen")).content.decode()


def test_import_mit_probelauf_dann_uebernehmen(client_als, digitallotse, aktenplan):
    client = client_als(digitallotse)
    antwort = client.post(
        _url("import"), {"datei": SimpleUploadedFile("plan.csv", GUTE_DATEI)}, follow=True
    )
    assert antwort.context["ergebnis"].neu == ["0", "0.2", "0.2.01"]
    assert not aktenplan.einheiten.exists()
    antwort = client.post(_url("import_uebernehmen"), {"schluessel": antwort.context["schluessel"]})
    assert antwort.status_code == 302
    assert aktenplan.einheiten.count() == 3
    assert aktenplan.aenderungen.filter(quelle="Import plan.csv").count() == 3


def test_import_mit_fehlern_zeigt_jede_zeile(client_als, digitallotse, aktenplan):
    datei = _csv("0;;A;;zehn;B;;;nein;", "1;;B;;10;Q;;;nein;")
    antwort = client_als(digitallotse).post(
        _url("import"), {"datei": SimpleUploadedFile("f.csv", datei)}
    )
    inhalt = antwort.content.decode()
    assert "Zeile 2: Aufbewahrungsfrist „zehn“ ist ungültig" in inhalt
    assert "Zeile 3: Aussonderungsart „Q“ ist ungültig" in inhalt
    assert antwort.context["schluessel"] is None


def test_import_schluessel_eines_anderen_gilt_nicht(
    client_als, digitallotse, digitallotse_michelstadt, aktenplan, client
):
    antwort = client_als(digitallotse).post(
        _url("import"), {"datei": SimpleUploadedFile("p.csv", GUTE_DATEI)}, follow=True
    )
    schluessel = antwort.context["schluessel"]
    client.force_login(digitallotse_michelstadt)
    client.post(_url("import_uebernehmen"), {"schluessel": schluessel})
    assert not aktenplan.einheiten.exists()


def test_leere_datei_wird_abgelehnt(client_als, digitallotse, aktenplan):
    antwort = client_als(digitallotse).post(
        _url("import"), {"datei": SimpleUploadedFile("l.csv", b"")}
    )
    assert "Die übermittelte Datei ist leer." in antwort.content.decode()


def test_export_csv(client_als, sachbearbeitung, kleiner_plan):
    antwort = client_als(sachbearbeitung).get("/aktenplan/export.csv")
    assert antwort["Content-Type"].startswith("text/csv")
    assert "0.2.01;0.2;Sitzungen der Gemeindevertretung" in antwort.content.decode("utf-8-sig")
    assert client_als(sachbearbeitung).get("/aktenplan/export.xml").status_code == 404


@pytest.fixture
def starterplan(aktenplan, digitallotse):
    return starterplan_laden(aktenplan, digitallotse)


@pytest.mark.parametrize(
    ("suchtext", "erster"),
    [
        ("Bauantrag", "6.2.01"),  # German stemming: Bauanträge
        ("bauantraege", "6.2.01"),  # ae for ä
        ("Friedhöfe", "5.2"),  # Friedhofs- und Bestattungswesen
        ("Friedhof", "5.2"),
        ("Bauantr", "6.2"),  # the beginning of a word while typing
    ],
)
def test_aktenplansuche_wie_die_dokumentsuche(starterplan, suchtext, erster):
    from aktenplan import selectors

    treffer = [e.kennzeichen for e in selectors.einheiten_suchen(starterplan, suchtext)]
    assert erster in treffer[:2], treffer


def test_aktenplansuche_findet_keine_wortinnereien(starterplan):
    from aktenplan import selectors

    assert selectors.einheiten_suchen(starterplan, "6.2")[0].kennzeichen == "6.2"  # rank
    # the head of a compound: "Antrag" finds "Bauanträge", after titles with "Anträge" itself
    antrag = [e.kennzeichen for e in selectors.einheiten_suchen(starterplan, "Antrag")]
    assert "6.2.01" in antrag and antrag.index("4.4.01") < antrag.index("6.2.01")

    kennzeichen = [e.kennzeichen for e in selectors.einheiten_suchen(starterplan, "Werbe")]
    assert "4.4.03" not in kennzeichen  # Schwerbehindertenangelegenheiten
    assert selectors.einheiten_suchen(starterplan, "und") == []  # only a stop word


def test_historie_ohne_rohe_feldnamen(client_als, digitallotse, kleiner_plan):
    from aktenplan import services

    einheit = kleiner_plan["0.2.02"]
    services.einheit_aendern(
        einheit=einheit,
        akteur=akteur_von(digitallotse),
        titel="Wahlen und Abstimmungen",
        aufbewahrungsfrist=None,
    )
    seite = client_als(digitallotse).get(_url("einheit", einheit)).content.decode()
    assert "Titel: „Wahlen“ → „Wahlen und Abstimmungen“" in seite
    assert "Aufbewahrungsfrist: 5 Jahre → unbefristet" in seite
    for roh in ("gueltig_ab", "stillgelegt: False", "titel:", "False → False"):
        assert roh not in seite


def test_aenderungen_mit_filtern_und_seiten(
    client_als, digitallotse, digitallotse_michelstadt, kleiner_plan
):
    from aktenplan import services

    for n in range(55):
        services.einheit_aendern(
            einheit=kleiner_plan["6"], akteur=akteur_von(digitallotse), titel=f"Bauwesen {n}"
        )
    services.einheit_aendern(
        einheit=kleiner_plan["0.2.01"],
        akteur=akteur_von(digitallotse_michelstadt),
        titel="Sitzungen",
    )
    client = client_als(digitallotse)
    erste = client.get(_url("aenderungen"))
    assert len(erste.context["eintraege"]) == 50 and erste.context["seite"].has_next()
    assert "Seite 1 von 2" in erste.content.decode()
    unter_0 = client.get(_url("aenderungen") + "?einheit=0")
    assert {e.einheit.kennzeichen for e in unter_0.context["eintraege"]} <= {
        "0",
        "0.2",
        "0.2.01",
        "0.2.02",
    }
    person = digitallotse_michelstadt.get_full_name()
    von_ihr = client.get(_url("aenderungen"), {"person": person})
    assert [e.benutzer for e in von_ihr.context["eintraege"]] == [digitallotse_michelstadt]
    geaendert = client.get(_url("aenderungen"), {"art": "geaendert", "einheit": "6"})
    assert geaendert.context["seite"].paginator.count == 55
    falsch = client.get(_url("aenderungen"), {"von": "2030-01-02", "bis": "2030-01-01"})
    assert "liegt nach dem Datum" in falsch.content.decode()
