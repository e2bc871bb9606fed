"""People of a town hall's Geschäftsgang in Erbach: the clerk of the Bauamt (`sachbearbeitung`),
the head of the Bauamt (`amtsleitung`), the Bürgermeister and his deputy (Hauptamt)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from eakte.akten import services as akten_services
from eakte.geschaeftsgang import services
from eakte.geschaeftsgang.models import Verfuegung
from eakte.kommunen.rollen import Rolle
from tests.factories import BenutzerFactory
from tests.hilfen import akteur_von


def person(kommune, username, oes, rollen=(Rolle.SACHBEARBEITUNG,), **weiteres):
    return BenutzerFactory(
        kommune=kommune,
        username=username,
        rollen=list(rollen),
        organisationseinheiten=list(oes),
        **weiteres,
    )


@pytest.fixture
def amtsleitung(erbach, bauamt):
    return person(erbach, "al.erbach", [bauamt], first_name="Anna", last_name="Amtsleiterin")


@pytest.fixture
def buergermeister(erbach, hauptamt):
    return person(erbach, "bm.erbach", [hauptamt], first_name="Bernd", last_name="Bürgermeister")


@pytest.fixture
def stellvertreter(erbach, hauptamt):
    return person(erbach, "stv.erbach", [hauptamt], first_name="Stefan", last_name="Vertreter")


@pytest.fixture
def entwurf(vorgang, sachbearbeitung, pdf_datei):
    """The draft reply (a Dokument of `vorgang`)."""
    return akten_services.dokument_hochladen(
        akteur=akteur_von(sachbearbeitung),
        vorgang=vorgang,
        datei=pdf_datei("Antwortentwurf.pdf", "Antwort an den Bauherrn"),
        titel="Antwortentwurf",
        typ="ausgang",
    ).dokument


def schritt(verfuegung, **weiteres):
    return services.SchrittAngabe(verfuegung=verfuegung, **weiteres)


@pytest.fixture
def route(amtsleitung, buergermeister, sachbearbeitung):
    """Mz by the Amtsleitung, Sz by the Bürgermeister, Versand by the clerk."""
    return [
        schritt(Verfuegung.MITZEICHNUNG, person=amtsleitung),
        schritt(Verfuegung.SCHLUSSZEICHNUNG, person=buergermeister),
        schritt(Verfuegung.VERSAND, person=sachbearbeitung),
    ]


@pytest.fixture
def abwesend(buergermeister, stellvertreter):
    """The Bürgermeister is away this week; his deputy stands in."""
    heute = timezone.localdate()
    return services.vertretung_setzen(
        akteur=akteur_von(buergermeister),
        abwesend=buergermeister,
        von=heute,
        bis=heute + timedelta(days=7),
        vertreter=[stellvertreter],
    )
