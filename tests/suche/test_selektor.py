"""The search selector: German words as people type them, syntax, Aktenzeichen, facets."""

import pytest

from eakte.akten import services as akten_services
from eakte.suche import selectors
from eakte.suche.models import Suchdokument
from tests.hilfen import akteur_von

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jeder_suchweg")]

BRIEF = (
    "Sehr geehrte Frau Schäfer, hiermit erhalten Sie den Förderbescheid für die Sanierung der "
    "Kita-Gebührensatzung und der Straße am Marktplatz. Ihr Bürgermeister"
)


@pytest.fixture
def brief(mit_text, vorgang, sachbearbeitung):
    return mit_text(sachbearbeitung, vorgang, BRIEF, titel="Schreiben an Frau Schäfer")


def titel(ergebnis):
    return [t.dokument.titel for t in ergebnis.treffer]


@pytest.mark.parametrize(
    "suche",
    [
        "Bürgermeister",
        "Buergermeister",
        "bürgermeisters",
        "Strasse",
        "Straße",
        "Förderbescheide",
        "Foerderbescheid",
        "Bescheid",  # head of the compound "Förderbescheid"
        "Kita",  # part of "Kita-Gebührensatzung"
        "Gebührensatzung",
        "Sanier*",
        '"Sanierung der Kita-Gebührensatzung"',
        "Marktplatz OR Rathaus",
    ],
)
def test_deutsche_schreibweisen_finden_den_brief(brief, sachbearbeitung, suche):
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, suche)
    assert titel(ergebnis) == ["Schreiben an Frau Schäfer"], suche
    assert ergebnis.gesamt == 1


@pytest.mark.parametrize(
    "suche", ["Rathaus", "Marktplatz -Schäfer", '"Marktplatz Sanierung"', "Sanierungen* Rathaus"]
)
def test_nicht_passendes_findet_nichts(brief, sachbearbeitung, suche):
    assert selectors.dokumente_suchen(sachbearbeitung, suche).gesamt == 0, suche


def test_ausschnitt_markiert_und_maskiert(mit_text, vorgang, sachbearbeitung):
    mit_text(sachbearbeitung, vorgang, "Die <script>alert(1)</script> Bescheide & Gebühren")
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, "Bescheid")
    ausschnitt = ergebnis.treffer[0].ausschnitt
    assert "<mark>Bescheide</mark>" in ausschnitt
    assert "<script" not in ausschnitt
    assert "&amp;" in ausschnitt


FUELLTEXT = "Die Verwaltung prüft die eingereichten Unterlagen sorgfältig und zeitnah. " * 40


@pytest.mark.parametrize(
    "suche, markiert",
    [
        ("Gebühren", "<mark>Gebühren</mark>"),
        ("Gebuehr", "<mark>Gebühren</mark>"),  # typed without umlaut, stem folded
        ("Bescheid", "<mark>Förderbescheid</mark>"),  # compound: the stem is inside the word
        ("Straße", "<mark>Straße</mark>"),  # ß: no window found, the whole text is read
        ("Markt*", "<mark>Marktplatz</mark>"),
    ],
)
def test_ausschnitt_zeigt_treffer_weit_hinten(mit_text, vorgang, sachbearbeitung, suche, markiert):
    seite_3 = "Seite 3: der Förderbescheid, die Gebühren, Straße am Marktplatz. "
    text = FUELLTEXT + seite_3 + FUELLTEXT
    mit_text(sachbearbeitung, vorgang, text)
    ausschnitt = selectors.dokumente_suchen(sachbearbeitung, suche).treffer[0].ausschnitt
    assert markiert in ausschnitt, ausschnitt
    assert "Seite 3" in ausschnitt or "Marktplatz" in ausschnitt


def test_ein_buchstabe_ohne_fenster(mit_text, vorgang, sachbearbeitung):
    mit_text(sachbearbeitung, vorgang, FUELLTEXT + "Anlage x zum Bescheid. " + FUELLTEXT)
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, "x")
    assert ergebnis.gesamt == 1
    assert "<mark>x</mark>" in ergebnis.treffer[0].ausschnitt


def test_ausschnitt_ohne_abgeschnittene_woerter(mit_text, vorgang, sachbearbeitung):
    # long words: the snippet reaches both ends of the window around the hit
    lang = "Gemeindeverwaltungsgebührenordnungsänderungsentwurf Wasserversorgungsverbandssatzung "
    text = lang * 30 + "Widerspruch eingelegt " + lang * 30
    mit_text(sachbearbeitung, vorgang, text)
    ausschnitt = selectors.dokumente_suchen(sachbearbeitung, "Widerspruch").treffer[0].ausschnitt
    woerter = set(lang.split()) | {"Widerspruch", "eingelegt"}
    gezeigt = ausschnitt.replace("<mark>", "").replace("</mark>", "").replace(".", "").split()
    assert "<mark>Widerspruch</mark>" in ausschnitt
    assert set(gezeigt) <= woerter, set(gezeigt) - woerter


