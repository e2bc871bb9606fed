"""Done-when of issue 20 in Chromium: an Erbach clerk signs in with the directory account and
gets role and OE from AD groups; a Michelstadt clerk signs in through the OIDC provider; a
Kommunen-Admin must enter a TOTP code; a person removed from the directory is deactivated at
the next sync."""

import re

import pytest
from django.core.cache import cache
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from eakte.identitaet.models import Anmelderichtlinie
from eakte.identitaet.tasks import verzeichnisse_abgleichen
from eakte.kommunen.models import Benutzer
from tests.factories import PASSWORT
from tests.identitaet import anbieter as a
from tests.identitaet import verzeichnis as v
from tests.identitaet.conftest import ldap_einrichten, oidc_einrichten


@pytest.fixture
def slapd(tmp_path):
    laufend = v.starten(tmp_path / "slapd")
    yield laufend
    laufend.stoppen()


def _ldap_anmelden(page, live_server, name, passwort=v.PERSONEN_PASSWORT):
    page.goto(f"{live_server.url}/anmelden/")
    page.get_by_label("Benutzername").fill(name)
    page.get_by_label("Passwort").fill(passwort)
    page.get_by_role("button", name="Anmelden", exact=True).click()


def test_sachbearbeitung_erbach_mit_verzeichniskonto_und_abgleich(
    page, live_server, erbach, bauamt, kommunen_admin, slapd, barrierefrei
):
    ldap_einrichten(erbach, kommunen_admin, slapd.uri, oe=bauamt)
    _ldap_anmelden(page, live_server, "mmuster@erbach")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guten Tag")
    person = Benutzer.objects.get(username="mmuster@erbach")
    assert {str(r) for r in person.rollen} == {"Sachbearbeitung"}
    page.get_by_role("link", name="Meine Kommune").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erbach")
    assert list(person.organisationseinheiten.all()) == [bauamt]
    page.get_by_role("button", name="Abmelden").click()

    # Maria leaves the town hall: removed from the directory, deactivated at the next sync
    slapd.ldif(f"dn: {v.person_dn('mmuster')}\nchangetype: delete\n")
    assert verzeichnisse_abgleichen.apply().get()["erbach"]["deaktiviert"] == 1
    assert not Benutzer.objects.get(username="mmuster@erbach").is_active
    _ldap_anmelden(page, live_server, "mmuster@erbach")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/anmelden/$"))


def test_sachbearbeitung_michelstadt_ueber_oidc(
    page,
    live_server,
    michelstadt,
    ordnungsamt_michelstadt,
    fremder_kommunen_admin,
    tmp_path,
    barrierefrei,
):
    cache.clear()
    anbieter = a.starten(tmp_path / "oidc", [f"{live_server.url}/anmelden/oidc/rueckkehr/"])
    try:
        oidc_einrichten(michelstadt, fremder_kommunen_admin, anbieter.issuer)
        page.goto(f"{live_server.url}/anmelden/")
        barrierefrei(page)
        page.get_by_role("link", name="Anmelden mit Michelstadt").click()
        expect(page.get_by_role("heading", name="Anmeldedienst Michelstadt")).to_be_visible()
        page.get_by_label("Benutzername").fill(a.PERSON["name"])
        page.get_by_label("Passwort").fill(a.PERSON["passwort"])
        page.get_by_role("button", name="Weiter").click()
        page.wait_for_url(f"{live_server.url}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Guten Tag")
    finally:
        anbieter.stoppen()
    person = Benutzer.objects.get(username="jschmidt@michelstadt")
    assert person.kommune == michelstadt
    assert {str(r) for r in person.rollen} == {"Sachbearbeitung"}


def test_kommunen_admin_muss_totp_code_eingeben(page, live_server, kommunen_admin, barrierefrei):
    Anmelderichtlinie.objects.create(verbund=kommunen_admin.kommune.verbund)
    geraet = TOTPDevice.objects.create(user=kommunen_admin, name="App", confirmed=True)
    _ldap_anmelden(page, live_server, kommunen_admin.username, PASSWORT)
    expect(page.get_by_role("heading", name="Zweiter Faktor")).to_be_visible()
    barrierefrei(page)
    # no page before the code
    page.goto(f"{live_server.url}/kommunen/erbach/benutzer/")
    expect(page.get_by_role("heading", name="Zweiter Faktor")).to_be_visible()
    page.get_by_label("Code").fill("000000" if totp(geraet.bin_key) != 0 else "111111")
    page.get_by_role("button", name="Bestätigen").click()
    expect(page.get_by_text("Dieser Code stimmt nicht")).to_be_visible()
    page.wait_for_timeout(1500)  # django-otp slows down guessing: 1 s after one wrong code
    page.get_by_label("Code").fill(f"{totp(geraet.bin_key):06d}")
    page.get_by_role("button", name="Bestätigen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Benutzer")


def test_kommunen_admin_richtet_verzeichnis_im_browser_ein(
    anmelden, live_server, kommunen_admin, bauamt, slapd, barrierefrei
):
    page = anmelden(kommunen_admin.username)
    page.goto(f"{live_server.url}/kommunen/erbach/")
    page.get_by_role("link", name="Anmeldung einrichten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung der Kommune Erbach")
    barrierefrei(page)
    page.get_by_label("Art", exact=True).select_option("ldap")
    page.get_by_label("Server-URI").fill(slapd.uri)
    page.get_by_label("Bind-DN (Dienstkonto)").fill(v.DIENST_DN)
    page.get_by_label("Bind-Passwort", exact=True).fill(v.DIENST_PASSWORT)
    page.get_by_label("Suchbasis für Personen").fill(f"ou=personen,{v.BASIS}")
    page.get_by_label("Suchbasis für Gruppen").fill(v.GRUPPEN)
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Die Anmeldung der Kommune ist gespeichert.")).to_be_visible()
    expect(page.get_by_label("Bind-Passwort", exact=True)).to_have_value("")
    page.get_by_label("Gruppe", exact=True).fill(v.gruppe_dn("GG-Bauamt"))
    page.get_by_label("Rolle", exact=True).select_option("Sachbearbeitung")
    page.get_by_label("Organisationseinheit", exact=True).select_option(label=str(bauamt))
    page.get_by_role("button", name="Zuordnung anlegen").click()
    expect(page.get_by_role("table")).to_contain_text("GG-Bauamt")
    barrierefrei(page)
    # a group of another Kommune's directory is refused
    page.get_by_label("Gruppe", exact=True).fill("cn=GG-Bauamt,ou=gruppen,dc=michelstadt")
    page.get_by_label("Rolle", exact=True).select_option("Sachbearbeitung")
    page.get_by_role("button", name="Zuordnung anlegen").click()
    expect(page.get_by_text("nicht unter der Gruppen-Suchbasis")).to_be_visible()
    # the clerk without a mapped group is told whom to ask
    page.get_by_role("button", name="Abmelden").click()
    _ldap_anmelden(page, live_server, "kkeiner@erbach")
    expect(page.get_by_role("heading", level=1)).to_contain_text("noch keine Rolle")
    expect(page.locator("main")).to_contain_text(kommunen_admin.email)
    barrierefrei(page)
