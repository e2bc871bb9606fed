"""At 390 px (a phone) the Akte, Vorgang and Dokument pages need no sideways scrolling, the
header collapses into a menu button, and tables become cards with their column names."""

import pytest
from playwright.sync_api import expect

from eakte.akten import services as akten_services
from tests.hilfen import akteur_von

BREITE = 390


def _kein_querscrollen(page):
    breite = page.evaluate("document.documentElement.scrollWidth")
    zu_breit = page.evaluate(
        """(grenze) => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > grenze + 1 && e.offsetParent !== null)
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""",
        BREITE,
    )
    assert breite <= BREITE, f"{page.url}: {breite} px breit: {zu_breit}"


@pytest.fixture
def mobil(browser, live_server):
    kontext = browser.new_context(
        locale="de-DE",
        timezone_id="Europe/Berlin",
        viewport={"width": BREITE, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    yield kontext
    kontext.close()


def test_akte_vorgang_dokument_ohne_querscrollen(
    mobil, live_server, akte, vorgang, dokument, sachbearbeitung, barrierefrei
):
    from datetime import date

    from tests.factories import PASSWORT

    akten_services.wiedervorlage_setzen(
        akteur=akteur_von(sachbearbeitung), akte=akte, datum=date(2030, 1, 1), notiz="Nachfassen"
    )
    page = mobil.new_page()
    page.goto(f"{live_server.url}/anmelden/")
    page.get_by_label("Benutzername").fill("sb.erbach")
    page.get_by_label("Passwort").fill(PASSWORT)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server.url}/")

    # The header: brand and a menu button; the navigation opens on demand.
    menue = page.get_by_role("button", name="Menü")
    expect(menue).to_have_attribute("aria-expanded", "false")
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    expect(navigation).to_be_hidden()
    assert page.locator("header").bounding_box()["height"] < 90
    menue.click()
    expect(menue).to_have_attribute("aria-expanded", "true")
    expect(navigation.get_by_role("link", name="Akten", exact=True)).to_be_visible()
    _kein_querscrollen(page)

    for adresse in (
        f"/akten/{akte.uuid}/",
        f"/akten/vorgaenge/{vorgang.uuid}/",
        f"/akten/dokumente/{dokument.uuid}/",
    ):
        page.goto(live_server.url + adresse)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        _kein_querscrollen(page)
        barrierefrei(page)

    # A table row as a card: each value carries its column name.
    page.goto(f"{live_server.url}/akten/vorgaenge/{vorgang.uuid}/")
    zelle = page.locator("table.tabelle tbody td[data-spalte]").first
    expect(zelle).to_be_visible()
    assert page.evaluate(
        "(z) => getComputedStyle(z, '::before').content", zelle.element_handle()
    ).strip('"')


@pytest.mark.parametrize("breite", [390, 1366])
def test_weitere_seiten_ohne_querscrollen(
    browser, live_server, breite, akte, kleiner_plan, kommunen_admin, datenschutz, sachbearbeitung
):
    from tests.factories import PASSWORT

    kontext = browser.new_context(
        locale="de-DE", timezone_id="Europe/Berlin", viewport={"width": breite, "height": 900}
    )
    geprueft = []
    try:
        for person, adressen in (
            (
                "sb.erbach",
                [
                    "/",
                    "/akten/",
                    "/aktenplan/",
                    "/aktenplan/aenderungen/",
                    "/suche/?q=Bau",
                    "/schulung/",
                    "/konto/",
                    "/hilfe/",
                    f"/akten/{akte.uuid}/freigaben/",
                ],
            ),
            ("admin.erbach", ["/kommunen/erbach/", "/kommunen/erbach/benutzer/"]),
            ("ds.erbach", ["/protokoll/"]),
        ):
            page = kontext.new_page()
            page.goto(f"{live_server.url}/anmelden/")
            page.get_by_label("Benutzername").fill(person)
            page.get_by_label("Passwort").fill(PASSWORT)
            page.get_by_role("button", name="Anmelden").click()
            page.wait_for_url(f"{live_server.url}/")
            for adresse in adressen:
                page.goto(live_server.url + adresse)
                breit = page.evaluate("document.documentElement.scrollWidth")
                assert breit <= breite, f"{adresse} bei {breite} px: {breit} px breit"
                assert page.get_by_role("heading", level=1).count() == 1, adresse
                geprueft.append(adresse)
            page.context.clear_cookies()
            page.close()
    finally:
        kontext.close()
    assert len(geprueft) == 12