def test_ausschnitt_wenn_der_stamm_zuerst_in_anderem_wort_steht(mit_text, vorgang, sachbearbeitung):
    # "rat" (stem of "Rat") is first found inside "Beratung": that window has no hit, so the
    # snippet is taken from the whole text and shows the real one far behind.
    text = "Beratung am Montag. " + FUELLTEXT + "Der Rat hat beschlossen. " + FUELLTEXT
    mit_text(sachbearbeitung, vorgang, text)
    ausschnitt = selectors.dokumente_suchen(sachbearbeitung, "Rat").treffer[0].ausschnitt
    assert "<mark>Rat</mark>" in ausschnitt, ausschnitt


def test_ausschnitt_einer_wortfolge_weit_hinten(mit_text, vorgang, sachbearbeitung):
    # the words stand alone at the start; the phrase (a stop word stands for any word) far behind
    text = (
        "Zuerst Widerspruch, danach Bescheid. " + FUELLTEXT
        + "Seite 3: Widerspruch\ngegen einen Bescheid vom Mai. " + FUELLTEXT
    )  # fmt: skip
    mit_text(sachbearbeitung, vorgang, text)
    suche = '"Widerspruch gegen den Bescheid"'
    ausschnitt = selectors.dokumente_suchen(sachbearbeitung, suche).treffer[0].ausschnitt
    assert "<mark>Widerspruch</mark> gegen einen <mark>Bescheid</mark>" in ausschnitt, ausschnitt
    assert "Seite 3" in ausschnitt


def test_titel_wiegt_mehr_als_text(mit_text, vorgang, sachbearbeitung):
    mit_text(sachbearbeitung, vorgang, "Seite eins. " * 200 + "Widerspruch", titel="Anlage")
    mit_text(sachbearbeitung, vorgang, "Nichts weiter", titel="Widerspruch gegen Bescheid")
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, "Widerspruch")
    assert titel(ergebnis) == ["Widerspruch gegen Bescheid", "Anlage"]
    neueste = selectors.dokumente_suchen(sachbearbeitung, "Widerspruch", sortierung="neueste")
    assert titel(neueste) == ["Widerspruch gegen Bescheid", "Anlage"]  # created last


def test_aktenzeichen_findet_die_akte(akte, dokument, sachbearbeitung):
    teil = akte.aktenzeichen.rsplit("/", 1)[0]
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, teil)
    assert [a.pk for a in ergebnis.akten] == [akte.pk]
    assert [t.dokument.pk for t in ergebnis.treffer] == [dokument.pk]


def test_metadaten_und_verschieben_halten_den_index_aktuell(
    brief, sachbearbeitung, vorgang, akte_anlegen, bauamt, vorgang_anlegen, kommunen_admin
):
    akten_services.dokument_aendern(
        akteur=akteur_von(sachbearbeitung), dokument=brief, bemerkung="Rückfrage Zuwendungsbescheid"
    )
    assert selectors.dokumente_suchen(sachbearbeitung, "Rückfrage").gesamt == 1
    akten_services.akte_aendern(
        akteur=akteur_von(sachbearbeitung), akte=vorgang.akte, betreff="Grundschule"
    )
    assert selectors.dokumente_suchen(sachbearbeitung, "Grundschule").gesamt == 1
    andere = akte_anlegen(sachbearbeitung, bauamt, betreff="Zweite Akte")
    ziel = vorgang_anlegen(sachbearbeitung, andere)
    akten_services.dokument_verschieben(
        akteur=akteur_von(sachbearbeitung), dokument=brief, ziel=ziel
    )
    assert Suchdokument.objects.get(pk=brief.pk).akte_id == andere.pk
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, "Zweite Bürgermeister")
    assert titel(ergebnis) == ["Schreiben an Frau Schäfer"]
    akten_services.akte_zda(akteur=akteur_von(sachbearbeitung), akte=andere)
    gefiltert = selectors.dokumente_suchen(
        sachbearbeitung, "Bürgermeister", selectors.Filter(zda="offen")
    )
    assert gefiltert.gesamt == 0
    zda = selectors.dokumente_suchen(sachbearbeitung, "Bürgermeister", selectors.Filter(zda="zda"))
    assert zda.gesamt == 1
    akten_services.akte_wiedereroeffnen(
        akteur=akteur_von(kommunen_admin), akte=andere, grund="Nachtrag"
    )
    offen = selectors.dokumente_suchen(
        sachbearbeitung, "Bürgermeister", selectors.Filter(zda="offen")
    )
    assert offen.gesamt == 1


