"""Invitations: who may send them, who gets one, the Protokoll, the list page and the API."""

import pytest

from eakte.kommunen import services
from eakte.protokoll.models import Aktion, Protokolleintrag
from tests.factories import BenutzerFactory
from tests.hilfen import akteur_von


@pytest.fixture
def neue(erbach):
    personen = [BenutzerFactory(kommune=erbach, username=f"neu{n}") for n in range(3)]
    for person in personen:
        person.set_unusable_password()
        person.save()
    return personen


def test_einladung_offen_bis_zum_eigenen_passwort(neue, sachbearbeitung):
    assert neue[0].einladung_offen
    assert not sachbearbeitung.einladung_offen  # has a password


def test_einladen_protokolliert_und_meldet_ohne_email(
    kommunen_admin, neue, django_capture_on_commit_callbacks
):
    neue[1].email = ""
    neue[1].save()
    neue[2].is_active = False
    neue[2].save()
    with django_capture_on_commit_callbacks() as rueckrufe:
        ergebnis = services.einladungen_senden(
            akteur=akteur_von(kommunen_admin), personen=neue, basis_url="http://x/"
        )
    assert ergebnis.gesendet == [neue[0]]
    assert ergebnis.ohne_email == [neue[1]] and ergebnis.inaktiv == [neue[2]]
    assert len(rueckrufe) == 1
    eintrag = Protokolleintrag.objects.get(aktion=Aktion.PASSWORT_LINK)
    assert eintrag.beschreibung == "Einladung an neu0 gesendet"
    assert eintrag.details["art"] == "einladung"


def test_fremde_duerfen_nicht_einladen(fremder_kommunen_admin, sachbearbeitung, neue):
    from django.core.exceptions import PermissionDenied

    for akteur in (fremder_kommunen_admin, sachbearbeitung):
        with pytest.raises(PermissionDenied):
            services.einladungen_senden(
                akteur=akteur_von(akteur), personen=neue, basis_url="http://x/"
            )
    assert not Protokolleintrag.objects.filter(aktion=Aktion.PASSWORT_LINK).exists()


def test_liste_zeigt_offene_einladungen_und_sendet_sammelweise(client_als, kommunen_admin, neue):
    client = client_als(kommunen_admin)
    liste = client.get("/kommunen/erbach/benutzer/").content.decode()
    assert liste.count('<span class="marke-klein">Einladung offen</span>') == 3
    antwort = client.post(
        "/kommunen/erbach/benutzer/einladen/",
        {"personen": [str(neue[0].uuid), str(neue[1].uuid), "kein-uuid"]},
        follow=True,
    )
    assert "Einladungen wurden an 2 Personen gesendet." in antwort.content.decode()
    alle = client.post("/kommunen/erbach/benutzer/einladen/", {"alle_offenen": "1"}, follow=True)
    assert "Einladungen wurden an 3 Personen gesendet." in alle.content.decode()


def test_andere_kommune_kann_nicht_einladen(client_als, fremder_kommunen_admin, neue):
    antwort = client_als(fremder_kommunen_admin).post(
        "/kommunen/erbach/benutzer/einladen/", {"personen": [str(neue[0].uuid)]}
    )
    assert antwort.status_code == 404
    assert not Protokolleintrag.objects.filter(aktion=Aktion.PASSWORT_LINK).exists()


def test_api_einladen(api_als, kommunen_admin, fremder_kommunen_admin, neue):
    client = api_als(kommunen_admin)
    antwort = client.post(
        "/api/v1/benutzer/einladen/", {"benutzer": [str(neue[0].uuid)]}, format="json"
    )
    assert antwort.status_code == 200 and antwort.json()["gesendet"] == ["neu0"]
    alle = client.post("/api/v1/benutzer/einladen/", {"alle_offenen": True}, format="json")
    assert sorted(alle.json()["gesendet"]) == ["neu0", "neu1", "neu2"]
    fremd = api_als(fremder_kommunen_admin).post(
        "/api/v1/benutzer/einladen/", {"benutzer": [str(neue[0].uuid)]}, format="json"
    )
    assert fremd.status_code == 404
