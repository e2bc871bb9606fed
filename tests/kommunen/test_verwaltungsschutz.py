"""What outside probes found in the user administration (issue 14), each closed.

- A Kommunen-Admin could take apart the Verbund-Admin of their own Kommune.
- A Kommunen-Admin could grant themselves roles that reach beyond the Kommune.
- PATCH /api/v1/benutzer/{uuid}/ with only an e-mail wiped roles, OEs and names.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eakte.kommunen import services
from eakte.kommunen.models import Benutzer
from eakte.kommunen.rollen import Rolle
from eakte.kommunen.services import benutzerimport
from eakte.protokoll.models import Aktion, Protokolleintrag
from tests.hilfen import akteur_von


def _seite(person):
    return reverse(
        "kommunen:benutzer_bearbeiten", kwargs={"slug": person.kommune.slug, "uuid": person.uuid}
    )


def _frisch(person) -> Benutzer:
    return Benutzer.objects.get(pk=person.pk)


# --- the Verbund-Admin of one's own Kommune ---------------------------------------------------


def test_kommunen_admin_aendert_verbund_admin_nicht_im_browser(
    client_als, kommunen_admin, verbund_admin
):
    client = client_als(kommunen_admin)
    antwort = client.post(
        _seite(verbund_admin),
        {"email": "angreifer@example.invalid", "rollen": ["Sachbearbeitung"]},
    )
    assert antwort.status_code == 403
    assert (
        client.post(_seite(verbund_admin) + "status/", {"aktion": "deaktivieren"}).status_code
        == 403
    )
    assert client.post(_seite(verbund_admin) + "passwort-link/").status_code == 403
    person = _frisch(verbund_admin)
    assert person.email == "verbundadmin.erbach@test.invalid"
    assert person.is_active and person.rollen == {Rolle.VERBUND_ADMIN}
    assert not Protokolleintrag.objects.filter(objekt_uuid=verbund_admin.uuid).exists()


def test_kommunen_admin_reaktiviert_deaktivierten_verbund_admin_nicht(
    client_als, kommunen_admin, verbund_admin
):
    verbund_admin.is_active = False
    verbund_admin.save()
    antwort = client_als(kommunen_admin).post(
        _seite(verbund_admin) + "status/", {"aktion": "aktivieren"}
    )
    assert antwort.status_code == 403
    assert not _frisch(verbund_admin).is_active


def test_kommunen_admin_aendert_verbund_admin_nicht_per_api(api_als, kommunen_admin, verbund_admin):
    client = api_als(kommunen_admin)
    url = f"/api/v1/benutzer/{verbund_admin.uuid}/"
    assert client.patch(url, {"email": "x@example.invalid"}, format="json").status_code == 403
    assert client.post(url + "deaktivieren/").status_code == 403
    assert _frisch(verbund_admin).email == "verbundadmin.erbach@test.invalid"
    assert _frisch(verbund_admin).is_active


def test_service_verweigert_kommunen_admin_den_verbund_admin(kommunen_admin, verbund_admin):
    for aufruf in (
        lambda: services.benutzer_aendern(
            akteur=akteur_von(kommunen_admin), benutzer=verbund_admin, email="x@example.invalid"
        ),
        lambda: services.benutzer_deaktivieren(
            akteur=akteur_von(kommunen_admin), benutzer=verbund_admin
        ),
        lambda: services.passwort_link_anfordern(
            akteur=akteur_von(kommunen_admin), benutzer=verbund_admin, basis_url="http://x/"
        ),
    ):
        with pytest.raises(PermissionDenied):
            aufruf()


def test_verbund_admin_aendert_verbund_admin(verbund_admin, erbach, hauptamt):
    zweiter = Benutzer.objects.create(kommune=erbach, username="va2.erbach", email="a@b.invalid")
    services.benutzer_rollen_setzen(benutzer=zweiter, rollen=[Rolle.VERBUND_ADMIN])
    services.benutzer_aendern(
        akteur=akteur_von(verbund_admin), benutzer=zweiter, email="neu@erbach.invalid"
    )
    assert _frisch(zweiter).email == "neu@erbach.invalid"
    assert _frisch(zweiter).rollen == {Rolle.VERBUND_ADMIN}


def test_personen_mit_verbundweiter_rolle_aendert_nur_ein_verbund_admin(
    client_als, api_als, kommunen_admin, verbund_admin, erbach, bauamt
):
    """Whoever could change their e-mail and send the password link could act with their role:
    a Kommunen-Admin would get through the account what they may not grant."""
    person = Benutzer.objects.create(kommune=erbach, username="ds2.erbach", email="d@e.invalid")
    services.benutzer_rollen_setzen(benutzer=person, rollen=[Rolle.DATENSCHUTZ])
    assert client_als(kommunen_admin).get(_seite(person)).status_code == 403
    antwort = client_als(kommunen_admin).post(
        _seite(person), {"email": "neu@erbach.invalid", "rollen": ["Sachbearbeitung"]}
    )
    assert antwort.status_code == 403
    antwort = api_als(kommunen_admin).patch(
        f"/api/v1/benutzer/{person.uuid}/", {"email": "neu@erbach.invalid"}, format="json"
    )
    assert antwort.status_code == 403
    assert _frisch(person).email == "d@e.invalid"
    assert _frisch(person).rollen == {Rolle.DATENSCHUTZ}
    antwort = client_als(verbund_admin).post(
        _seite(person),
        {"email": "neu@erbach.invalid", "rollen": ["Datenschutz", "Sachbearbeitung"]},
    )
    assert antwort.status_code == 302
    assert _frisch(person).rollen == {Rolle.DATENSCHUTZ, Rolle.SACHBEARBEITUNG}


def test_rollen_die_der_akteur_nicht_vergibt_bleiben_im_dienst(kommunen_admin, erbach):
    """The service keeps roles the actor may not grant as they are (the page offers only the
    grantable ones); asked directly for a person it may edit, nothing beyond is added."""
    person = Benutzer.objects.create(kommune=erbach, username="sb9.erbach", email="s@e.invalid")
    services.benutzer_rollen_setzen(benutzer=person, rollen=[Rolle.SACHBEARBEITUNG])
    with pytest.raises(ValidationError):
        services.benutzer_aendern(
            akteur=akteur_von(kommunen_admin), benutzer=person, rollen=[Rolle.DATENSCHUTZ]
        )
    assert _frisch(person).rollen == {Rolle.SACHBEARBEITUNG}


# --- roles beyond the Kommune, and one's own roles ---------------------------------------------


@pytest.mark.parametrize("rolle", ["Schulung", "Digitallotse", "Datenschutz", "Verbund-Admin"])
def test_kommunen_admin_gibt_sich_keine_verbundweite_rolle(
    client_als, api_als, kommunen_admin, rolle
):
    antwort = client_als(kommunen_admin).post(
        _seite(kommunen_admin),
        {"email": "admin@erbach.invalid", "rollen": ["Kommunen-Admin", rolle]},
    )
    assert antwort.status_code == 200  # the form shows the error
    assert "Bitte eine gültige Auswahl treffen" in antwort.content.decode()
    antwort = api_als(kommunen_admin).patch(
        f"/api/v1/benutzer/{kommunen_admin.uuid}/",
        {"rollen": ["Kommunen-Admin", rolle]},
        format="json",
    )
    assert antwort.status_code == 400
    assert _frisch(kommunen_admin).rollen == {Rolle.KOMMUNEN_ADMIN}


def test_kommunen_admin_vergibt_verbundweite_rollen_auch_anderen_nicht(
    api_als, kommunen_admin, sachbearbeitung, bauamt
):
    with pytest.raises(ValidationError, match="nur ein Verbund-Admin"):
        services.benutzer_aendern(
            akteur=akteur_von(kommunen_admin),
            benutzer=sachbearbeitung,
            rollen=[Rolle.SACHBEARBEITUNG, Rolle.SCHULUNG],
        )
    with pytest.raises(ValidationError, match="nur ein Verbund-Admin"):
        services.benutzer_anlegen(
            akteur=akteur_von(kommunen_admin),
            kommune=sachbearbeitung.kommune,
            username="neu.erbach",
            email="neu@erbach.invalid",
            rollen=[Rolle.DIGITALLOTSE],
        )
    antwort = api_als(kommunen_admin).post(
        "/api/v1/benutzer/",
        {"username": "neu.erbach", "email": "n@e.invalid", "rollen": ["Datenschutz"]},
        format="json",
    )
    assert antwort.status_code == 400
    assert not Benutzer.objects.filter(username="neu.erbach").exists()


def test_csv_import_vergibt_keine_verbundweiten_rollen(kommunen_admin, erbach, bauamt):
    inhalt = (
        b"Benutzername;Vorname;Nachname;E-Mail;OE;Rollen\n"
        b"lotse.neu;Lea;Lotse;lea@erbach.invalid;BA;Digitallotse\n"
    )
    ergebnis = benutzerimport.benutzer_importieren(
        akteur=akteur_von(kommunen_admin), kommune=erbach, inhalt=inhalt, probelauf=False
    )
    assert ergebnis.fehler == ["Zeile 2: die Rolle „Digitallotse“ dürfen Sie nicht vergeben."]
    assert not Benutzer.objects.filter(username="lotse.neu").exists()


def test_verbund_admin_gibt_sich_selbst_keine_rolle(verbund_admin):
    with pytest.raises(ValidationError, match="Sich selbst Rollen zu geben"):
        services.benutzer_aendern(
            akteur=akteur_von(verbund_admin),
            benutzer=verbund_admin,
            rollen=[Rolle.VERBUND_ADMIN, Rolle.DATENSCHUTZ],
        )
    assert _frisch(verbund_admin).rollen == {Rolle.VERBUND_ADMIN}


def test_verbund_admin_vergibt_verbundweite_rollen(verbund_admin, sachbearbeitung):
    services.benutzer_aendern(
        akteur=akteur_von(verbund_admin),
        benutzer=sachbearbeitung,
        rollen=[Rolle.SACHBEARBEITUNG, Rolle.SCHULUNG],
    )
    assert _frisch(sachbearbeitung).rollen == {Rolle.SACHBEARBEITUNG, Rolle.SCHULUNG}
    eintrag = Protokolleintrag.objects.get(aktion=Aktion.ROLLEN_GEAENDERT)
    assert eintrag.details == {
        "vorher": ["Sachbearbeitung"],
        "nachher": ["Sachbearbeitung", "Schulung"],
    }


# --- PATCH is partial -------------------------------------------------------------------------


def test_patch_nur_mit_email_laesst_den_rest_stehen(api_als, kommunen_admin, sachbearbeitung):
    vorher = _frisch(sachbearbeitung)
    antwort = api_als(kommunen_admin).patch(
        f"/api/v1/benutzer/{sachbearbeitung.uuid}/",
        {"email": "neu@erbach.invalid"},
        format="json",
    )
    assert antwort.status_code == 200, antwort.json()
    nachher = _frisch(sachbearbeitung)
    assert nachher.email == "neu@erbach.invalid"
    assert nachher.first_name == vorher.first_name and nachher.last_name == vorher.last_name
    assert nachher.rollen == {Rolle.SACHBEARBEITUNG}
    assert [oe.kuerzel for oe in nachher.organisationseinheiten.all()] == ["BA"]
    assert antwort.json()["rollen"] == ["Sachbearbeitung"]


def test_patch_mit_leerer_rollenliste_entzieht_die_rollen(api_als, kommunen_admin, sachbearbeitung):
    antwort = api_als(kommunen_admin).patch(
        f"/api/v1/benutzer/{sachbearbeitung.uuid}/", {"rollen": []}, format="json"
    )
    assert antwort.status_code == 200
    assert _frisch(sachbearbeitung).rollen == frozenset()


def test_csv_import_ohne_verbotene_rollen_geht_weiter(client_als, kommunen_admin, bauamt):
    # The import page still works for the Kommune's own roles.
    datei = SimpleUploadedFile(
        "p.csv",
        b"Benutzername;Vorname;Nachname;E-Mail;OE;Rollen\nneu.p;N;P;np@erbach.invalid;BA;"
        b"Sachbearbeitung\n",
    )
    antwort = client_als(kommunen_admin).post("/kommunen/erbach/benutzer/import/", {"datei": datei})
    assert antwort.status_code == 200
    assert antwort.context["ergebnis"].ok


def test_liste_verlinkt_personen_mit_verbundweiter_rolle_nur_fuer_den_verbund_admin(
    client_als, kommunen_admin, verbund_admin, digitallotse, erbach
):
    adresse = reverse("kommunen:benutzer", kwargs={"slug": erbach.slug})
    link = _seite(digitallotse)
    assert link not in client_als(kommunen_admin).get(adresse).content.decode()
    assert link in client_als(verbund_admin).get(adresse).content.decode()
