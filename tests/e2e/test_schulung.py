"""A trainer publishes a Dienstanweisung for two Kommunen; a clerk of one confirms it, a clerk of
the third never sees it, and the trainer sees the completion table. A Schulungstermin fills up
and moves its waiting list."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from eakte.kommunen.rollen import Rolle
from tests.conftest import _person
from tests.factories import KommuneFactory


def test_dienstanweisung_veroeffentlichen_und_bestaetigen(
    anmelden, live_server, verbund, erbach, michelstadt, sachbearbeitung, barrierefrei, browser
):
    _person(erbach, "trainer.erbach", [Rolle.SCHULUNG])
    oberzent = KommuneFactory(
        verbund=verbund,
        name="Oberzent",
        slug="oberzent",
        ags="06437020",
        aktenzeichen_praefix="OBZ",
    )
    _person(oberzent, "sb.oberzent", [Rolle.SACHBEARBEITUNG])

    page = anmelden("trainer.erbach")
    page.get_by_role("link", name="Dienstanweisung oder Leitfaden schreiben").click()
    page.get_by_label("Art").select_option("dienstanweisung")
    page.get_by_label("Titel").fill("Dienstanweisung E-Akte")
    page.get_by_label("Kenntnisnahme erforderlich").check()
    page.get_by_label("Erbach", exact=True).check()
    page.get_by_label("Michelstadt", exact=True).check()
    page.get_by_label("Text (Markdown)").fill(
        "## Geltung\n\nAlle Vorgänge werden **elektronisch** geführt."
    )
    barrierefrei(page)
    page.get_by_role("button", name="Speichern").click()
    page.get_by_role("button", name="Fassung 1 veröffentlichen").click()
    expect(page.locator("main")).to_contain_text("Fassung 1 ist veröffentlicht.")
    barrierefrei(page)

    clerk = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin").new_page()
    clerk.goto(f"{live_server.url}/anmelden/")
    clerk.get_by_label("Benutzername").fill("sb.erbach")
    clerk.get_by_label("Passwort").fill("Test-Passwort-2026")
    clerk.get_by_role("button", name="Anmelden").click()
    clerk.get_by_role("region", name="Zu bestätigen").get_by_role(
        "link", name="Dienstanweisung E-Akte"
    ).click()
    expect(clerk.locator("article")).to_contain_text("Alle Vorgänge werden elektronisch geführt.")
    barrierefrei(clerk)
    clerk.get_by_role("button", name="Kenntnisnahme bestätigen").click()
    expect(clerk.get_by_role("status").last).to_contain_text("Kenntnisnahme bestätigt am")

    third = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin").new_page()
    third.goto(f"{live_server.url}/anmelden/")
    third.get_by_label("Benutzername").fill("sb.oberzent")
    third.get_by_label("Passwort").fill("Test-Passwort-2026")
    third.get_by_role("button", name="Anmelden").click()
    expect(third.locator("main")).not_to_contain_text("Dienstanweisung E-Akte")
    third.goto(f"{live_server.url}/schulung/")
    expect(third.locator("main")).not_to_contain_text("Dienstanweisung E-Akte")

    page.get_by_role("link", name="Stand der Kenntnisnahme").click()
    tabelle = page.get_by_role("table")
    # Scope: Erbach (clerk and trainer) and Michelstadt (no one there in this test).
    expect(page.locator("main")).to_contain_text("1 von 2 Personen hat bestätigt")
    expect(tabelle).to_contain_text("offen")
    expect(tabelle).not_to_contain_text("Oberzent")
    barrierefrei(page)


def _sitzung(browser, live_server, username):
    seite = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin").new_page()
    seite.goto(f"{live_server.url}/anmelden/")
    seite.get_by_label("Benutzername").fill(username)
    seite.get_by_label("Passwort").fill("Test-Passwort-2026")
    seite.get_by_role("button", name="Anmelden").click()
    seite.wait_for_url(f"{live_server.url}/")
    return seite


def test_schulungstermin_fuellt_sich_und_warteliste_rueckt_nach(
    anmelden,
    live_server,
    erbach,
    sachbearbeitung,
    fremde_sachbearbeitung,
    barrierefrei,
    browser,
):
    _person(erbach, "trainer.erbach", [Rolle.SCHULUNG])
    tag = timezone.localdate() + timedelta(days=14)

    trainer = anmelden("trainer.erbach")
    trainer.goto(f"{live_server.url}/schulung/")
    trainer.get_by_role("link", name="Schulungen und Termine").click()
    trainer.get_by_role("link", name="Neue Schulung").click()
    trainer.get_by_label("Titel").fill("Einführung in die E-Akte")
    trainer.get_by_label("Beschreibung (Markdown)").fill("Akten anlegen, **scannen**, zuordnen.")
    barrierefrei(trainer)
    trainer.get_by_role("button", name="Speichern").click()
    expect(trainer.locator("main")).to_contain_text("wurde angelegt")
    trainer.get_by_role("link", name="Termin hinzufügen").click()
    trainer.get_by_label("Datum", exact=True).fill(tag.isoformat())
    trainer.get_by_label("Beginn (Uhrzeit)").fill("09:00")
    trainer.get_by_label("Ende (Uhrzeit)").fill("12:00")
    trainer.get_by_label("Ort", exact=True).fill("Erbach, Rathaus, Sitzungssaal")
    trainer.get_by_label("Plätze").fill("1")
    barrierefrei(trainer)
    trainer.get_by_role("button", name="Speichern").click()
    expect(trainer.locator("main")).to_contain_text("der einzige Platz ist frei")
    barrierefrei(trainer)
    kurs_url = trainer.url

    clerk_a = _sitzung(browser, live_server, "sb.erbach")
    clerk_a.goto(f"{live_server.url}/schulung/kurse/")
    expect(clerk_a.locator("main")).to_contain_text("der einzige Platz ist frei")
    barrierefrei(clerk_a)
    clerk_a.get_by_role("link", name="Einführung in die E-Akte").click()
    clerk_a.get_by_role("button", name=re.compile("^Anmelden")).click()
    expect(clerk_a.get_by_role("status")).to_contain_text("Sie sind angemeldet.")
    expect(clerk_a.get_by_role("table")).to_contain_text("angemeldet")
    barrierefrei(clerk_a)

    clerk_b = _sitzung(browser, live_server, "sb.michelstadt")
    clerk_b.goto(kurs_url)
    expect(clerk_b.get_by_role("table")).to_contain_text("ausgebucht – Warteliste")
    clerk_b.get_by_role("button", name=re.compile("^Auf die Warteliste")).click()
    expect(clerk_b.get_by_role("status")).to_contain_text("auf Platz 1")
    expect(clerk_b.get_by_role("table")).to_contain_text("Warteliste, Platz 1")
    barrierefrei(clerk_b)

    clerk_a.get_by_role("button", name=re.compile("^Vom Termin abmelden")).click()
    expect(clerk_a.get_by_role("status")).to_contain_text("Sie sind abgemeldet.")
    expect(clerk_a.get_by_role("table")).to_contain_text("nicht angemeldet")

    clerk_b.goto(f"{live_server.url}/schulung/kurse/meine/")
    zeile = clerk_b.get_by_role("row", name=re.compile("Einführung in die E-Akte"))
    expect(zeile).to_contain_text("angemeldet")
    expect(zeile).not_to_contain_text("Warteliste")
    barrierefrei(clerk_b)

    trainer.get_by_role("link", name=re.compile("^Teilnehmerliste")).click()
    expect(trainer.get_by_role("table")).to_contain_text("Michelstadt")
    expect(trainer.locator("main")).to_contain_text("1 von 1 Platz belegt, 0 auf der Warteliste")
    barrierefrei(trainer)
