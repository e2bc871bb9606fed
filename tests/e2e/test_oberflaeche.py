"""Words and layout across pages: the OE tree passes axe (no link inside <summary>), pages in
dark mode pass axe too, and single checkboxes/radio buttons stay next to their labels."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import OrganisationseinheitFactory


def test_oe_baum_ohne_verschachtelte_bedienelemente(
    anmelden, live_server, kommunen_admin, erbach, hauptamt, barrierefrei
):
    OrganisationseinheitFactory(kommune=erbach, name="Personal", kuerzel="PA", parent=hauptamt)
    page = anmelden("admin.erbach")
    page.goto(f"{live_server.url}/kommunen/erbach/")
    baum = page.locator("ul.baum").first
    expect(baum.get_by_role("link", name="Hauptamt")).to_be_visible()
    expect(baum.locator("summary a")).to_have_count(0)
    expect(baum).to_contain_text("1 Untereinheit")
    barrierefrei(page)


@pytest.mark.parametrize("farbschema", ["light", "dark"])
def test_seiten_hell_und_dunkel_barrierefrei(
    page,
    anmelden,
    live_server,
    farbschema,
    akte,
    vorgang,
    dokument,
    kleiner_plan,
    sachbearbeitung,
    barrierefrei,
):
    page.emulate_media(color_scheme=farbschema)
    anmelden("sb.erbach")
    hintergrund = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (hintergrund == "rgb(17, 24, 29)") == (farbschema == "dark"), hintergrund
    for adresse in (
        "/",
        "/akten/",
        f"/akten/{akte.uuid}/",
        f"/akten/vorgaenge/{vorgang.uuid}/",
        f"/akten/dokumente/{dokument.uuid}/",
        f"/akten/{akte.uuid}/freigaben/",
        "/aktenplan/",
        f"/aktenplan/einheit/{kleiner_plan['0.2.01'].uuid}/",
        "/suche/?q=Bauantrag",
        "/schulung/",
        "/konto/",
    ):
        page.goto(live_server.url + adresse)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        barrierefrei(page)


def test_hilfe_aus_dem_kontext_und_barrierefreiheitserklaerung(
    page, anmelden, live_server, akte, sachbearbeitung, barrierefrei
):
    page.goto(f"{live_server.url}/barrierefreiheit/")  # public, like the login page
    expect(page.get_by_role("heading", level=1)).to_have_text("Erklärung zur Barrierefreiheit")
    kontakt = page.get_by_role("link", name="eakte@localhost")
    expect(kontakt).to_have_attribute("href", re.compile(r"^mailto:eakte@localhost\?subject="))
    barrierefrei(page)

    anmelden("sb.erbach")
    page.goto(f"{live_server.url}/akten/{akte.uuid}/")
    page.get_by_role("link", name="Hilfe zu dieser Seite").click()
    expect(page).to_have_url(re.compile(r"/hilfe/#akten$"))
    expect(page.get_by_role("heading", name="Akten, Vorgänge und Dokumente")).to_be_in_viewport()
    expect(page.locator("#start")).to_contain_text("Ihre Rolle")
    barrierefrei(page)
    page.goto(f"{live_server.url}/aktenplan/")
    expect(page.get_by_role("banner").get_by_role("link", name="Hilfe")).to_have_attribute(
        "href", "/hilfe/#aktenplan"
    )
