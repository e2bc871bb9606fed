"""Fixtures for the Protokoll tests: entries in two Kommunen, a tampering helper."""

from contextlib import contextmanager
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from eakte.akten import services as akten_services
from eakte.common.akteur import Akteur
from eakte.kommunen.rollen import Rolle
from eakte.protokoll import services as protokoll_services
from eakte.protokoll.models import Aktion
from tests.factories import BenutzerFactory
from tests.hilfen import akteur_von

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def datenschutz_michelstadt(michelstadt, ordnungsamt_michelstadt):
    return BenutzerFactory(
        kommune=michelstadt,
        username="ds.michelstadt",
        rollen=[Rolle.DATENSCHUTZ],
        organisationseinheiten=[ordnungsamt_michelstadt],
    )


@pytest.fixture
def zwei_kommunen(
    akte, dokument, sachbearbeitung, kollege_michelstadt, akte_anlegen, ordnungsamt_michelstadt
):
    """Erbach: an Akte with a Dokument, shared with a Michelstadt clerk who opens the Dokument.
    Michelstadt: an Akte of its own."""
    akten_services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=kollege_michelstadt
    )
    akten_services.dokument_angesehen(
        akteur=akteur_von(kollege_michelstadt, ip="198.51.100.23"), dokument=dokument
    )
    fremde_akte = akte_anlegen(
        kollege_michelstadt, ordnungsamt_michelstadt, betreff="Gaststättenerlaubnis Marktplatz"
    )
    return {"akte": akte, "dokument": dokument, "fremde_akte": fremde_akte}


def eintrag(kommune, beschreibung="Testeintrag", *, benutzer=None, aktion=Aktion.ANGESEHEN, **kw):
    akteur = akteur_von(benutzer, ip=kw.pop("ip", None)) if benutzer else Akteur.system("Test")
    return protokoll_services.protokollieren(
        kommune_id=kommune.pk, akteur=akteur, aktion=aktion, beschreibung=beschreibung, **kw
    )


def eintrag_am(kommune, berliner_zeit: datetime, beschreibung: str, **kw):
    """An entry written at a given wall-clock time in Berlin."""
    zeitpunkt = berliner_zeit.replace(tzinfo=BERLIN)
    with mock.patch.object(protokoll_services.timezone, "now", return_value=zeitpunkt):
        return eintrag(kommune, beschreibung, **kw)


@contextmanager
def ohne_schutz():
    """What an attacker with the table owner's rights could do: switch the trigger off.

    Inside a test's transaction the deferred foreign-key checks must run first, or PostgreSQL
    refuses to alter a table with pending trigger events.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "ALTER TABLE protokoll_protokolleintrag DISABLE TRIGGER protokoll_nur_anfuegen"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE protokoll_protokolleintrag ENABLE TRIGGER protokoll_nur_anfuegen"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
