"""Very many hits: what the search does to stay fast (selectors.RANG_KANDIDATEN,
FOLGE_FENSTER) and that it says so. The limits are lowered here so that a few Dokumente exceed
them; bench/suche.py measures the real sizes."""

from datetime import date

import pytest

from eakte.suche import selectors

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jeder_suchweg")]


def _titel(ergebnis):
    return [t.dokument.titel for t in ergebnis.treffer]


def _vier_neue(mit_text, person, vorgang, text: str, titel: str) -> None:
    """Four Dokumente with `text`, from January to April 2026, titled "<titel> 1" … "4"."""
    for monat in range(1, 5):
        mit_text(
            person, vorgang, text, titel=f"{titel} {monat}",
            posteingangsdatum=date(2026, monat, 1),
        )  # fmt: skip


@pytest.fixture
def friedhof(mit_text, vorgang, sachbearbeitung):
    """Six Dokumente with "Friedhof": four new ones and an old one in the text, an old one in
    the title."""
    _vier_neue(mit_text, sachbearbeitung, vorgang, "Pflege am Friedhof und Wege", "Neu")
    mit_text(
        sachbearbeitung, vorgang, "Ein altes Schreiben zum Friedhof", titel="Alt im Text",
        posteingangsdatum=date(2018, 5, 1),
    )  # fmt: skip
    mit_text(
        sachbearbeitung, vorgang, "Ein Schreiben ohne das Wort", titel="Friedhofssatzung Friedhof",
        posteingangsdatum=date(2019, 5, 1),
    )  # fmt: skip


def test_alle_treffer_werden_gezaehlt_aber_nur_die_neuesten_und_titel_geordnet(
    friedhof, sachbearbeitung, monkeypatch
):
    monkeypatch.setattr(selectors, "RANG_KANDIDATEN", 2)
    monkeypatch.setattr(selectors, "KOPF_KANDIDATEN", 1)
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, "Friedhof")
    assert ergebnis.gesamt == 6
    assert sum(f.anzahl for f in ergebnis.facetten["typ"]) == 6
    assert ergebnis.rang_begrenzt == 2
    # the title hit first (weight A), then the two newest; the old text hit is not ranked
    assert _titel(ergebnis) == ["Friedhofssatzung Friedhof", "Neu 4", "Neu 3"]
    assert ergebnis.seite.paginator.count == 3


def test_neueste_zuerst_zeigt_alle(friedhof, sachbearbeitung, monkeypatch):
    monkeypatch.setattr(selectors, "RANG_KANDIDATEN", 2)
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, "Friedhof", sortierung="neueste")
    assert ergebnis.rang_begrenzt == 0
    assert ergebnis.seite.paginator.count == 6
    assert _titel(ergebnis)[-1] == "Alt im Text"


def test_unter_der_grenze_wird_alles_geordnet(friedhof, sachbearbeitung):
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, "Friedhof")
    assert ergebnis.rang_begrenzt == 0
    assert len(ergebnis.treffer) == 6 and _titel(ergebnis)[0] == "Friedhofssatzung Friedhof"


def test_wortfolge_in_den_neuesten_mit_allen_woertern(
    mit_text, vorgang, sachbearbeitung, monkeypatch
):
    monkeypatch.setattr(selectors, "FOLGE_FENSTER", 2)
    for monat, text in [
        (1, "Antrag auf Widerspruch"),  # the phrase, but the oldest
        (2, "Widerspruch und Antrag"),
        (3, "Widerspruch zum Antrag"),
    ]:
        mit_text(
            sachbearbeitung, vorgang, text, titel=f"Schreiben {monat}",
            posteingangsdatum=date(2026, monat, 1),
        )  # fmt: skip
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, '"Antrag auf Widerspruch"')
    assert ergebnis.folge_begrenzt == 2 and ergebnis.gesamt == 0

    monkeypatch.setattr(selectors, "FOLGE_FENSTER", 3)
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, '"Antrag auf Widerspruch"')
    assert ergebnis.folge_begrenzt == 0 and _titel(ergebnis) == ["Schreiben 1"]


@pytest.mark.parametrize("vorlage", ["#oe{oe}", "oe{oe}", "#k{kommune}", "k{kommune}*", "#*"])
def test_die_ortsmarken_im_index_sind_nicht_suchbar(
    mit_text, vorgang, sachbearbeitung, bauamt, vorlage
):
    mit_text(sachbearbeitung, vorgang, "Irgendein Text")
    suche = vorlage.format(oe=bauamt.pk, kommune=bauamt.kommune_id)
    assert selectors.dokumente_suchen(sachbearbeitung, suche).gesamt == 0


