"""The search page, the suggestions, the API and the rebuild command."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from eakte.suche.models import Suchdokument, Suchwort

pytestmark = pytest.mark.django_db


@pytest.fixture
def briefe(mit_text, vorgang, sachbearbeitung):
    return [
        mit_text(
            sachbearbeitung,
            vorgang,
            f"Förderbescheid Nummer {n} für die Grundschule",
            titel=f"Bescheid {n}",
            typ="ausgang" if n % 2 else "eingang",
        )
        for n in range(6)
    ]


def test_suchfeld_auf_jeder_seite(client_als, sachbearbeitung):
    seite = client_als(sachbearbeitung).get(reverse("start:startseite")).content.decode()
    assert 'action="/suche/"' in seite and '<label for="kopfsuche-q">Suche</label>' in seite


def test_ohne_anmeldung_zur_anmeldung(client, api_client):
    antwort = client.get(reverse("suche:suche"), {"q": "Bescheid"})
    assert antwort.status_code == 302 and "anmelden" in antwort.url or "login" in antwort.url
    assert client.get(reverse("suche:vorschlaege"), {"q": "Bes"}).status_code == 302
    assert api_client.get("/api/v1/suche/", {"q": "Bescheid"}).status_code in (401, 403)


def test_ergebnisseite(briefe, client_als, sachbearbeitung, django_assert_max_num_queries):
    client = client_als(sachbearbeitung)
    client.get(reverse("suche:suche"), {"q": "Bescheide"})  # warm caches (session, user)
    # session and user 2, the savepoint and its planner settings 4 (_volltextplanung), visible
    # Akten, words, hits (counts and newest), Aktenplan, facet names, ranking, page, snippets;
    # the person's Bereich (eakte.common.mandantenbereich)
    with django_assert_max_num_queries(16):
        antwort = client.get(reverse("suche:suche"), {"q": "Bescheide"})
    inhalt = antwort.content.decode()
    assert antwort.status_code == 200
    assert "6 Dokumente" in inhalt and "<mark>Förderbescheid</mark>" in inhalt
    assert reverse("akten:dokument", kwargs={"dokument_uuid": briefe[0].uuid}) in inhalt
    assert "typ=ausgang" in inhalt and "Ausgang</a> (3)" in inhalt
    gefiltert = client.get(reverse("suche:suche"), {"q": "Bescheide", "typ": "ausgang"})
    assert "3 Dokumente" in gefiltert.content.decode()
    assert "Filter aufheben" in gefiltert.content.decode()
    falsch = client.get(reverse("suche:suche"), {"q": "Grundschuhle"}).content.decode()
    assert "Meinten Sie" in falsch and "Grundschule</a>" in falsch


def test_andere_oe_und_kommune_finden_nichts(
    briefe, client_als, kollegin_andere_oe, fremde_sachbearbeitung
):
    for person in (kollegin_andere_oe, fremde_sachbearbeitung):
        inhalt = client_als(person).get(reverse("suche:suche"), {"q": "Bescheid"}).content.decode()
        assert "Keine Dokumente gefunden" in inhalt and "Förderbescheid" not in inhalt


def test_vorschlaege(akte, client_als, sachbearbeitung, kollegin_andere_oe):
    antwort = client_als(sachbearbeitung).get(
        reverse("suche:vorschlaege"), {"q": akte.aktenzeichen[:6]}, HTTP_HX_REQUEST="true"
    )
    assert akte.aktenzeichen in antwort.content.decode()
    nach_betreff = client_als(sachbearbeitung).get(reverse("suche:vorschlaege"), {"q": "Hauptstr"})
    assert akte.aktenzeichen in nach_betreff.content.decode()
    fremd = client_als(kollegin_andere_oe).get(reverse("suche:vorschlaege"), {"q": "Hauptstr"})
    assert akte.aktenzeichen not in fremd.content.decode()


def test_api(briefe, api_als, sachbearbeitung, kollegin_andere_oe, django_assert_max_num_queries):
    api_als(sachbearbeitung).get("/api/v1/suche/", {"q": "Bescheid"})  # warm caches
    # the statements of the page (test_ergebnisseite) without the session: the hits' fields
    # come with the page's rows, none is read later row by row
    with django_assert_max_num_queries(13):
        daten = api_als(sachbearbeitung).get("/api/v1/suche/", {"q": "Bescheid", "seite": 1}).json()
    assert daten["anzahl"] == 6 and daten["seiten"] == 1 and len(daten["ergebnisse"]) == 6
    treffer = daten["ergebnisse"][0]
    assert treffer["akte"]["aktenzeichen"] and "<mark>" in treffer["ausschnitt"]
    assert {f["wert"]: f["anzahl"] for f in daten["facetten"]["typ"]} == {
        "eingang": 3,
        "ausgang": 3,
    }
    neueste = (
        api_als(sachbearbeitung)
        .get("/api/v1/suche/", {"q": "Bescheid", "sortierung": "neueste", "typ": "ausgang"})
        .json()
    )
    assert [t["titel"] for t in neueste["ergebnisse"]] == ["Bescheid 5", "Bescheid 3", "Bescheid 1"]
    assert api_als(sachbearbeitung).get("/api/v1/suche/", {"von": "kein Datum"}).status_code == 400
    leer = api_als(kollegin_andere_oe).get("/api/v1/suche/", {"q": "Bescheid"}).json()
    assert leer["anzahl"] == 0 and leer["ergebnisse"] == []


def test_suchindex_aufbauen(briefe, sachbearbeitung):
    Suchdokument.objects.all().delete()
    Suchwort.objects.all().delete()
    ausgabe = io.StringIO()
    call_command("suchindex_aufbauen", "--schub", "4", stdout=ausgabe)
    assert "6 / 6 Dokumente" in ausgabe.getvalue()
    assert Suchdokument.objects.count() == 6
    assert Suchwort.objects.get(wort="förderbescheid").anzahl == 6
    from eakte.suche import selectors

    assert selectors.dokumente_suchen(sachbearbeitung, "Bescheid").gesamt == 6
