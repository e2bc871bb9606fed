"""Where a snippet's window starts (anfrage.fundmuster, selectors._fenster): the first place a
hit may start, found in Python over texts anyone may upload, so in time linear in the text."""

import re

import pytest

from eakte.suche import anfrage, selectors

pytestmark = pytest.mark.django_db  # stems and stop words come from PostgreSQL

TEXT = (
    "Förderbescheid, Gebühren, Widerspruch. Der Widerspruch gegen einen Bescheid: Antrag, "
    "Bauvorhaben. Ein Antrag für Bauvorhaben"
)


def _erste_stelle(suche: str, text: str = TEXT) -> str | None:
    for muster in anfrage.fundmuster(anfrage.zerlegen(suche)):
        if treffer := muster.search(text):
            return text[treffer.start() :]
    return None


@pytest.mark.parametrize(
    "suche, erste_stelle",
    [
        ("BESCHEID", "bescheid, Gebühren"),  # any case, inside a compound
        ("Gebuehren", "Gebühren"),  # typed without umlaut
        ('"Widerspruch gegen den Bescheid"', "Widerspruch gegen einen"),  # before its words alone
        ("Antrag -Bescheid", "Antrag, Bau"),  # not where an excluded word stands
        # "für" is a stop word, "fuer" is not: the phrase still takes any word in its place
        ('"Antrag fuer Bauvorhaben"', "Antrag für Bauvorhaben"),
        ('"Antrag für Bauvorhaben"', "Antrag für Bauvorhaben"),
    ],
)
def test_die_erste_stelle_eines_treffers(suche, erste_stelle):
    stelle = _erste_stelle(suche)
    assert stelle is not None and stelle.startswith(erste_stelle), (suche, stelle)


def test_wortfolge_nur_aus_stoppwoertern_gibt_kein_muster():
    assert anfrage.fundmuster(anfrage.zerlegen('"der die"')) == []
    assert _erste_stelle('Bescheid "der die"') == TEXT[len("Förder") :]  # the word alone


@pytest.mark.timeout(20)  # the patterns of the first version took minutes here
@pytest.mark.parametrize(
    "suche",
    [
        '"der Bürgermeister"',  # a phrase beginning with a stop word
        '"' + " ".join(["Amts"] * 30) + '"',  # a stem ("amt") that begins its spelling
        "Amts Bescheid Gebühren",
    ],
)
def test_muster_brauchen_zeit_linear_im_text(suche):
    texte = [
        "x" * selectors.TEXT_GRENZE,  # no space (pypdf sometimes drops them)
        "amts" * (selectors.TEXT_GRENZE // 4),
        ("Amts " * 29 + "Ende ") * 1_000,  # almost the phrase, again and again
    ]
    for text in texte:
        for muster in anfrage.fundmuster(anfrage.zerlegen(suche)):
            muster.search(text)


def test_fenster_endet_an_leerraum():
    text = "Anfang " + "Wort\nZeile " * 100 + "Treffer " + "Zeile\nWort " * 100
    fenster = selectors._fenster(text, [re.compile("treffer", re.IGNORECASE)])
    assert "Treffer" in fenster
    assert len(fenster) <= selectors.FENSTER_LAENGE
    assert set(fenster.split()) <= {"Wort", "Zeile", "Treffer"}, fenster
    assert selectors._fenster("kurz", [re.compile("x")]) == "kurz"
    assert selectors._fenster(text, [re.compile("fehlt")]) == text


def test_fenster_endet_an_jedem_leerraum():
    # tabs only (a table's text layer): no word is cut at either end of the window
    text = "Spalte\tBetrag\t" * 100 + "Treffer\t" + "Betrag\tSpalte\t" * 100
    fenster = selectors._fenster(text, [re.compile("treffer", re.IGNORECASE)])
    assert "Treffer" in fenster
    assert set(fenster.split()) <= {"Spalte", "Betrag", "Treffer"}, fenster
