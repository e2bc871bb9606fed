import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from eakte.kommunen.models import Benutzer, Kommune
from eakte.kommunen.rollen import Rolle


def test_demodaten_sind_idempotent(db, settings):
    settings.DEBUG = True
    call_command("demodaten")
    stand = (Kommune.objects.count(), Benutzer.objects.count())
    call_command("demodaten")
    assert (Kommune.objects.count(), Benutzer.objects.count()) == stand
    assert set(Kommune.objects.values_list("aktenzeichen_praefix", flat=True)) == {
        "ERB",
        "MIC",
        "OBZ",
        "BRO",
    }
    for kommune in Kommune.objects.all():
        rollen = set()
        for person in Benutzer.objects.filter(kommune=kommune):
            rollen |= person.rollen
        assert rollen == set(Rolle), kommune


def test_demodaten_laden_den_muster_aktenplan(db, settings):
    from aktenplan.models import Aktenplan

    settings.DEBUG = True
    call_command("demodaten")
    call_command("demodaten")
    plan = Aktenplan.objects.get(verbund__slug="odenwald")
    assert plan.einheiten.count() >= 250
    assert {e.kennzeichen for e in plan.einheiten.filter(ebene=1)} == {str(n) for n in range(10)}
    assert plan.einheiten.filter(aussonderungsart="A").exists()
    assert plan.einheiten.filter(aufbewahrungsfrist__isnull=True).exists()


def test_demodaten_mit_dienstanweisung_zum_bestaetigen(db, settings):
    from schulung.selectors import zu_bestaetigen

    settings.DEBUG = True
    call_command("demodaten")
    call_command("demodaten")
    person = Benutzer.objects.get(username="sachbearbeitung.oberzent")
    assert [f.dokument.titel for f in zu_bestaetigen(person)] == ["Dienstanweisung E-Akte"]


def test_demo_benutzer_kann_sich_anmelden(client, db, settings):
    settings.DEBUG = True
    call_command("demodaten")
    antwort = client.post(
        "/anmelden/",
        {"username": "sachbearbeitung.michelstadt", "password": settings.DEMO_PASSWORT},
    )
    assert antwort.status_code == 302


def test_demodaten_verweigern_ohne_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="nur mit DEBUG=True"):
        call_command("demodaten")
    assert not Kommune.objects.exists()


def test_demodaten_mit_akten_dokumenten_und_freigabe(db, settings):
    from eakte.akten import dateien, selectors
    from eakte.akten.models import Akte, Version
    from eakte.protokoll.pruefung import kette_pruefen

    settings.DEBUG = True
    call_command("demodaten")
    call_command("demodaten")
    assert Akte.objects.count() == 3
    sb_erbach = Benutzer.objects.get(username="sachbearbeitung.erbach")
    sichtbar = set(selectors.akten_fuer(sb_erbach).values_list("aktenzeichen", flat=True))
    assert any(az.startswith("MIC-") for az in sichtbar)  # shared from Michelstadt
    assert not any(az.startswith("ERB-1.1.05") for az in sichtbar)  # Ordnungsamt's Akte
    version = Version.objects.get(dateiname="Bauantrag Am Wiesengrund 4.pdf")
    with dateien.oeffnen(version.datei) as inhalt:
        assert b"%PDF" in inhalt.read(8)
    assert selectors.faellige_wiedervorlagen(
        sb_erbach, stichtag=timezone.localdate(version.hochgeladen_am)
    )
    for kommune in Kommune.objects.all():
        assert kette_pruefen(kommune.pk)[1] is None
