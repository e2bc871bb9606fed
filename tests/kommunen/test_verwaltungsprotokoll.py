"""Every administration action is in the Protokoll of the Kommune it touched, naming who acted
(issue 14). Passwords never appear in it."""

from io import StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from eakte.common.akteur import Anmeldeart
from eakte.kommunen import services
from eakte.kommunen.models import Benutzer, Kommune
from eakte.protokoll.models import Aktion, Protokolleintrag
from tests.hilfen import akteur_von

from .test_aufnahme import BEISPIEL
from .test_aufnehmen_view import FORMULAR


def _seite(person):
    return reverse(
        "kommunen:benutzer_bearbeiten", kwargs={"slug": person.kommune.slug, "uuid": person.uuid}
    )


def _eintrag(aktion, **filter) -> Protokolleintrag:
    return Protokolleintrag.objects.get(aktion=aktion, **filter)


def test_person_anlegen_und_aendern_im_browser(
    client_als, kommunen_admin, erbach, bauamt, hauptamt
):
    client = client_als(kommunen_admin)
    client.post(
        "/kommunen/erbach/benutzer/neu/",
        {
            "username": "jana.roth",
            "email": "jana@erbach.invalid",
            "first_name": "Jana",
            "rollen": ["Sachbearbeitung"],
            "organisationseinheiten": [bauamt.pk],
        },
    )
    person = Benutzer.objects.get(username="jana.roth@erbach")
    angelegt = _eintrag(Aktion.ANGELEGT, objekt_uuid=person.uuid)
    assert angelegt.kommune == erbach and angelegt.benutzer == kommunen_admin
    assert angelegt.anmeldeart == Anmeldeart.SITZUNG and angelegt.ip_adresse == "127.0.0.1"
    assert angelegt.details["rollen"] == ["Sachbearbeitung"]
    assert angelegt.details["organisationseinheiten"] == ["BA"]

    client.post(
        _seite(person),
        {
            "email": "jana.roth@erbach.invalid",
            "first_name": "Jana",
            "last_name": "Roth",
            "rollen": ["Sachbearbeitung", "Kommunen-Admin"],
            "organisationseinheiten": [hauptamt.pk],
        },
    )
    geaendert = _eintrag(Aktion.GEAENDERT, objekt_uuid=person.uuid)
    assert geaendert.benutzer == kommunen_admin and geaendert.kommune == erbach
    assert geaendert.details == {
        "nachname": {"vorher": "", "nachher": "Roth"},
        "email": {"vorher": "jana@erbach.invalid", "nachher": "jana.roth@erbach.invalid"},
        "organisationseinheiten": {"vorher": ["BA"], "nachher": ["HA"]},
    }
    rollen = _eintrag(Aktion.ROLLEN_GEAENDERT, objekt_uuid=person.uuid)
    assert rollen.details == {
        "vorher": ["Sachbearbeitung"],
        "nachher": ["Kommunen-Admin", "Sachbearbeitung"],
    }
    assert "password" not in str(Protokolleintrag.objects.values_list("details", flat=True))


def test_deaktivieren_aktivieren_und_passwort_link(client_als, kommunen_admin, sachbearbeitung):
    client = client_als(kommunen_admin)
    client.post(_seite(sachbearbeitung) + "status/", {"aktion": "deaktivieren"})
    client.post(_seite(sachbearbeitung) + "status/", {"aktion": "aktivieren"})
    client.post(_seite(sachbearbeitung) + "passwort-link/")
    eintraege = Protokolleintrag.objects.filter(objekt_uuid=sachbearbeitung.uuid).order_by(
        "laufnummer"
    )
    assert [(e.aktion, e.benutzer, e.kommune.slug) for e in eintraege] == [
        (Aktion.DEAKTIVIERT, kommunen_admin, "erbach"),
        (Aktion.AKTIVIERT, kommunen_admin, "erbach"),
        (Aktion.PASSWORT_LINK, kommunen_admin, "erbach"),
    ]
    assert eintraege[2].details == {"email": sachbearbeitung.email}


