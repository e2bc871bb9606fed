"""Fixtures for Schulungen: a trainer, a Schulung and a factory for Termine and people."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from eakte.kommunen.rollen import Rolle
from schulung import services
from schulung.models import Schulungstermin
from tests.conftest import _person
from tests.hilfen import akteur_von


@pytest.fixture
def trainer(erbach):
    return _person(erbach, "trainer.erbach", [Rolle.SCHULUNG])


@pytest.fixture
def schulung(trainer):
    return services.schulung_anlegen(
        akteur=akteur_von(trainer),
        titel="Einführung in die E-Akte",
        beschreibung="## Inhalt\n\nAkten anlegen, **scannen**, zuordnen.",
    )


@pytest.fixture
def termin_anlegen(trainer, schulung):
    """termin_anlegen(kapazitaet=5, in_tagen=7, ort=…, online_link=…): a Termin of 9–12 Uhr."""

    def anlegen(kapazitaet=5, in_tagen=7, ort="Erbach, Rathaus", online_link="", **weiteres):
        # at 9 o'clock local time, not now + n days: a Termin begun in the evening would end
        # after midnight, on another day than it began
        tag = timezone.localdate() + timedelta(days=in_tagen)
        beginn = timezone.make_aware(datetime.combine(tag, time(9)))
        return services.termin_anlegen(
            akteur=akteur_von(trainer),
            schulung=weiteres.pop("fuer", schulung),
            beginn=beginn,
            ende=beginn + timedelta(hours=3),
            kapazitaet=kapazitaet,
            ort=ort,
            online_link=online_link,
            **weiteres,
        )

    return anlegen


@pytest.fixture
def termin(termin_anlegen):
    return termin_anlegen()


@pytest.fixture
def personen(erbach, michelstadt):
    """personen(n): n clerks, alternately of Erbach and Michelstadt."""

    def anlegen(anzahl, praefix="teilnehmer"):
        return [
            _person(
                erbach if n % 2 == 0 else michelstadt,
                f"{praefix}{n:02d}",
                [Rolle.SACHBEARBEITUNG],
            )
            for n in range(anzahl)
        ]

    return anlegen


def verschieben(termin, *, um: timedelta) -> Schulungstermin:
    """Move a Termin in time (tests of deadlines and attendance need past Termine)."""
    Schulungstermin.objects.filter(pk=termin.pk).update(
        beginn=termin.beginn + um, ende=termin.ende + um, anmeldeschluss=termin.anmeldeschluss + um
    )
    termin.refresh_from_db()
    return termin


def begonnen(termin, *, vor: timedelta = timedelta(hours=1)) -> Schulungstermin:
    """Move a Termin so that it began `vor` ago, whatever the time of day the test runs at."""
    return verschieben(termin, um=timezone.now() - vor - termin.beginn)