def test_seite_und_api_sagen_es(friedhof, sachbearbeitung, client_als, api_als, monkeypatch):
    monkeypatch.setattr(selectors, "RANG_KANDIDATEN", 2)
    seite = client_als(sachbearbeitung).get("/suche/", {"q": "Friedhof"}).content.decode()
    assert "6 Dokumente" in seite
    assert "Sehr viele Treffer: nach Relevanz geordnet sind die 2 neuesten" in seite
    daten = api_als(sachbearbeitung).get("/api/v1/suche/", {"q": "Friedhof"}).json()
    assert daten["anzahl"] == 6 and daten["rang_begrenzt"] == 2 and daten["folge_begrenzt"] == 0
    assert len(daten["ergebnisse"]) == 3

    monkeypatch.setattr(selectors, "FOLGE_FENSTER", 1)
    seite = client_als(sachbearbeitung).get("/suche/", {"q": '"Pflege am Friedhof"'})
    assert "in den 1 neuesten Dokumenten gesucht" in seite.content.decode()
    assert (
        api_als(sachbearbeitung)
        .get("/api/v1/suche/", {"q": '"Pflege am Friedhof"'})
        .json()["folge_begrenzt"]
        == 1
    )


def test_ueber_der_zaehlgrenze_mindestens(
    friedhof, sachbearbeitung, client_als, api_als, monkeypatch
):
    monkeypatch.setattr(selectors, "ZAEHL_GRENZE", 3)
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, "Friedhof")
    assert ergebnis.genau is False and ergebnis.gesamt == 3
    assert sum(f.anzahl for f in ergebnis.facetten["kommune"]) == 4  # counted: the first 3 + 1
    assert len(ergebnis.treffer) == 6  # the page itself is complete
    seite = client_als(sachbearbeitung).get("/suche/", {"q": "Friedhof"}).content.decode()
    assert "Mehr als 3 Dokumente" in seite and "(mind. 4)" in seite
    daten = api_als(sachbearbeitung).get("/api/v1/suche/", {"q": "Friedhof"}).json()
    assert daten["anzahl"] == 3 and daten["anzahl_genau"] is False

    monkeypatch.setattr(selectors, "ZAEHL_GRENZE", 6)
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, "Friedhof")
    assert ergebnis.genau is True and ergebnis.gesamt == 6


def test_ausgeschlossenes_wort_im_text_schliesst_titeltreffer_aus(
    mit_text, vorgang, sachbearbeitung, monkeypatch
):
    # The title-hit candidates come from the title vector, which lacks the text: "-Garage"
    # must still keep out a Dokument with "Garage" in its text.
    monkeypatch.setattr(selectors, "RANG_KANDIDATEN", 1)
    mit_text(sachbearbeitung, vorgang, "Es geht um die Garage.", titel="Bauantrag Neubau")
    mit_text(sachbearbeitung, vorgang, "Ein Bauantrag für das Haus", titel="Schreiben B")
    mit_text(sachbearbeitung, vorgang, "Noch ein Bauantrag", titel="Schreiben C")
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, "Bauantrag -Garage")
    assert ergebnis.gesamt == 2 and ergebnis.rang_begrenzt
    assert sorted(_titel(ergebnis)) == ["Schreiben B", "Schreiben C"]


def test_wortfolge_nur_im_sichtbaren_und_gefilterten_fenster(
    mit_text, vorgang, sachbearbeitung, monkeypatch
):
    """The phrase is checked only on the vectors of the window (no second index pass): the
    filters, stornierte Dokumente and the visibility still hold, because the window has them."""
    from eakte.akten import services as akten_services
    from tests.hilfen import akteur_von

    monkeypatch.setattr(selectors, "FOLGE_FENSTER", 10)
    eingang = mit_text(sachbearbeitung, vorgang, "Antrag auf Widerspruch", titel="Eingang")
    mit_text(sachbearbeitung, vorgang, "Antrag auf Widerspruch", titel="Ausgang", typ="ausgang")
    storniert = mit_text(sachbearbeitung, vorgang, "Antrag auf Widerspruch", titel="Storniert")
    akten_services.dokument_stornieren(
        akteur=akteur_von(sachbearbeitung), dokument=storniert, grund="doppelt"
    )
    alle = selectors.dokumente_suchen(sachbearbeitung, '"Antrag auf Widerspruch"')
    assert (alle.gesamt, sorted(_titel(alle))) == (2, ["Ausgang", "Eingang"])
    nur_eingang = selectors.dokumente_suchen(
        sachbearbeitung, '"Antrag auf Widerspruch"', selectors.Filter(typ=eingang.typ)
    )
    assert (nur_eingang.gesamt, _titel(nur_eingang)) == (1, ["Eingang"])
    assert sum(f.anzahl for f in nur_eingang.facetten["typ"]) == 1