def test_facetten_zaehlen(mit_text, vorgang, sachbearbeitung):
    mit_text(sachbearbeitung, vorgang, "Antrag eins", typ="eingang")
    mit_text(sachbearbeitung, vorgang, "Antrag zwei", typ="ausgang")
    mit_text(sachbearbeitung, vorgang, "Antrag drei", typ="ausgang")
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, "Antrag")
    assert ergebnis.gesamt == 3
    assert {(f.wert, f.anzahl) for f in ergebnis.facetten["typ"]} == {
        ("eingang", 1),
        ("ausgang", 2),
    }
    assert [(f.titel, f.anzahl) for f in ergebnis.facetten["kommune"]] == [("Erbach", 3)]
    assert [(f.titel, f.anzahl) for f in ergebnis.facetten["oe"]] == [("Bauamt", 3)]
    assert [(f.wert, f.anzahl) for f in ergebnis.facetten["aktenplan"]] == [("0", 3)]
    assert [(f.wert, f.anzahl) for f in ergebnis.facetten["zda"]] == [("offen", 3)]
    nur = selectors.dokumente_suchen(sachbearbeitung, "Antrag", selectors.Filter(typ="ausgang"))
    assert nur.gesamt == 2
    unter = selectors.dokumente_suchen(sachbearbeitung, "Antrag", selectors.Filter(aktenplan="0.2"))
    assert unter.gesamt == 3
    anders = selectors.dokumente_suchen(sachbearbeitung, "Antrag", selectors.Filter(aktenplan="6"))
    assert anders.gesamt == 0


def test_meinten_sie(mit_text, vorgang, sachbearbeitung):
    mit_text(sachbearbeitung, vorgang, "Die Stadt Michelstadt teilt mit")
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, "Michelstad")
    assert ergebnis.gesamt == 0 and ergebnis.meinten_sie == "Michelstadt"


def test_seiten(mit_text, vorgang, sachbearbeitung):
    for n in range(5):
        mit_text(sachbearbeitung, vorgang, f"Rundschreiben Nummer {n}")
    ergebnis = selectors.dokumente_suchen(
        sachbearbeitung, "Rundschreiben", seitengroesse=2, seite=3
    )
    assert ergebnis.gesamt == 5 and ergebnis.seite.number == 3 and len(ergebnis.treffer) == 1


@pytest.mark.parametrize("suche", ["", "der die das", "-Bescheid", "***", '""'])
def test_nichts_suchbares(brief, sachbearbeitung, suche):
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, suche)
    assert ergebnis.gesamt == 0 and ergebnis.treffer == []


def test_ohne_sichtbare_akten(brief, fremder_verbund_admin):
    assert selectors.dokumente_suchen(fremder_verbund_admin, "Bürgermeister").gesamt == 0


def test_stornierte_dokumente_nur_auf_wunsch(brief, sachbearbeitung):
    """Issue 16: a Dokument filed by mistake is left out of the search unless asked for."""
    akten_services.dokument_stornieren(
        akteur=akteur_von(sachbearbeitung), dokument=brief, grund="falsche Akte"
    )
    assert titel(selectors.dokumente_suchen(sachbearbeitung, "Förderbescheid")) == []
    mit = selectors.dokumente_suchen(
        sachbearbeitung, "Förderbescheid", selectors.Filter(stornierte=True)
    )
    assert titel(mit) == ["Schreiben an Frau Schäfer"]


def test_storniert_steht_in_der_indexzeile(brief, sachbearbeitung, mit_text, vorgang):
    """The search leaves stornierte Dokumente out by a column of the index row (no join with the
    Dokumente): stornieren sets it at once, and the counts leave the Dokument out as well."""
    zweiter = mit_text(sachbearbeitung, vorgang, BRIEF, titel="Zweites Schreiben")
    assert not Suchdokument.objects.get(pk=brief.pk).storniert
    assert selectors.dokumente_suchen(sachbearbeitung, "Förderbescheid").gesamt == 2
    akten_services.dokument_stornieren(
        akteur=akteur_von(sachbearbeitung), dokument=brief, grund="falsche Akte"
    )
    assert Suchdokument.objects.get(pk=brief.pk).storniert
    assert not Suchdokument.objects.get(pk=zweiter.pk).storniert
    ohne = selectors.dokumente_suchen(sachbearbeitung, "Förderbescheid")
    assert (ohne.gesamt, titel(ohne)) == (1, ["Zweites Schreiben"])
    assert sum(f.anzahl for f in ohne.facetten["typ"]) == 1
    mit = selectors.dokumente_suchen(
        sachbearbeitung, "Förderbescheid", selectors.Filter(stornierte=True)
    )
    assert mit.gesamt == 2
