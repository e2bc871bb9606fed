from django.core.management import call_command
from django.utils import timezone

from eakte.common.akteur import Anmeldeart
from eakte.kommunen.models import Benutzer
from eakte.protokoll.models import Protokolleintrag
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


def test_demodaten_im_protokoll_als_systemvorgang(db, settings):
    """The demo data has no request: its entries (Schulung ones too) say so instead of showing an
    empty address as if someone had signed in."""
    settings.DEBUG = True
    call_command("demodaten")
    eintraege = list(Protokolleintrag.alle.filter(objekt_typ="Schulungsdokument"))
    assert len(eintraege) >= 2  # Dienstanweisung angelegt, veröffentlicht
    trainer = Benutzer.objects.get(username="schulung.erbach")
    for eintrag in eintraege:
        assert eintrag.benutzer == trainer and eintrag.ip_adresse is None
        assert (eintrag.anmeldeart, eintrag.systemgrund) == (Anmeldeart.SYSTEM, "Demodaten")
        assert eintrag.adresse_anzeige == "– (Systemvorgang: Demodaten)"
    ohne_adresse = Protokolleintrag.alle.filter(ip_adresse__isnull=True)
    assert not ohne_adresse.exclude(anmeldeart=Anmeldeart.SYSTEM).exists()
