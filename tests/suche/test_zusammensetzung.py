"""The search statements are composed with psycopg.sql: names are identifiers, numbers literals,
values parameters; a query text full of SQL syntax is only ever a value."""

import pytest
from psycopg import sql

from eakte.suche import anfrage, selectors, services

pytestmark = pytest.mark.django_db


def test_anweisungen_sind_zusammengesetzt_nicht_formatiert():
    for anweisung in (
        selectors._TEXTE_SQL,
        selectors._HEADLINES_SQL,
        selectors._NAMEN_SQL,
        anfrage._NACHSCHLAGEN,
        services._AUFNEHMEN,
        services._WOERTER,
    ):
        assert isinstance(anweisung, sql.Composable)


def test_sql_syntax_in_der_anfrage_ist_nur_ein_wert(mit_text, sachbearbeitung, vorgang):
    dokument = mit_text(sachbearbeitung, vorgang, "Die Straßenreinigung beginnt am Montag.")
    for suche in (
        "'); DROP TABLE suche_suchdokument; --",
        "%(ganz)s {erste_stelle} %s",
        ") | ( ' \\",
    ):
        assert selectors.dokumente_suchen(sachbearbeitung, suche).gesamt == 0, suche
    ergebnis = selectors.dokumente_suchen(sachbearbeitung, "Straßenreinigung")
    assert [t.dokument.pk for t in ergebnis.treffer] == [dokument.pk]
    assert "<mark>Straßenreinigung</mark>" in ergebnis.treffer[0].ausschnitt
