"""The scope querysets are built once per person object (selectors._je_person): what a person
sees must still follow every change at once — OE membership, shares, roles — and the
Mandantenbereich the query was built under."""

import pytest
from django.core.exceptions import EmptyResultSet
from django.db import connection

from eakte.akten import selectors, services
from eakte.common.mandantenbereich import bereich
from eakte.kommunen import services as kommunen_services
from eakte.kommunen.models import Benutzer
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


def _sichtbar_ueber_sql(person) -> set[int]:
    """The Akten of `person` by the statement akten_fuer_sql keeps for the process, read with a
    fresh person object, as the next request would."""
    frisch = Benutzer.objects.get(pk=person.pk)
    anweisung, parameter = selectors.akten_fuer_sql(frisch, "pk")
    with connection.cursor() as cursor:
        cursor.execute(anweisung, parameter)
        return {zeile[0] for zeile in cursor.fetchall()}


def test_kompilierte_anweisung_folgt_jeder_aenderung(
    akte, kollegin_andere_oe, sachbearbeitung, bauamt, hauptamt, michelstadt
):
    person = kollegin_andere_oe
    assert selectors.akten_fuer_sql(person, "pk") == (
        selectors.akten_fuer(person).order_by().values("pk").query.sql_with_params()
    )
    assert _sichtbar_ueber_sql(sachbearbeitung) == {akte.pk}
    assert _sichtbar_ueber_sql(person) == set()  # another person: another statement
    kommunen_services.benutzer_oes_setzen(benutzer=person, organisationseinheiten=[bauamt])
    assert _sichtbar_ueber_sql(person) == {akte.pk}  # membership: read by PostgreSQL
    kommunen_services.benutzer_oes_setzen(benutzer=person, organisationseinheiten=[hauptamt])
    assert _sichtbar_ueber_sql(person) == set()
    kommunen_services.benutzer_rollen_setzen(benutzer=person, rollen=[Rolle.KOMMUNEN_ADMIN])
    assert _sichtbar_ueber_sql(person) == {akte.pk}  # a role: a new key
    with bereich([michelstadt.pk]):
        assert _sichtbar_ueber_sql(person) == set()  # the Mandantenbereich: a new key
    Benutzer.objects.filter(pk=person.pk).update(is_active=False)
    with pytest.raises(EmptyResultSet):  # deactivated: nothing to see, nothing compiled
        _sichtbar_ueber_sql(person)
