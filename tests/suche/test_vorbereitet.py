"""The statements of a search whose plan does not depend on the words are prepared once per
connection (eakte.common.vorbereitet): planned without their values, reused by every person,
and still reading memberships and shares anew each time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eakte.akten import services as akten_services
from eakte.suche import selectors
from tests.hilfen import akteur_von

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jeder_suchweg")]

SICHTBARE_AKTEN = "array_agg(id)"  # the statement of selectors._sichtbare_akten
ZAEHLUNG = "WITH t AS MATERIALIZED"  # selectors._ZAEHLEN_SQL


def _vorbereitet() -> dict[str, tuple[int, int]]:
    """The prepared statements of this session: text → (generic plans, custom plans)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        return {text: (generisch, eigens) for text, generisch, eigens in cursor.fetchall()}


def _mit(vorbereitet: dict, teil: str) -> list[tuple[int, int]]:
    return [plaene for text, plaene in vorbereitet.items() if teil in text]


@pytest.fixture
def zwei_kommunen(akte_anlegen, vorgang_anlegen, mit_text, sachbearbeitung, bauamt,
                  fremde_sachbearbeitung, ordnungsamt_michelstadt):  # fmt: skip
    erbach = akte_anlegen(sachbearbeitung, bauamt, betreff="Bauantrag Erbach")
    mit_text(sachbearbeitung, vorgang_anlegen(sachbearbeitung, erbach), "Kanalsanierung Erbach")
    michelstadt = akte_anlegen(fremde_sachbearbeitung, ordnungsamt_michelstadt, betreff="Markt")
    mit_text(
        fremde_sachbearbeitung,
        vorgang_anlegen(fremde_sachbearbeitung, michelstadt),
        "Kanalsanierung Michelstadt",
    )
    return erbach, michelstadt


def test_die_festen_anweisungen_sind_vorbereitet_und_generisch_geplant(
    zwei_kommunen, sachbearbeitung
):
    with CaptureQueriesContext(connection) as erfasst:
        for _ in range(2):
            ergebnis = selectors.dokumente_suchen(sachbearbeitung, "Kanalsanierung")
    assert ergebnis.gesamt == 1
    vorbereitet = _vorbereitet()
    (sichtbar,) = _mit(vorbereitet, SICHTBARE_AKTEN)
    assert sichtbar == (2, 0)  # planned without the values, both times
    for teil in ("ts_rank_cd", "ts_headline", "ocr_verarbeitung"):  # ranking and snippets
        assert _mit(vorbereitet, teil), teil
    # the counting is planned for its words each time, never prepared
    assert not _mit(vorbereitet, ZAEHLUNG)
    # Django's query log still has the text of the prepared statements
    assert sum(SICHTBARE_AKTEN in q["sql"] for q in erfasst.captured_queries) == 2


def test_eine_vorbereitete_anweisung_liest_fuer_jede_person_deren_akten(
    zwei_kommunen, sachbearbeitung, fremde_sachbearbeitung
):
    erbach, michelstadt = zwei_kommunen
    assert [
        t.akte for t in selectors.dokumente_suchen(sachbearbeitung, "Kanalsanierung").treffer
    ] == [erbach]
    assert _mit(_vorbereitet(), SICHTBARE_AKTEN)
    # the same prepared statements, another person of another Kommune: their own Akte only
    treffer = selectors.dokumente_suchen(fremde_sachbearbeitung, "Kanalsanierung").treffer
    assert [t.akte for t in treffer] == [michelstadt]
    assert len(_mit(_vorbereitet(), SICHTBARE_AKTEN)) == 1


def test_freigabe_und_entzug_wirken_sofort_trotz_vorbereiteter_anweisung(
    zwei_kommunen, sachbearbeitung, fremde_sachbearbeitung
):
    erbach, michelstadt = zwei_kommunen

    def akten_von_michelstadt():
        ergebnis = selectors.dokumente_suchen(fremde_sachbearbeitung, "Kanalsanierung")
        return {t.akte for t in ergebnis.treffer}

    assert akten_von_michelstadt() == {michelstadt}
    akteur = akteur_von(sachbearbeitung)
    akten_services.akte_freigeben(akteur=akteur, akte=erbach, empfaenger=fremde_sachbearbeitung)
    assert akten_von_michelstadt() == {michelstadt, erbach}
    akten_services.freigabe_entziehen(akteur=akteur, akte=erbach, empfaenger=fremde_sachbearbeitung)
    assert akten_von_michelstadt() == {michelstadt}
