"""A trainer publishes a Dienstanweisung for two Kommunen; a clerk of one confirms it, a clerk of
the third never sees it, and the trainer sees the completion table."""

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
    page.get_by_label("Erbach").check()
    page.get_by_label("Michelstadt").check()
    page.get_by_label("Text (Markdown)").fill(
        "## Geltung\n\nAlle Vorgänge werden **elektronisch** geführt."
    )
    barrierefrei(page)
    page.get_by_role("button", name="Speichern").click()
    page.get_by_role("button", name="Fassung 1 veröffentlichen").click()
    expect(page.locator("main")).to_contain_text("Fassung 1 ist veröffentlicht.")
    barrierefrei(page)

    clerk = browser.new_context(locale="de-DE").new_page()
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

    third = browser.new_context(locale="de-DE").new_page()
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
    expect(page.locator("main")).to_contain_text("1 von 2 Personen haben bestätigt")
    expect(tabelle).to_contain_text("offen")
    expect(tabelle).not_to_contain_text("Oberzent")
    barrierefrei(page)
