"""The one person picker: found by display name, OE or Kommune, chosen with the keyboard, and
only people the user may pick (active, own Verbund) are offered."""

import re

from playwright.sync_api import expect

from eakte.protokoll.models import Aktion
from tests.factories import BenutzerFactory
from tests.protokoll.conftest import eintrag


def _umbenennen(person, vorname, nachname):
    person.first_name, person.last_name = vorname, nachname
    person.save(update_fields=["first_name", "last_name"])


def test_freigabe_fuer_paul_koch_per_tastatur(
    anmelden, live_server, akte, kollege_michelstadt, sontra, erbach, barrierefrei
):
    _umbenennen(kollege_michelstadt, "Paul", "Koch")
    BenutzerFactory(
        kommune=sontra, username="p.kochanski", first_name="Paul", last_name="Kochanski"
    )
    BenutzerFactory(
        kommune=erbach, username="p.koch.alt", first_name="Paula", last_name="Koch", is_active=False
    )
    page = anmelden("sb.erbach")
    page.goto(f"{live_server.url}/akten/{akte.uuid}/freigaben/")
    feld = page.get_by_role("combobox", name="Person")
    expect(feld).to_have_attribute("aria-expanded", "false")
    feld.press_sequentially("Koch", delay=30)
    liste = page.get_by_role("listbox", name="Gefundene Personen")
    expect(liste).to_be_visible()
    optionen = liste.get_by_role("option")
    expect(optionen).to_have_count(1)  # not the inactive one, not the one of another Verbund
    expect(optionen.first).to_contain_text("Paul Koch (sb.michelstadt)")
    expect(optionen.first).to_contain_text("Ordnungsamt · Michelstadt")
    expect(feld).to_have_attribute("aria-expanded", "true")
    barrierefrei(page)
    feld.press("ArrowDown")
    expect(feld).to_have_attribute("aria-activedescendant", re.compile("_liste_0$"))
    expect(optionen.first).to_have_attribute("aria-selected", "true")
    feld.press("Enter")
    expect(feld).to_have_value("Paul Koch (sb.michelstadt)")
    expect(liste).to_be_hidden()
    page.get_by_role("form", name="Für eine Person freigeben").get_by_role(
        "button", name="Freigeben"
    ).click()
    expect(page.get_by_role("table").first).to_contain_text("Koch")
    expect(page.locator("main")).to_contain_text("freigegeben: nur lesen")

    # By OE name, and by display name typed without the list (resolved on the server).
    feld = page.get_by_role("combobox", name="Person")
    feld.press_sequentially("Ordnungsamt Mich", delay=20)
    expect(
        page.get_by_role("listbox", name="Gefundene Personen").get_by_role("option")
    ).to_have_count(1)
    feld.press("Escape")
    expect(page.get_by_role("listbox", name="Gefundene Personen")).to_be_hidden()
    feld.fill("Paul Kochanski")
    page.get_by_role("form", name="Für eine Person freigeben").get_by_role(
        "button", name="Freigeben"
    ).click()
    expect(page.locator("main")).to_contain_text(
        "Eine Person „Paul Kochanski“ gibt es im Verbund nicht."
    )


def test_protokoll_filter_nach_anzeigename(
    anmelden, live_server, datenschutz, sachbearbeitung, erbach, barrierefrei
):
    _umbenennen(sachbearbeitung, "Anna", "Schäfer")
    eintrag(erbach, "Akte angelegt", benutzer=sachbearbeitung, aktion=Aktion.ANGELEGT)
    page = anmelden("ds.erbach")
    page.goto(f"{live_server.url}/protokoll/")
    feld = page.get_by_role("combobox", name="Person")
    feld.fill("Anna Schäfer")
    page.get_by_role("button", name="Filter anwenden").click()
    tabelle = page.get_by_role("table")
    expect(tabelle.locator("tbody tr")).to_have_count(1)
    expect(tabelle).to_contain_text("Akte angelegt")

    feld = page.get_by_role("combobox", name="Person")
    feld.fill("")
    feld.press_sequentially("Schäf", delay=30)
    liste = page.get_by_role("listbox", name="Gefundene Personen")
    expect(liste.get_by_role("option")).to_have_count(1)
    feld.press("ArrowDown")
    feld.press("Enter")
    expect(feld).to_have_value("Anna Schäfer (sb.erbach)")
    page.get_by_role("button", name="Filter anwenden").click()
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(1)
    barrierefrei(page)


def test_spaete_antwort_behaelt_die_markierte_person(
    anmelden, live_server, datenschutz, sachbearbeitung
):
    """The list is asked again while a person is already marked (the user typed on, or a late
    answer came in): the mark stays, so Enter takes that person and does not send the half-typed
    text."""
    _umbenennen(sachbearbeitung, "Anna", "Schäfer")
    page = anmelden("ds.erbach")
    page.goto(f"{live_server.url}/protokoll/")
    feld = page.get_by_role("combobox", name="Person")
    feld.fill("Schä")
    optionen = page.get_by_role("listbox", name="Gefundene Personen").get_by_role("option")
    expect(optionen).to_have_count(1)
    feld.press("ArrowDown")
    expect(optionen.first).to_have_attribute("aria-selected", "true")
    alte_liste = optionen.first.element_handle()
    feld.press("f")
    page.wait_for_function("option => !option.isConnected", arg=alte_liste)  # the list was redrawn
    expect(optionen.first).to_have_attribute("aria-selected", "true")
    feld.press("Enter")
    expect(feld).to_have_value("Anna Schäfer (sb.erbach)")
