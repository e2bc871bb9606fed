from django.core.management import call_command
from django.utils import timezone

from eakte.kommunen.models import Benutzer
from schulung import selectors
from schulung.models import Schulung


def test_demodaten_mit_schulung_und_zwei_terminen(db, settings):
    settings.DEBUG = True
    call_command("demodaten")
    call_command("demodaten")
    schulung = Schulung.objects.get(titel="Einführung in die E-Akte")
    termine = list(schulung.termine.order_by("beginn"))
    assert len(termine) == 2
    assert all(t.beginn > timezone.now() and t.anmeldeschluss < t.beginn for t in termine)
    assert termine[0].ort.startswith("Erbach, Rathaus") and not termine[0].online_link
    assert termine[1].online_link.startswith("https://") and not termine[1].ort
    person = Benutzer.objects.get(username="sachbearbeitung.brombachtal")
    assert [t.pk for t in selectors.kommende(selectors.termine_fuer(person))] == [
        t.pk for t in termine
    ]
