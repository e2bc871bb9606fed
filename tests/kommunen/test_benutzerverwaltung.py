"""Kommunen-Admins manage the people of their own Kommune, and only theirs."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eakte.kommunen.models import Benutzer
from eakte.kommunen.rollen import Rolle
from eakte.konten import services as konten_services
from tests.hilfen import akteur_von, warten_bis


def _bearbeiten(person):
    return reverse(
        "kommunen:benutzer_bearbeiten", kwargs={"slug": person.kommune.slug, "uuid": person.uuid}
    )


def _daten(**extra):
    daten = {
        "first_name": "Jana",
        "last_name": "Roth",
        "email": "jana.roth@erbach.example",
        "rollen": ["Sachbearbeitung"],
    }
    daten.update(extra)
    return daten


def test_kommunen_admin_legt_person_an(client_als, kommunen_admin, bauamt):
    antwort = client_als(kommunen_admin).post(
        "/kommunen/erbach/benutzer/neu/",
        _daten(username="jana.roth", organisationseinheiten=[bauamt.pk]),
    )
    # named within the Kommune: jana.roth@erbach (a name elsewhere can never collide)
    person = Benutzer.objects.get(username="jana.roth@erbach")
    assert antwort.url == _bearbeiten(person)
    assert person.kommune.slug == "erbach" and person.rollen == {Rolle.SACHBEARBEITUNG}
    assert list(person.organisationseinheiten.all()) == [bauamt]
    assert not person.has_usable_password()


def test_oe_einer_fremden_kommune_ist_nicht_waehlbar(
    client_als, kommunen_admin, ordnungsamt_michelstadt
):
    antwort = client_als(kommunen_admin).post(
        "/kommunen/erbach/benutzer/neu/",
        _daten(username="x.y", organisationseinheiten=[ordnungsamt_michelstadt.pk]),
    )
    assert antwort.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in antwort.content.decode()
    assert "Ordnungsamt" not in antwort.content.decode()
    assert not Benutzer.objects.filter(username="x.y").exists()


def test_kommunen_admin_kann_nicht_verbund_admin_ernennen(
    client_als, kommunen_admin, sachbearbeitung
):
    client = client_als(kommunen_admin)
    seite = client.get(_bearbeiten(sachbearbeitung)).content.decode()
    assert "Verbund-Admin" not in seite
    client.post(_bearbeiten(sachbearbeitung), _daten(rollen=["Verbund-Admin"]))
    sachbearbeitung.refresh_from_db()
    assert Rolle.VERBUND_ADMIN not in Benutzer.objects.get(pk=sachbearbeitung.pk).rollen


def test_sachbearbeitung_darf_nicht_verwalten(client_als, sachbearbeitung, kollegin_andere_oe):
    client = client_als(sachbearbeitung)
    assert client.get("/kommunen/erbach/benutzer/neu/").status_code == 403
    assert client.post(_bearbeiten(kollegin_andere_oe), _daten()).status_code == 403
    assert client.get("/kommunen/erbach/benutzer/import/").status_code == 403


def test_fremder_admin_bekommt_404(client_als, fremder_kommunen_admin, sachbearbeitung):
    client = client_als(fremder_kommunen_admin)
    assert client.get(_bearbeiten(sachbearbeitung)).status_code == 404
    assert client.get("/kommunen/erbach/benutzer/neu/").status_code == 404
    # Their own Kommune's address with a person of Erbach: still 404.
    untergeschoben = f"/kommunen/michelstadt/benutzer/{sachbearbeitung.uuid}/"
    assert client.get(untergeschoben).status_code == 404
    status = f"/kommunen/michelstadt/benutzer/{sachbearbeitung.uuid}/status/"
    assert client.post(status, {"aktion": "deaktivieren"}).status_code == 404
    sachbearbeitung.refresh_from_db()
    assert sachbearbeitung.is_active


def test_deaktivierte_person_kann_sich_nicht_anmelden_und_kein_token_nutzen(
    client_als, kommunen_admin, sachbearbeitung, api_client, client
):
    schluessel = konten_services.api_schluessel_erneuern(akteur=akteur_von(sachbearbeitung))
    client_als(kommunen_admin).post(
        _bearbeiten(sachbearbeitung) + "status/", {"aktion": "deaktivieren"}
    )
    sachbearbeitung.refresh_from_db()
    assert not sachbearbeitung.is_active
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {schluessel}")
    assert api_client.get("/api/v1/benutzer/ich/").status_code == 401
    client.logout()
    from tests.factories import PASSWORT

    assert (
        client.post("/anmelden/", {"username": "sb.erbach", "password": PASSWORT}).status_code
        == 200
    )
    # Still listed (never deleted), marked as deactivated.
    assert (
        "deaktiviert"
        in client_als(kommunen_admin).get("/kommunen/erbach/benutzer/").content.decode()
    )


def test_sich_selbst_deaktivieren_geht_nicht(client_als, kommunen_admin):
    antwort = client_als(kommunen_admin).post(
        _bearbeiten(kommunen_admin) + "status/", {"aktion": "deaktivieren"}, follow=True
    )
    assert "nicht selbst deaktivieren" in antwort.content.decode()
    kommunen_admin.refresh_from_db()
    assert kommunen_admin.is_active


KOPF = "Benutzername;Vorname;Nachname;E-Mail;OE;Rollen"


def _csv(*zeilen):
    return ("\ufeff" + "\r\n".join([KOPF, *zeilen]) + "\r\n").encode()


def test_csv_import_probelauf_zeigt_jede_schlechte_zeile(
    client_als, kommunen_admin, bauamt, sachbearbeitung
):
    datei = _csv(
        "a.meier;Anna;Meier;a.meier@erbach.example;BA;Sachbearbeitung",
        "b.kraus;Bernd;Kraus;b.kraus@erbach.example;XX;Sachbearbeitung",
        "c.vogt;Clara;Vogt;a.meier@erbach.example;BA;Sachbearbeitung",
        "d.lenz;Dirk;Lenz;d.lenz@erbach.example;BA;Chef",
        "e.sommer;Eva;Sommer;sb.erbach@test.invalid;BA;Sachbearbeitung",
    )
    antwort = client_als(kommunen_admin).post(
        "/kommunen/erbach/benutzer/import/", {"datei": SimpleUploadedFile("leute.csv", datei)}
    )
    fehler = antwort.context["ergebnis"].fehler
    assert fehler == [
        "Zeile 3: unbekannte Organisationseinheit „XX“.",
        "Zeile 4: E-Mail „a.meier@erbach.example“ doppelt (auch Zeile 2).",
        "Zeile 5: unbekannte Rolle „Chef“.",
        "Zeile 6: E-Mail „sb.erbach@test.invalid“ gehört schon zu einem Konto dieser Kommune.",
    ]
    assert not Benutzer.objects.filter(username="a.meier").exists()


def test_csv_import_falsche_kodierung(client_als, kommunen_admin, bauamt):
    datei = (KOPF + "\r\nj.müller;Jörg;Müller;j@erbach.example;BA;Sachbearbeitung\r\n").encode(
        "cp1252"
    )
    antwort = client_als(kommunen_admin).post(
        "/kommunen/erbach/benutzer/import/", {"datei": SimpleUploadedFile("ad.csv", datei)}
    )
    assert "Zeile 2: Die Datei ist nicht UTF-8-kodiert" in antwort.context["ergebnis"].fehler[0]


def test_csv_import_nach_korrektur_legt_alle_an(client_als, kommunen_admin, bauamt, hauptamt):
    zeilen = [
        f"p{n}.test;Vor{n};Nach{n};p{n}@erbach.example;BA,HA;Sachbearbeitung" for n in range(50)
    ]
    client = client_als(kommunen_admin)
    probe = client.post(
        "/kommunen/erbach/benutzer/import/", {"datei": SimpleUploadedFile("l.csv", _csv(*zeilen))}
    )
    assert probe.context["ergebnis"].ok and len(probe.context["ergebnis"].neu) == 50
    assert not Benutzer.objects.filter(username="p0.test").exists()
    client.post(
        "/kommunen/erbach/benutzer/import/uebernehmen/", {"schluessel": probe.context["schluessel"]}
    )
    neue = Benutzer.objects.filter(username__endswith=".test@erbach")
    assert neue.count() == 50
    assert set(neue[0].organisationseinheiten.values_list("kuerzel", flat=True)) == {"BA", "HA"}


@pytest.mark.worker
def test_passwort_link_kommt_per_mail_und_funktioniert(
    transactional_db, celery_worker_prozess, kommunen_admin, sachbearbeitung, client
):
    client.force_login(kommunen_admin)
    antwort = client.post(_bearbeiten(sachbearbeitung) + "passwort-link/", follow=True)
    assert "Ein Link zum Festlegen des Passworts geht an" in antwort.content.decode()
    # other tests' mails share the session's mailbox; the file backend creates the file first
    mails = warten_bis(
        lambda: [
            text
            for datei in celery_worker_prozess.postfach.iterdir()
            if "/passwort/neu/" in (text := datei.read_text())
            and "To: sb.erbach@test.invalid" in text
        ],
        sekunden=30,
        was=lambda: celery_worker_prozess.log.read_text()[-2000:],
    )
    mail = mails[0]
    link = re.search(r"http://testserver(/passwort/neu/\S+/)", mail).group(1)
    client.logout()
    seite = client.get(link, follow=True)
    assert seite.context["validlink"]
    client.post(
        seite.redirect_chain[-1][0],
        {"new_password1": "Ganz-Neues-Pw-42", "new_password2": "Ganz-Neues-Pw-42"},
    )
    sachbearbeitung.refresh_from_db()
    assert sachbearbeitung.check_password("Ganz-Neues-Pw-42")


def test_api_anlegen_aendern_deaktivieren(api_als, kommunen_admin, bauamt, hauptamt):
    client = api_als(kommunen_admin)
    antwort = client.post(
        "/api/v1/benutzer/",
        {
            "username": "api.person",
            "email": "api@erbach.example",
            "rollen": ["Sachbearbeitung"],
            "organisationseinheiten": ["BA"],
        },
        format="json",
    )
    assert antwort.status_code == 201, antwort.json()
    kennung = antwort.json()["uuid"]
    antwort = client.patch(
        f"/api/v1/benutzer/{kennung}/",
        {
            "email": "api@erbach.example",
            "first_name": "Api",
            "rollen": ["Sachbearbeitung", "Kommunen-Admin"],
            "organisationseinheiten": ["HA"],
        },
        format="json",
    )
    assert antwort.json()["rollen"] == ["Kommunen-Admin", "Sachbearbeitung"]
    assert antwort.json()["organisationseinheiten"] == [str(hauptamt.uuid)]
    assert client.post(f"/api/v1/benutzer/{kennung}/deaktivieren/").json()["is_active"] is False


def test_api_verwaltung_ist_mandantengetrennt(
    api_als, fremder_kommunen_admin, sachbearbeitung, kommunen_admin, ordnungsamt_michelstadt
):
    fremd = api_als(fremder_kommunen_admin)
    assert fremd.post(f"/api/v1/benutzer/{sachbearbeitung.uuid}/deaktivieren/").status_code == 404
    antwort = fremd.post(
        "/api/v1/benutzer/",
        {"username": "x.erbach", "email": "x@e.example", "kommune": "erbach"},
        format="json",
    )
    assert antwort.status_code == 404
    eigen = api_als(kommunen_admin).post(
        "/api/v1/benutzer/",
        {
            "username": "y.erbach",
            "email": "y@e.example",
            "organisationseinheiten": ["OA"],
        },
        format="json",
    )
    assert eigen.status_code == 400 and "Unbekannte OE: OA" in str(eigen.json())
    sachbearbeitung.refresh_from_db()
    assert sachbearbeitung.is_active


def test_api_sachbearbeitung_darf_nicht_anlegen(api_als, sachbearbeitung):
    antwort = api_als(sachbearbeitung).post(
        "/api/v1/benutzer/", {"username": "z", "email": "z@e.example"}, format="json"
    )
    assert antwort.status_code == 403


def test_api_csv_import(api_als, kommunen_admin, bauamt):
    client = api_als(kommunen_admin)
    datei = _csv(
        "q.test;Q;T;q@erbach.example;BA;Sachbearbeitung",
        "r.test;R;T;r@erbach.example;XX;Sachbearbeitung",
    )
    antwort = client.post(
        "/api/v1/benutzer/import/",
        {"datei": SimpleUploadedFile("l.csv", datei)},
        format="multipart",
    )
    assert antwort.status_code == 400
    assert antwort.json()["fehler"] == ["Zeile 3: unbekannte Organisationseinheit „XX“."]
    datei = _csv("q.test;Q;T;q@erbach.example;BA;Sachbearbeitung")
    antwort = client.post(
        "/api/v1/benutzer/import/",
        {"datei": SimpleUploadedFile("l.csv", datei), "probelauf": "false"},
        format="multipart",
    )
    assert antwort.json()["angewendet"]
    assert Benutzer.objects.filter(username="q.test@erbach").exists()


def test_import_verraet_keine_adressen_anderer_kommunen(
    client_als, kommunen_admin, bauamt, fremde_sachbearbeitung
):
    datei = _csv("neu.person;N;P;sb.michelstadt@test.invalid;BA;Sachbearbeitung")
    antwort = client_als(kommunen_admin).post(
        "/kommunen/erbach/benutzer/import/", {"datei": SimpleUploadedFile("l.csv", datei)}
    )
    assert antwort.context["ergebnis"].ok
    assert "michelstadt" not in antwort.content.decode().replace("sb.michelstadt@test.invalid", "")


def test_benutzername_verraet_nichts_ueber_andere_kommunen(
    client_als, kommunen_admin, fremde_sachbearbeitung, bauamt
):
    """A name held by a person of Michelstadt is no obstacle and no hint in Erbach: new names
    carry the Kommune (…@erbach), so the answer is the same as for a name nobody has."""
    client = client_als(kommunen_admin)
    vergeben = client.post(
        "/kommunen/erbach/benutzer/neu/", _daten(username=fremde_sachbearbeitung.username)
    )
    frei = client.post(
        "/kommunen/erbach/benutzer/neu/",
        _daten(username="niemand.sonst", email="niemand@erbach.example"),
    )
    assert vergeben.status_code == frei.status_code == 302
    neu = Benutzer.objects.get(username=f"{fremde_sachbearbeitung.username}@erbach")
    assert neu.kommune.slug == "erbach"
    assert "vergeben" not in client.get(vergeben.url).content.decode()
    # a name of the own Kommune is named as taken; another Kommune's suffix is refused as such
    wieder = client.post(
        "/kommunen/erbach/benutzer/neu/",
        _daten(username=fremde_sachbearbeitung.username, email="x@erbach.example"),
    )
    assert "schon vergeben" in wieder.content.decode()
    fremd = client.post("/kommunen/erbach/benutzer/neu/", _daten(username="jemand@michelstadt"))
    assert "endet auf „@erbach“" in fremd.content.decode()


def test_import_benennt_in_der_kommune(client_als, kommunen_admin, fremde_sachbearbeitung, bauamt):
    datei = _csv(f"{fremde_sachbearbeitung.username};A;B;ab@erbach.example;BA;Sachbearbeitung")
    antwort = client_als(kommunen_admin).post(
        "/kommunen/erbach/benutzer/import/", {"datei": SimpleUploadedFile("l.csv", datei)}
    )
    assert antwort.context["ergebnis"].ok
