"""Corpus findings of issue 15: words at the split point of long texts, slash-joined words,
paths and host names are found one by one and whole."""

import pytest

from eakte.suche import selectors, services

pytestmark = pytest.mark.django_db

SATZ = "Die Verwaltung prüft den Antrag und teilt das Ergebnis mit. "


def gefunden(person, suche):
    return selectors.dokumente_suchen(person, suche).gesamt == 1


def _text_mit_wort_ab(stelle, wort):
    """Filler text with `wort` starting at character `stelle` (0-based), then more filler."""
    vorne = (SATZ * (stelle // len(SATZ) + 1))[: stelle - 1] + " "
    return vorne + wort + " Schlussbemerkung " + SATZ * 20


@pytest.mark.parametrize("versatz", range(-37, 2, 2))
def test_wort_ueber_der_grenze_des_langen_textes(mit_text, vorgang, sachbearbeitung, versatz):
    # "Grundstücksteilung Schlussbemerkung" starts `versatz` characters before the split point
    # of the index: the split falls into either word, between them, or just after them
    text = _text_mit_wort_ab(services.TEXT_C + versatz, "Grundstücksteilung")
    assert text[services.TEXT_C + versatz :].startswith("Grundstücksteilung Schlussbemerkung")
    mit_text(sachbearbeitung, vorgang, text)
    assert gefunden(sachbearbeitung, "Grundstücksteilung")
    assert gefunden(sachbearbeitung, "Schlussbemerkung")
    assert gefunden(sachbearbeitung, '"Grundstücksteilung Schlussbemerkung"')


def test_phrase_ueber_der_grenze_mit_stoppwort(mit_text, vorgang, sachbearbeitung):
    # the stop word "der" ends the first part: the phrase keeps its distance across the split
    vorne = (SATZ * (services.TEXT_C // len(SATZ) + 1))[: services.TEXT_C - len(" Antrag der ")]
    text = vorne + " Antrag der Gemeinde " + SATZ * 20
    assert text.index("Gemeinde") == services.TEXT_C
    mit_text(sachbearbeitung, vorgang, text)
    assert gefunden(sachbearbeitung, '"Antrag der Gemeinde"')


def test_erste_zeichen_wiegen_mehr_als_der_rest(mit_text, vorgang, sachbearbeitung):
    mit_text(sachbearbeitung, vorgang, "Flurstück " + SATZ * 200, titel="vorne")
    mit_text(sachbearbeitung, vorgang, SATZ * 200 + "Flurstück", titel="hinten")
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, "Flurstück")
    assert [t.dokument.titel for t in ergebnis.treffer] == ["vorne", "hinten"]


@pytest.mark.parametrize(
    "suche",
    ["Zaunbau", "Heckenschnitt", "Zaunbau/Heckenschnitt", "Heckenschnitte", "Schnitt"],  # compound
)
def test_woerter_mit_schraegstrich(mit_text, vorgang, sachbearbeitung, suche):
    mit_text(sachbearbeitung, vorgang, "Betrifft: Zaunbau/Heckenschnitt am Feldweg")
    assert gefunden(sachbearbeitung, suche), suche


@pytest.mark.parametrize("suche", ["Hendrik", "O|N/Hendrik"])
def test_pfadartiges_token(mit_text, vorgang, sachbearbeitung, suche):
    mit_text(sachbearbeitung, vorgang, "Verteiler: O|N/Hendrik, Registratur")
    assert gefunden(sachbearbeitung, suche), suche


@pytest.mark.parametrize("suche", ["odenwaldkreis", "www.odenwaldkreis.de", "Bauantrag"])
def test_host_und_pfad_einer_url(mit_text, vorgang, sachbearbeitung, suche):
    mit_text(
        sachbearbeitung,
        vorgang,
        "Formulare unter https://www.odenwaldkreis.de/formulare/Bauantrag.pdf oder "
        "www.odenwaldkreis.de",
    )
    assert gefunden(sachbearbeitung, suche), suche


def test_schraegstrich_im_titel_und_absender(mit_text, vorgang, sachbearbeitung):
    mit_text(
        sachbearbeitung, vorgang, "kein Text", titel="Zaunbau/Heckenschnitt", absender="Amt/Ordnung"
    )
    assert gefunden(sachbearbeitung, "Heckenschnitt")
    assert gefunden(sachbearbeitung, "Ordnung")


@pytest.mark.parametrize("suche", ["Buergerbuero", "erbach", "buergerbuero@erbach.de"])
def test_e_mail_adresse(mit_text, vorgang, sachbearbeitung, suche):
    mit_text(sachbearbeitung, vorgang, "Antwort bitte an buergerbuero@erbach.de senden")
    assert gefunden(sachbearbeitung, suche), suche


def test_zahlen_und_abkuerzungen_bleiben_wie_sie_sind(mit_text, vorgang, sachbearbeitung):
    mit_text(sachbearbeitung, vorgang, "Gebühr 3.5 Prozent, z.B. Satzung 2.1")
    assert gefunden(sachbearbeitung, "3.5")
    assert not gefunden(sachbearbeitung, "5")
