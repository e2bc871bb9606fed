"""Never a leak: a secret word seeded only into Dokumente the person may not see must not show
up or be counted in any output of search: results, counts, facets, snippets, suggestions,
"meinten Sie", the HTML page and the API."""

import json

import pytest
from django.urls import reverse

from eakte.akten import services as akten_services
from eakte.suche import selectors
from tests.hilfen import akteur_von

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jeder_suchweg")]

GEHEIM = "Zauberwald"  # only in forbidden Dokumente and Akten
GEHEIMTEXT = f"Vermerk zum {GEHEIM}: Tresorinhalt und Haushalt der Feuerwehr"


@pytest.fixture
def welt(
    akte_anlegen,
    vorgang_anlegen,
    mit_text,
    sachbearbeitung,
    kollegin_andere_oe,
    hauptamt,
    bauamt,
    fremde_sachbearbeitung,
    ordnungsamt_michelstadt,
    fremder_kommunen_admin,
):
    """Visible to `sachbearbeitung` (Erbach Bauamt): one Akte with "Haushalt" and "Stadtwald".
    Forbidden: an Akte of the Erbach Hauptamt, one of Michelstadt, and one of the Hauptamt that
    was shared with `sachbearbeitung` and revoked again – each with the secret word."""
    eigene = akte_anlegen(sachbearbeitung, bauamt, betreff="Haushaltsplanung Bauamt")
    mit_text(
        sachbearbeitung,
        vorgang_anlegen(sachbearbeitung, eigene),
        "Entwurf zum Haushalt und Pflege im Stadtwald",
        titel="Sichtbarer Vermerk",
    )
    andere_oe = akte_anlegen(kollegin_andere_oe, hauptamt, betreff=f"{GEHEIM} Hauptamt")
    mit_text(
        kollegin_andere_oe,
        vorgang_anlegen(kollegin_andere_oe, andere_oe),
        GEHEIMTEXT,
        titel=f"{GEHEIM} Erbach-HA",
        absender="Tresorverwaltung",
    )
    widerrufen = akte_anlegen(kollegin_andere_oe, hauptamt, betreff=f"{GEHEIM} Freigabe")
    mit_text(
        kollegin_andere_oe,
        vorgang_anlegen(kollegin_andere_oe, widerrufen),
        GEHEIMTEXT,
        titel=f"{GEHEIM} widerrufen",
    )
    akten_services.akte_freigeben(
        akteur=akteur_von(kollegin_andere_oe), akte=widerrufen, empfaenger=sachbearbeitung
    )
    akten_services.freigabe_entziehen(
        akteur=akteur_von(kollegin_andere_oe), akte=widerrufen, empfaenger=sachbearbeitung
    )
    fremd = akte_anlegen(
        fremder_kommunen_admin, ordnungsamt_michelstadt, betreff=f"{GEHEIM} Michelstadt"
    )
    mit_text(
        fremder_kommunen_admin,
        vorgang_anlegen(fremder_kommunen_admin, fremd),
        GEHEIMTEXT,
        titel=f"{GEHEIM} Michelstadt",
    )
    return {"eigene": eigene, "andere_oe": andere_oe, "widerrufen": widerrufen, "fremd": fremd}


def _alles(ergebnis) -> str:
    """Every text of a search result, to look for the secret in."""
    teile = [ergebnis.meinten_sie]
    for treffer in ergebnis.treffer:
        teile += [treffer.dokument.titel, treffer.akte.betreff, treffer.ausschnitt]
    teile += [a.betreff for a in ergebnis.akten]
    for werte in ergebnis.facetten.values():
        teile += [f"{w.wert} {w.titel} {w.anzahl}" for w in werte]
    return " ".join(teile)


@pytest.mark.parametrize(
    "suche",
    [GEHEIM, "zauberwälder", "Zauber*", "Tresorinhalt", "Tresorverwaltung", f'"{GEHEIM} Hauptamt"'],
)
def test_geheimes_wort_wird_nicht_gefunden_und_nicht_gezaehlt(welt, sachbearbeitung, suche):
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, suche)
    assert ergebnis.gesamt == 0 and ergebnis.treffer == [] and ergebnis.akten == []
    assert all(werte == [] for werte in ergebnis.facetten.values())
    assert ergebnis.meinten_sie == ""


def test_gemeinsame_woerter_zaehlen_nur_das_sichtbare(welt, sachbearbeitung):
    for suche in ("Haushalt", "Wald", "Vermerk", "Haushalt OR Feuerwehr"):
        ergebnis = selectors.dokumente_suchen(sachbearbeitung, suche)
        assert [t.dokument.titel for t in ergebnis.treffer] == ["Sichtbarer Vermerk"], suche
        assert ergebnis.gesamt == 1
        assert [(f.titel, f.anzahl) for f in ergebnis.facetten["kommune"]] == [("Erbach", 1)]
        assert [(f.titel, f.anzahl) for f in ergebnis.facetten["oe"]] == [("Bauamt", 1)]
        text = _alles(ergebnis)
        assert GEHEIM not in text and "Tresor" not in text and "Feuerwehr" not in text


