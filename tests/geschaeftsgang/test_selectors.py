"""The Postkorb in a constant number of queries, whatever it holds (own, OE, role, Vertretung)."""

import pytest

from eakte.common.mandantenbereich import bereich
from eakte.geschaeftsgang import selectors, services
from eakte.geschaeftsgang.models import Verfuegung
from eakte.kommunen.rollen import Rolle
from tests.geschaeftsgang.conftest import schritt
from tests.hilfen import akteur_von


def _zeilen(schritte):
    """What the Postkorb page and the API read of each row."""
    return [
        (
            s.geschaeftsgang.betreff,
            s.geschaeftsgang.vorgang.vorgangszeichen,
            str(s.absender),
            s.empfaenger_text,
            s.in_vertretung,
            s.geschaeftsgang.dokument,
        )
        for s in schritte
    ]


@pytest.mark.parametrize("anzahl", [1, 6])
def test_postkorb_mit_festen_abfragen(
    anzahl,
    vorgang,
    sachbearbeitung,
    kommunen_admin,
    hauptamt,
    buergermeister,
    abwesend,
    stellvertreter,
    django_assert_num_queries,
):
    for i in range(anzahl):
        services.geschaeftsgang_starten(
            akteur=akteur_von(sachbearbeitung),
            vorgang=vorgang,
            betreff=f"Gang {i}",
            schritte=[
                schritt(Verfuegung.KENNTNIS, person=stellvertreter, gruppe=1),
                schritt(Verfuegung.VERANLASSUNG, oe=hauptamt, gruppe=1),
                schritt(Verfuegung.STELLUNGNAHME, rolle=Rolle.SACHBEARBEITUNG, gruppe=1),
                schritt(Verfuegung.SCHLUSSZEICHNUNG, person=buergermeister, gruppe=1),
            ],
        )
    stellvertreter.refresh_from_db()
    # the rows, then the senders and the recipients (one query each; no taker: none taken)
    with bereich([vorgang.kommune_id]), django_assert_num_queries(3):
        zeilen = _zeilen(selectors.postkorb_liste(stellvertreter))
    # own, OE (Hauptamt), role (Sachbearbeitung) and the Bürgermeister's in Vertretung
    assert len(zeilen) == 4 * anzahl
    assert sum(1 for z in zeilen if z[4]) == anzahl


@pytest.mark.parametrize("anzahl", [1, 5])
def test_oe_postkorb_mit_festen_abfragen(
    anzahl, vorgang, sachbearbeitung, hauptamt, django_assert_num_queries
):
    for i in range(anzahl):
        services.geschaeftsgang_starten(
            akteur=akteur_von(sachbearbeitung),
            vorgang=vorgang,
            betreff=f"Gang {i}",
            schritte=[schritt(Verfuegung.VERANLASSUNG, oe=hauptamt)],
        )
    # the rows and their senders
    with bereich([vorgang.kommune_id]), django_assert_num_queries(2):
        zeilen = [
            (s.geschaeftsgang.betreff, s.geschaeftsgang.vorgang.vorgangszeichen, str(s.absender))
            for s in selectors.oe_postkorb(hauptamt)
        ]
    assert len(zeilen) == anzahl


def test_postkorb_sieht_keine_schritte_anderer(
    vorgang, sachbearbeitung, amtsleitung, kollege_michelstadt, kollegin_andere_oe
):
    services.geschaeftsgang_starten(
        akteur=akteur_von(sachbearbeitung),
        vorgang=vorgang,
        schritte=[schritt(Verfuegung.KENNTNIS, person=amtsleitung)],
    )
    for wer in (kollege_michelstadt, kollegin_andere_oe, sachbearbeitung):
        assert selectors.postkorb_anzahl(wer) == 0
    assert selectors.postkorb_anzahl(amtsleitung) == 1
