"""The scope querysets are built once per person object (selectors._je_person): what a person
sees must still follow every change at once — OE membership, shares, roles — and the
Mandantenbereich the query was built under."""

import pytest

from eakte.akten import selectors, services
from eakte.common.mandantenbereich import bereich
from eakte.kommunen import services as kommunen_services
from eakte.kommunen.rollen import Rolle
from tests.hilfen import akteur_von

pytestmark = pytest.mark.django_db


def test_mitgliedschaft_und_freigabe_wirken_sofort(
    akte, kollegin_andere_oe, sachbearbeitung, bauamt, hauptamt
):
    person = kollegin_andere_oe
    assert not selectors.akten_fuer(person).filter(pk=akte.pk).exists()
    kommunen_services.benutzer_oes_setzen(benutzer=person, organisationseinheiten=[bauamt])
    assert selectors.akten_fuer(person).filter(pk=akte.pk).exists()
    assert selectors.akten_beschreibbar_fuer(person).filter(pk=akte.pk).exists()
    kommunen_services.benutzer_oes_setzen(benutzer=person, organisationseinheiten=[hauptamt])
    assert not selectors.akten_fuer(person).filter(pk=akte.pk).exists()
    services.akte_freigeben(akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=person)
    assert selectors.akten_fuer(person).filter(pk=akte.pk).exists()
    assert not selectors.akten_beschreibbar_fuer(person).filter(pk=akte.pk).exists()


def test_neue_rolle_gibt_einen_neuen_bereich(akte, kollegin_andere_oe):
    person = kollegin_andere_oe
    assert not selectors.akten_fuer(person).filter(pk=akte.pk).exists()  # scope built and kept
    kommunen_services.benutzer_rollen_setzen(benutzer=person, rollen=[Rolle.KOMMUNEN_ADMIN])
    assert selectors.akten_fuer(person).filter(pk=akte.pk).exists()


def test_der_mandantenbereich_gehoert_zum_schluessel(akte, sachbearbeitung, michelstadt):
    person = sachbearbeitung
    assert selectors.akten_fuer(person).filter(pk=akte.pk).exists()  # system Bereich
    with bereich([michelstadt.pk]):
        assert not selectors.akten_fuer(person).filter(pk=akte.pk).exists()
    assert selectors.akten_fuer(person).filter(pk=akte.pk).exists()


def test_kein_ergebnis_wird_aufbewahrt(akte_anlegen, sachbearbeitung, bauamt):
    vorher = list(selectors.akten_fuer(sachbearbeitung))
    neue = akte_anlegen(sachbearbeitung, bauamt, betreff="Noch eine Akte")
    nachher = list(selectors.akten_fuer(sachbearbeitung))
    assert neue not in vorher
    assert neue in nachher and len(nachher) == len(vorher) + 1
