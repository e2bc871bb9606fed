"""The Verbund-Admin brings a fifth Kommune into the IKZ Odenwald; its new Kommunen-Admin imports
50 people after fixing the two bad lines the dry run showed; one of them logs in and sees the
shared Aktenplan and the Dienstanweisungen for their Kommune."""

import re

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from eakte.kommunen.models import Benutzer
from eakte.kommunen.rollen import Rolle
from tests.conftest import _person
from tests.hilfen import akteur_von

KOPF = "Benutzername;Vorname;Nachname;E-Mail;OE;Rollen"


def _passwort_setzen(page, live_server, benutzername, passwort):
    # The link the password e-mail carries (sending it through Celery is tested elsewhere).
    person = Benutzer.objects.get(username=benutzername)
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    page.goto(f"{live_server.url}/passwort/neu/{uid}/{default_token_generator.make_token(person)}/")
    page.get_by_label("Neues Passwort", exact=True).fill(passwort)
    page.get_by_label("Neues Passwort bestätigen").fill(passwort)
    page.get_by_role("button", name="Passwort speichern").click()
    expect(page).to_have_url(re.compile(r"/anmelden/\?benutzername="))


def test_fuenfte_kommune_aufnehmen_und_leute_importieren(
    anmelden, live_server, verbund_admin, kleiner_plan, barrierefrei, tmp_path, browser, erbach
):
    from schulung import services as schulung_services

    trainer = _person(erbach, "trainer.erbach", [Rolle.SCHULUNG])
    dienstanweisung = schulung_services.dokument_anlegen(
        akteur=akteur_von(trainer),
        art="dienstanweisung",
        titel="Dienstanweisung E-Akte",
        text="Akten werden elektronisch geführt.",
        erfordert_kenntnisnahme=True,
    )
    schulung_services.entwurf_veroeffentlichen(akteur=akteur_von(trainer), dokument=dienstanweisung)

    page = anmelden("verbundadmin.erbach")
    page.goto(f"{live_server.url}/kommunen/")
    page.get_by_role("link", name="Kommune aufnehmen").click()
    barrierefrei(page)
    page.get_by_label("Name der Kommune").fill("Bad König")
    page.get_by_label("Kurzname (für Adressen)").fill("bad-koenig")
    page.get_by_label("Amtlicher Gemeindeschlüssel (AGS)").fill("06437001")
    page.get_by_label("Aktenzeichen-Präfix").fill("BKO")
    page.get_by_label("Organisationseinheiten").fill("HA;Hauptamt\nBA;Bauamt\nOA;Ordnungsamt")
    page.get_by_label("Benutzername des Kommunen-Admins").fill("admin.badkoenig")
    page.get_by_label("E-Mail-Adresse des Kommunen-Admins").fill("admin@bad-koenig.example")
    page.get_by_label("OE des Kommunen-Admins (Kürzel)").fill("HA")
    page.get_by_role("button", name="Weiter zur Übersicht").click()
    aenderungen = page.get_by_role("list", name="Änderungen")
    expect(aenderungen).to_contain_text("Kommune Bad König angelegt")
    expect(aenderungen).to_contain_text("OE OA (Ordnungsamt) angelegt")
    barrierefrei(page)
    page.get_by_role("button", name="Kommune aufnehmen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bad König")

    # The new Kommunen-Admin sets a password and imports 50 people.
    admin_seite = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin").new_page()
    _passwort_setzen(admin_seite, live_server, "admin.badkoenig", "Admin-Passwort-2026")
    admin_seite.get_by_label("Benutzername").fill("admin.badkoenig")
    admin_seite.get_by_label("Passwort").fill("Admin-Passwort-2026")
    admin_seite.get_by_role("button", name="Anmelden").click()
    admin_seite.goto(f"{live_server.url}/kommunen/bad-koenig/benutzer/import/")
    zeilen = [
        f"person{n:02d};Vor{n};Nach{n};person{n:02d}@bad-koenig.example;BA;Sachbearbeitung"
        for n in range(50)
    ]
    zeilen[10] = "person10;Vor10;Nach10;person10@bad-koenig.example;XY;Sachbearbeitung"
    zeilen[20] = "person20;Vor20;Nach20;person19@bad-koenig.example;BA;Sachbearbeitung"
    datei = tmp_path / "leute.csv"
    datei.write_text("\ufeff" + "\r\n".join([KOPF, *zeilen]) + "\r\n", encoding="utf-8")
    admin_seite.get_by_label("CSV-Datei").set_input_files(str(datei))
    admin_seite.get_by_role("button", name="Probelauf starten").click()
    fehler = admin_seite.get_by_role("alert")
    expect(fehler).to_contain_text("Zeile 12: unbekannte Organisationseinheit „XY“.")
    expect(fehler).to_contain_text(
        "Zeile 22: E-Mail „person19@bad-koenig.example“ doppelt (auch Zeile 21)."
    )
    barrierefrei(admin_seite)

    zeilen[10] = zeilen[10].replace(";XY;", ";OA;")
    zeilen[20] = zeilen[20].replace("person19@", "person20@")
    datei.write_text("\ufeff" + "\r\n".join([KOPF, *zeilen]) + "\r\n", encoding="utf-8")
    admin_seite.get_by_role("link", name="Korrigierte Datei hochladen").click()
    admin_seite.get_by_label("CSV-Datei").set_input_files(str(datei))
    admin_seite.get_by_role("button", name="Probelauf starten").click()
    expect(admin_seite.get_by_role("status")).to_contain_text("50 Personen würden angelegt.")
    admin_seite.get_by_role("button", name="Personen anlegen").click()
    expect(admin_seite.get_by_role("table")).to_contain_text("person49")
    assert Benutzer.objects.filter(kommune__slug="bad-koenig").count() == 51

    # One of them logs in and sees the shared Aktenplan.
    person_seite = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin").new_page()
    # imported names carry the Kommune (issue 20: no hint about names in other Kommunen)
    _passwort_setzen(person_seite, live_server, "person07@bad-koenig", "Person-Passwort-2026")
    person_seite.get_by_label("Benutzername").fill("person07@bad-koenig")
    person_seite.get_by_label("Passwort").fill("Person-Passwort-2026")
    person_seite.get_by_role("button", name="Anmelden").click()
    person_seite.get_by_role("link", name="Aktenplan").first.click()
    expect(person_seite.get_by_role("heading", level=1)).to_have_text("Aktenplan IKZ Odenwald")
    expect(person_seite.locator("main")).to_contain_text("Allgemeine Verwaltung")
    # ... and the Dienstanweisungen for their Kommune, to be confirmed.
    person_seite.get_by_role("link", name="Start").click()
    zu_bestaetigen = person_seite.get_by_role("region", name="Zu bestätigen")
    expect(zu_bestaetigen).to_contain_text("Dienstanweisung E-Akte")
