"""Done when (issue 17): a clerk of Erbach starts a route from a template for a draft reply, the
Amtsleitung co-signs, a deputy of the absent Bürgermeister signs in Vertretung, the clerk sends
it, the Vorgang shows the complete Geschäftsgangvermerk, and the Datenschutz role sees every step
in the Protokoll. The pages pass the accessibility check."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from eakte.geschaeftsgang import services
from eakte.geschaeftsgang.models import Empfaengerart, Verfuegung
from tests.geschaeftsgang.conftest import (  # noqa: F401 - fixtures
    abwesend,
    amtsleitung,
    buergermeister,
    entwurf,
    stellvertreter,
)
from tests.hilfen import akteur_von


def _abmelden(page):
    page.get_by_role("button", name="Abmelden").click()


def test_geschaeftsgang_aus_vorlage_mit_vertretung(
    anmelden,
    live_server,
    barrierefrei,
    sachbearbeitung,
    amtsleitung,  # noqa: F811
    buergermeister,  # noqa: F811
    stellvertreter,  # noqa: F811
    abwesend,  # noqa: F811
    kommunen_admin,
    datenschutz,
    vorgang,
    entwurf,  # noqa: F811
):
    services.vorlage_anlegen(
        akteur=akteur_von(kommunen_admin),
        name="Antwortschreiben Bauamt",
        schritte=[
            services.VorlageschrittAngabe(
                Verfuegung.MITZEICHNUNG, Empfaengerart.PERSON, person=amtsleitung
            ),
            services.VorlageschrittAngabe(
                Verfuegung.SCHLUSSZEICHNUNG, Empfaengerart.PERSON, person=buergermeister
            ),
            services.VorlageschrittAngabe(Verfuegung.VERSAND, Empfaengerart.ABSENDER),
        ],
    )

    # the clerk starts the route on the Vorgang page
    page = anmelden("sb.erbach")
    page.goto(f"{live_server.url}/akten/vorgaenge/{vorgang.uuid}/")
    vermerk = page.locator("#geschaeftsgang")
    expect(vermerk).to_contain_text("noch keinen Geschäftsgang")
    # starting has its own page: the Dokument is chosen from a list that can be filtered
    vermerk.get_by_role("link", name="Geschäftsgang starten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Geschäftsgang starten")
    page.get_by_label("Dokumente filtern (Titel)").fill("Antwort")
    page.get_by_role("button", name="Filtern").click()
    page.get_by_label("Vorlage").select_option(label="Antwortschreiben Bauamt")
    page.get_by_role("radio", name="Antwortentwurf").check()
    barrierefrei(page)
    page.get_by_role("button", name="Geschäftsgang starten").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Geschäftsgang „Antwortentwurf“ gestartet"
    )
    expect(vermerk).to_contain_text("1. zur Mitzeichnung an Anna Amtsleiterin")
    barrierefrei(page)
    _abmelden(page)

    # the Amtsleitung finds it on the start page and co-signs
    page = anmelden("al.erbach")
    postkorb = page.locator(".startseite-postkorb")
    expect(postkorb).to_contain_text("zur Mitzeichnung")
    expect(page.locator(".kopf-postkorb")).to_contain_text("1")
    barrierefrei(page)
    postkorb.get_by_role("link", name=re.compile("Bearbeiten")).click()
    page.get_by_label("mitgezeichnet").check()
    page.get_by_label("Bemerkung").fill("Inhaltlich einverstanden.")
    barrierefrei(page)
    page.get_by_role("button", name="Absenden").click()
    expect(page.get_by_role("status").first).to_contain_text("mitgezeichnet")
    expect(page.locator("main")).to_contain_text("Ihr Postkorb ist leer.")
    _abmelden(page)

    # the Bürgermeister is away: his deputy signs in Vertretung
    page = anmelden("stv.erbach")
    page.get_by_role("link", name="Postkorb", exact=False).first.click()
    tabelle = page.get_by_role("table")
    expect(tabelle).to_contain_text("in Vertretung für Bernd Bürgermeister")
    barrierefrei(page)
    tabelle.get_by_role("link", name=re.compile("Bearbeiten")).click()
    expect(page.locator(".untertitel")).to_contain_text("In Vertretung für Bernd Bürgermeister")
    page.get_by_label("schlussgezeichnet").check()
    page.get_by_role("button", name="Absenden").click()
    expect(page.get_by_role("status").first).to_contain_text("schlussgezeichnet")
    _abmelden(page)

    # the clerk sends it
    page = anmelden("sb.erbach")
    postkorb = page.locator(".startseite-postkorb")
    expect(postkorb).to_contain_text("zum Versand")
    postkorb.get_by_role("link", name=re.compile("Bearbeiten")).click()
    page.get_by_label("erledigt").check()
    page.get_by_role("button", name="Absenden").click()
    expect(page.get_by_role("status").first).to_contain_text("erledigt")

    # the Vorgang shows the complete Geschäftsgangvermerk
    page.goto(f"{live_server.url}/akten/vorgaenge/{vorgang.uuid}/")
    vermerk = page.locator("#geschaeftsgang")
    expect(vermerk).to_contain_text("abgeschlossen")
    expect(vermerk).to_contain_text("Vorlage „Antwortschreiben Bauamt“")
    expect(vermerk).to_contain_text("mitgezeichnet von Anna Amtsleiterin")
    expect(vermerk).to_contain_text("„Inhaltlich einverstanden.“")
    expect(vermerk).to_contain_text(
        "schlussgezeichnet von Stefan Vertreter i. V. für Bernd Bürgermeister"
    )
    expect(vermerk).to_contain_text("Version 1 eingefroren")
    expect(vermerk).to_contain_text("3. zum Versand an")
    expect(vermerk.locator(".route__schritt")).to_have_count(3)
    barrierefrei(page)
    _abmelden(page)

    # the Datenschutz role sees every step in the Protokoll
    page = anmelden("ds.erbach")
    page.goto(f"{live_server.url}/protokoll/?aktion=geschaeftsgang")
    tabelle = page.get_by_role("table")
    expect(tabelle).to_contain_text("Geschäftsgang „Antwortentwurf“ gestartet")
    expect(tabelle).to_contain_text("mitgezeichnet von Anna Amtsleiterin")
    expect(tabelle).to_contain_text("Stefan Vertreter i. V. für Bernd Bürgermeister")
    expect(tabelle).to_contain_text("zum Versand")
    expect(tabelle.locator("tbody tr")).to_have_count(4)
    barrierefrei(page)


def test_schritt_an_person_einer_anderen_kommune_per_personenwahl(
    anmelden, live_server, barrierefrei, sachbearbeitung, kollege_michelstadt, vorgang
):
    """Issue 16: the step's person is chosen with the one accessible picker; people of the other
    Kommunen of the Verbund are offered (mutual support in the IKZ)."""
    page = anmelden("sb.erbach")
    page.goto(f"{live_server.url}/akten/vorgaenge/{vorgang.uuid}/")
    page.locator("#geschaeftsgang").get_by_role("link", name="Geschäftsgang starten").click()
    page.get_by_text("Schritte selbst festlegen").click()
    page.get_by_label("Schritt 1: Verfügung").select_option(label="zur Kenntnis")
    feld = page.get_by_role("combobox", name="Schritt 1: an Person")
    feld.press_sequentially("Michelstadt", delay=20)
    liste = page.locator("#id_s1_person_liste")
    expect(liste.get_by_role("option").first).to_contain_text("sb.michelstadt")
    barrierefrei(page)
    feld.press("ArrowDown")
    feld.press("Enter")
    expect(feld).to_have_value(re.compile(r"\(sb\.michelstadt\)$"))
    page.get_by_role("button", name="Geschäftsgang starten").click()
    expect(page.get_by_role("status").first).to_contain_text("gestartet")
    expect(page.locator("#geschaeftsgang")).to_contain_text("1. zur Kenntnis an")


def test_vertretung_per_personenwahl(
    anmelden, live_server, barrierefrei, sachbearbeitung, kollegin_andere_oe
):
    """Issue 16: the Vertretung page chooses the deputy with the person picker."""
    page = anmelden("sb.erbach")
    page.goto(f"{live_server.url}/geschaeftsgang/vertretung/")
    expect(page.get_by_role("combobox", name="Abwesend ist")).to_have_value(
        re.compile(r"\(sb\.erbach\)$")
    )
    heute = timezone.localdate().isoformat()
    page.get_by_label("von", exact=True).fill(heute)
    page.get_by_label("bis", exact=True).fill(heute)
    feld = page.get_by_role("combobox", name="Vertretung durch")
    feld.press_sequentially(kollegin_andere_oe.username, delay=20)
    expect(page.locator("#id_vertreter1_liste").get_by_role("option").first).to_contain_text(
        kollegin_andere_oe.username
    )
    barrierefrei(page)
    feld.press("ArrowDown")
    feld.press("Enter")
    page.get_by_role("button", name="Eintragen").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Abwesenheit und Vertretung eingetragen"
    )
    expect(page.get_by_role("table")).to_contain_text(str(kollegin_andere_oe))
