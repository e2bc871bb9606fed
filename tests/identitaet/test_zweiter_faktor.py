"""TOTP for local admin accounts (django-otp): set-up with recovery codes, the code after the
password, the Verbund's rule, directory accounts and other roles unaffected."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from eakte.identitaet.models import Anmelderichtlinie
from tests.factories import PASSWORT

pytestmark = pytest.mark.django_db


@pytest.fixture
def pflicht(verbund):
    return Anmelderichtlinie.objects.create(verbund=verbund, zwei_faktor_fuer_admins=True)


def _code(geraet) -> str:
    return f"{totp(geraet.bin_key, geraet.step, geraet.t0, geraet.digits, geraet.drift):06d}"


def test_einrichten_mit_wiederherstellungscodes(client, kommunen_admin, pflicht):
    client.post("/anmelden/", {"username": kommunen_admin.username, "password": PASSWORT})
    antwort = client.get("/kommunen/erbach/benutzer/")
    assert antwort.status_code == 302 and antwort.url.startswith("/anmelden/zweiter-faktor/")
    antwort = client.get(antwort.url)
    assert antwort.url.startswith("/konto/zweiter-faktor/")
    seite = client.get(antwort.url).content.decode()
    assert "Schlüssel:" in seite
    assert client.get("/konto/zweiter-faktor/qr.svg")["Content-Type"] == "image/svg+xml"
    geraet = TOTPDevice.objects.get(user=kommunen_admin, confirmed=False)
    antwort = client.post("/konto/zweiter-faktor/", {"code": _code(geraet), "next": "/"})
    codes_seite = client.get(antwort.url).content.decode()
    codes = re.findall(r'<li class="code">(\w+)</li>', codes_seite)
    assert len(codes) == 10
    assert client.get("/kommunen/erbach/benutzer/").status_code == 200
    # new codes replace the old ones
    client.post("/konto/zweiter-faktor/codes/")
    neue = re.findall(
        r'<li class="code">(\w+)</li>', client.get("/konto/zweiter-faktor/").content.decode()
    )
    assert len(neue) == 10 and not set(neue) & set(codes)
    codes = neue
    # the next sign-in: a recovery code works once
    client.logout()
    client.post("/anmelden/", {"username": kommunen_admin.username, "password": PASSWORT})
    assert client.get("/").status_code == 302
    antwort = client.post("/anmelden/zweiter-faktor/", {"code": codes[0], "next": "/"})
    assert antwort.status_code == 302 and antwort.url == "/"
    assert client.get("/").status_code == 200
    client.logout()
    client.post("/anmelden/", {"username": kommunen_admin.username, "password": PASSWORT})
    antwort = client.post("/anmelden/zweiter-faktor/", {"code": codes[0], "next": "/"})
    assert "Dieser Code stimmt nicht" in antwort.content.decode()


def test_ohne_richtlinie_standard_der_installation(client, kommunen_admin, settings):
    settings.EAKTE_ZWEI_FAKTOR_PFLICHT = True
    client.force_login(kommunen_admin)
    assert client.get("/").status_code == 302
    settings.EAKTE_ZWEI_FAKTOR_PFLICHT = False
    assert client.get("/").status_code == 200


def test_sachbearbeitung_und_api_ohne_zweiten_faktor(
    client, api_als, sachbearbeitung, kommunen_admin, pflicht
):
    client.force_login(sachbearbeitung)
    assert client.get("/").status_code == 200
    assert api_als(kommunen_admin).get("/api/v1/benutzer/").status_code == 200


def test_api_mit_sitzung_erst_nach_dem_code(client, kommunen_admin, pflicht):
    client.force_login(kommunen_admin)
    antwort = client.get("/api/v1/benutzer/")
    assert antwort.status_code == 403
    assert "zweiten Faktor" in antwort.json()["detail"]


def test_seitenteile_vor_dem_code_werden_abgelehnt_nicht_umgeleitet(
    client, kommunen_admin, pflicht
):
    """htmx parts of a page (the Postkorb count in the header) get a 403 that htmx does not
    swap in; a redirect would put the whole code page into the header."""
    client.force_login(kommunen_admin)
    antwort = client.get("/geschaeftsgang/postkorb/anzahl/", headers={"HX-Request": "true"})
    assert antwort.status_code == 403
    assert "zweiten Faktor" in antwort.content.decode()
    assert client.get("/").status_code == 302


def test_richtlinie_aus(client, kommunen_admin, verbund):
    Anmelderichtlinie.objects.create(verbund=verbund, zwei_faktor_fuer_admins=False)
    client.force_login(kommunen_admin)
    assert client.get("/").status_code == 200
