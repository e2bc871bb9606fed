"""The due list per Kommune (command) and the monthly reminder to the Kommunen-Admins."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from eakte.aussonderung import erinnerung

pytestmark = pytest.mark.django_db


def test_befehl_nennt_die_faelligen_je_kommune(welt):
    ausgabe = io.StringIO()
    call_command("aussonderung_faellig", stdout=ausgabe)
    assert "Erbach: 2 zur Anbietung, 1 zur Vernichtung fällig" in ausgabe.getvalue()


def test_erinnerung_an_die_kommunen_admins(welt, mailoutbox):
    assert erinnerung.erinnern() == 1
    (mail,) = mailoutbox
    assert set(mail.to) == {welt.admin.email, welt.zweite_admin.email} - {""}
    assert "2 Akten zur Anbietung" in mail.body


def test_beat_plant_die_erinnerung_monatlich():
    eintrag = settings.CELERY_BEAT_SCHEDULE["aussonderung-erinnern"]
    assert eintrag["task"] == "eakte.aussonderung.erinnern"
    assert eintrag["schedule"].day_of_month == {1}
