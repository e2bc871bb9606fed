"""The Datenschutz person of Erbach opens the Protokoll, filters it, checks the chain and
downloads the CSV; the pages pass the accessibility check."""

from playwright.sync_api import expect

from eakte.protokoll.models import Aktion
from tests.protokoll.conftest import eintrag


def test_protokoll_filtern_pruefen_exportieren(
    anmelden, live_server, datenschutz, sachbearbeitung, erbach, michelstadt, barrierefrei
):
    eintrag(
        erbach,
        "Akte „Bauantrag Hauptstraße 1“ angelegt",
        benutzer=sachbearbeitung,
        aktion=Aktion.ANGELEGT,
        ip="203.0.113.5",
    )
    eintrag(michelstadt, "Geheim in Michelstadt", aktion=Aktion.ANGELEGT)

    page = anmelden("ds.erbach")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Protokoll"
    ).click()
    haupt = page.locator("main")
    expect(page.get_by_role("heading", name="Protokoll der Kommune Erbach")).to_be_visible()
    expect(haupt).to_contain_text("Anmeldung")
    expect(haupt).not_to_contain_text("Geheim in Michelstadt")
    barrierefrei(page)

    page.get_by_label("Aktion").select_option("angelegt")
    page.get_by_label("Person", exact=True).fill("sb.erbach")
    page.get_by_role("button", name="Filter anwenden").click()
    tabelle = page.get_by_role("table")
    expect(tabelle).to_contain_text("Bauantrag Hauptstraße 1")
    expect(tabelle).to_contain_text("203.0.113.5")
    expect(tabelle).not_to_contain_text("Anmeldung")
    expect(tabelle.locator("tbody tr")).to_have_count(1)
    barrierefrei(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Als CSV herunterladen (gefiltert)").click()
    inhalt = open(download.value.path(), "rb").read().decode("utf-8")
    assert inhalt.startswith("\ufeffNr.;Zeitpunkt;")
    assert "Bauantrag Hauptstraße 1" in inhalt and "Anmeldung" not in inhalt

    page.get_by_role("link", name="Hash-Kette prüfen").click()
    expect(page.get_by_role("status").last).to_contain_text("Einträge in Ordnung")
    barrierefrei(page)