def test_verbund_admin_aendert_person_einer_anderen_kommune_in_deren_kette(
    verbund_admin, fremde_sachbearbeitung, michelstadt
):
    services.benutzer_deaktivieren(
        akteur=akteur_von(verbund_admin), benutzer=fremde_sachbearbeitung
    )
    eintrag = _eintrag(Aktion.DEAKTIVIERT)
    assert eintrag.kommune == michelstadt and eintrag.benutzer == verbund_admin


def test_oe_anlegen_aendern_zusammenlegen(
    kommunen_admin, erbach, bauamt, hauptamt, sachbearbeitung
):
    akteur = akteur_von(kommunen_admin, ip="192.0.2.1")
    oe = services.organisationseinheit_anlegen(
        akteur=akteur, kommune=erbach, name="Kämmerei", kuerzel="KA", parent=hauptamt
    )
    assert _eintrag(Aktion.ANGELEGT, objekt_uuid=oe.uuid).details == {
        "name": "Kämmerei",
        "kuerzel": "KA",
        "uebergeordnet": "HA",
    }
    services.organisationseinheit_aendern(
        akteur=akteur, oe=oe, name="Finanzen", kuerzel="KA", parent=None
    )
    assert _eintrag(Aktion.GEAENDERT, objekt_uuid=oe.uuid).details == {
        "name": {"vorher": "Kämmerei", "nachher": "Finanzen"},
        "uebergeordnet": {"vorher": "HA", "nachher": None},
    }
    services.organisationseinheiten_zusammenlegen(akteur=akteur, quelle=bauamt, ziel=hauptamt)
    eintrag = _eintrag(Aktion.ZUSAMMENGELEGT)
    assert eintrag.kommune == erbach and eintrag.benutzer == kommunen_admin
    assert eintrag.ip_adresse == "192.0.2.1"
    assert eintrag.details == {
        "quelle": "BA",
        "ziel": "HA",
        "mitglieder": ["sb.erbach"],
        "untereinheiten": [],
    }


def test_csv_import(client_als, kommunen_admin, erbach, bauamt):
    client = client_als(kommunen_admin)
    datei = SimpleUploadedFile(
        "p.csv",
        b"Benutzername;Vorname;Nachname;E-Mail;OE;Rollen\nneu.p;N;P;np@erbach.invalid;BA;"
        b"Sachbearbeitung\n",
    )
    antwort = client.post("/kommunen/erbach/benutzer/import/", {"datei": datei})
    assert not Protokolleintrag.objects.filter(aktion=Aktion.IMPORTIERT).exists()  # trial run
    client.post(
        "/kommunen/erbach/benutzer/import/uebernehmen/",
        {"schluessel": antwort.context["schluessel"]},
    )
    eintrag = _eintrag(Aktion.IMPORTIERT)
    assert eintrag.kommune == erbach and eintrag.benutzer == kommunen_admin
    assert eintrag.details == {
        "personen": [{"benutzername": "neu.p@erbach", "rollen": ["Sachbearbeitung"]}]
    }


def test_kommune_aufnehmen_im_browser_nennt_den_verbund_admin(client_als, verbund_admin, verbund):
    client_als(verbund_admin).post("/kommunen/aufnehmen/", {**FORMULAR, "schritt": "aufnehmen"})
    kommune = Kommune.objects.get(slug="bad-koenig")
    eintrag = _eintrag(Aktion.KOMMUNE_AUFGENOMMEN)
    assert eintrag.kommune == kommune and eintrag.benutzer == verbund_admin
    assert "Bad König: Benutzer admin.badkoenig angelegt" in eintrag.details["aenderungen"]


def test_kommunen_einspielen_nennt_das_system(db):
    call_command("kommunen_einspielen", str(BEISPIEL), stdout=StringIO())
    sontra = Kommune.objects.get(slug="sontra")
    eintrag = _eintrag(Aktion.KOMMUNE_AUFGENOMMEN, kommune=sontra)
    assert eintrag.benutzer is None and eintrag.anmeldeart == Anmeldeart.SYSTEM
    assert eintrag.benutzer_name == "System (Kommunen einspielen)"
    assert Protokolleintrag.objects.filter(aktion=Aktion.KOMMUNE_AUFGENOMMEN).count() == 11
    # A second run changes nothing and writes nothing.
    call_command("kommunen_einspielen", str(BEISPIEL), stdout=StringIO())
    assert Protokolleintrag.objects.count() == 11