def test_meinten_sie_schlaegt_kein_verbotenes_wort_vor(welt, sachbearbeitung, kommunen_admin):
    assert selectors.dokumente_suchen(sachbearbeitung, "Zauberwalt").meinten_sie == ""
    assert selectors.meinten_sie(sachbearbeitung, "Tresorinhalz") == ""
    # the Kommunen-Admin of Erbach sees the Hauptamt: for her it is a fine suggestion
    assert selectors.dokumente_suchen(kommunen_admin, "Zauberwalt").meinten_sie == "Zauberwald"


def test_vorschlaege_nur_aus_sichtbaren_akten(welt, sachbearbeitung, kommunen_admin):
    assert selectors.akten_vorschlagen(sachbearbeitung, "Zauber") == []
    assert [a.pk for a in selectors.akten_vorschlagen(sachbearbeitung, "Haushalts")] == [
        welt["eigene"].pk
    ]
    assert {a.pk for a in selectors.akten_vorschlagen(kommunen_admin, "Zauber")} == {
        welt["andere_oe"].pk,
        welt["widerrufen"].pk,
    }


def test_aktenzeichen_anderer_kommune_und_oe_wird_nicht_gefunden(welt, sachbearbeitung):
    for akte in (welt["andere_oe"], welt["fremd"], welt["widerrufen"]):
        ergebnis = selectors.dokumente_suchen(sachbearbeitung, akte.aktenzeichen)
        assert ergebnis.akten == [] and ergebnis.gesamt == 0


def test_freigabe_zeigt_und_entzug_verbirgt(welt, sachbearbeitung, kollegin_andere_oe):
    akte = welt["andere_oe"]
    akten_services.akte_freigeben(
        akteur=akteur_von(kollegin_andere_oe), akte=akte, empfaenger=sachbearbeitung
    )
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, GEHEIM)
    assert [t.dokument.titel for t in ergebnis.treffer] == [f"{GEHEIM} Erbach-HA"]
    assert [(f.titel, f.anzahl) for f in ergebnis.facetten["oe"]] == [("Hauptamt", 1)]
    akten_services.freigabe_entziehen(
        akteur=akteur_von(kollegin_andere_oe), akte=akte, empfaenger=sachbearbeitung
    )
    assert selectors.dokumente_suchen(sachbearbeitung, GEHEIM).gesamt == 0


def test_freigabe_ueber_die_kommune_hinweg(welt, sachbearbeitung, fremde_sachbearbeitung, bauamt):
    assert selectors.dokumente_suchen(fremde_sachbearbeitung, "Stadtwald").gesamt == 0
    akten_services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung), akte=welt["eigene"], empfaenger=fremde_sachbearbeitung
    )
    ergebnis = selectors.dokumente_suchen(fremde_sachbearbeitung, "Stadtwald")
    assert [t.dokument.titel for t in ergebnis.treffer] == ["Sichtbarer Vermerk"]
    assert [f.titel for f in ergebnis.facetten["kommune"]] == ["Erbach"]
    # the Akte of Michelstadt belongs to her own OE: she finds the secret there, and only there
    eigene = selectors.dokumente_suchen(fremde_sachbearbeitung, GEHEIM)
    assert [t.dokument.titel for t in eigene.treffer] == [f"{GEHEIM} Michelstadt"]
    assert [(f.titel, f.anzahl) for f in eigene.facetten["kommune"]] == [("Michelstadt", 1)]


@pytest.mark.parametrize("suche", [GEHEIM, "Zauberwalt", "Tresorinhalt", "Haushalt", "Zauber*"])
def test_seite_und_api_verraten_nichts(welt, sachbearbeitung, client_als, api_als, suche):
    seite = client_als(sachbearbeitung).get(reverse("suche:suche"), {"q": suche})
    assert seite.status_code == 200
    inhalt = seite.content.decode().replace(suche, "")  # the query itself is echoed
    verraeterisch = ("Erbach-HA", "widerrufen", "Tresor", "Michelstadt", "Hauptamt", "Feuerwehr")
    assert not [wort for wort in verraeterisch if wort in inhalt]
    if suche != "Haushalt":
        assert "Keine Dokumente gefunden" in inhalt and GEHEIM not in inhalt
    vorschlaege = client_als(sachbearbeitung).get(reverse("suche:vorschlaege"), {"q": "Zauber"})
    assert GEHEIM not in vorschlaege.content.decode()
    antwort = api_als(sachbearbeitung).get("/api/v1/suche/", {"q": suche})
    assert antwort.status_code == 200
    daten = antwort.json()
    text = json.dumps(daten, ensure_ascii=False)
    assert not [wort for wort in (GEHEIM, *verraeterisch) if wort in text]
    assert daten["anzahl"] == (1 if suche == "Haushalt" else 0)