def test_planung_gilt_nur_fuer_die_suche(friedhof, sachbearbeitung, monkeypatch):
    """The planner settings of a search (bitmap scans only; for many hits against a subquery of
    Akten no nested loops) are reset afterwards, also inside a longer transaction (a request)."""
    from django.db import connection, transaction

    monkeypatch.setattr(selectors, "RANG_KANDIDATEN", 2)
    with transaction.atomic(), connection.cursor() as cursor:
        for text in ["Friedhof", '"Pflege am Friedhof"']:
            assert selectors.dokumente_suchen(sachbearbeitung, text).gesamt > 0
        for name in ("enable_nestloop", "enable_seqscan", "enable_indexscan"):
            cursor.execute(f"SHOW {name}")
            assert cursor.fetchone()[0] == "on", name


@pytest.mark.django_db(transaction=True)
def test_planung_endet_mit_der_eigenen_transaktion(friedhof, sachbearbeitung, monkeypatch):
    """Outside a transaction the search opens its own; its end undoes the settings (no RESET
    is sent), and the connection plans as usual afterwards."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(selectors, "RANG_KANDIDATEN", 2)
    assert not connection.in_atomic_block
    with CaptureQueriesContext(connection) as erfasst:
        for text in ["Friedhof", '"Pflege am Friedhof"']:
            assert selectors.dokumente_suchen(sachbearbeitung, text).gesamt > 0
    assert not [q for q in erfasst.captured_queries if 'RESET "enable_seqscan"' in q["sql"]]
    with connection.cursor() as cursor:
        for name in ("enable_nestloop", "enable_seqscan", "enable_indexscan", "jit"):
            cursor.execute(f"SHOW {name}")
            assert cursor.fetchone()[0] == "on", name


@pytest.fixture
def bescheide(mit_text, vorgang, sachbearbeitung):
    """Four Dokumente with "Bescheid", one with only the compound "Gebührenbescheid"."""
    _vier_neue(mit_text, sachbearbeitung, vorgang, "Der Bescheid ist da", "Bescheid")
    mit_text(
        sachbearbeitung, vorgang, "Ein Gebührenbescheid kam", titel="Nur Kompositum",
        posteingangsdatum=date(2026, 6, 1),
    )  # fmt: skip


def _zaehlungen(erfasst) -> list[str]:
    return [q["sql"] for q in erfasst.captured_queries if "WITH t AS MATERIALIZED" in q["sql"]]


def test_sehr_viele_treffer_ohne_zusammensetzungen_gezaehlt(
    bescheide, sachbearbeitung, monkeypatch, jeder_suchweg
):
    """Searched with the visible Akten as a subquery (a Kommunen-Admin's many Akten): when the
    word alone exceeds the count limit, the compounds are neither counted nor ranking
    candidates (the counts are lower bounds anyway, a compound alone would be ranked last)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(selectors, "ZAEHL_GRENZE", 3)
    with CaptureQueriesContext(connection) as erfasst:
        ergebnis = selectors.dokumente_suchen(sachbearbeitung, "Bescheid")
    assert ergebnis.genau is False and ergebnis.gesamt == 3
    (zaehlung,) = _zaehlungen(erfasst)
    if jeder_suchweg == "vorfilter-kommune":  # the visible Akten as a subquery
        assert "gebuhrenbescheid" not in zaehlung
        assert _titel(ergebnis) == ["Bescheid 4", "Bescheid 3", "Bescheid 2", "Bescheid 1"]
    else:  # few Akten or a list of them: counted and ranked with the compounds, as before
        assert "gebuhrenbescheid" in zaehlung
        assert _titel(ergebnis)[-1] == "Nur Kompositum"
    neueste = selectors.dokumente_suchen(sachbearbeitung, "Bescheid", sortierung="neueste")
    assert _titel(neueste)[0] == "Nur Kompositum"  # listed by date, with the compounds


def test_unter_der_grenze_mit_zusammensetzungen_gezaehlt(bescheide, sachbearbeitung, monkeypatch):
    monkeypatch.setattr(selectors, "ZAEHL_GRENZE", 10)
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, "Bescheid")
    assert ergebnis.genau is True and ergebnis.gesamt == 5
    assert _titel(ergebnis)[-1] == "Nur Kompositum"  # ranked after the word itself
