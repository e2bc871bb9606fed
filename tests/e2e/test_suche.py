"""A clerk of Erbach searches: types into the search box in the header (suggestions of her
Akten appear while typing), gets the result page with a highlighted snippet, narrows it by Art,
follows "meinten Sie" after a typo and opens the Dokument."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from eakte.akten import services as akten_services
from eakte.ocr.models import Status, Verarbeitung
from eakte.suche import services as suche_services
from tests.conftest import pdf_bytes
from tests.hilfen import akteur_von


def _dokument(person, vorgang, titel, text, typ):
    version = akten_services.dokument_hochladen(
        akteur=akteur_von(person),
        vorgang=vorgang,
        datei=SimpleUploadedFile(f"{titel}.pdf", pdf_bytes(titel), content_type="application/pdf"),
        titel=titel,
        typ=typ,
    )
    Verarbeitung.objects.filter(datei=version.datei).update(status=Status.FERTIG, text=text)
    suche_services.datei_indexieren(version.datei_id)
    return version.dokument


def test_sachbearbeitung_sucht(anmelden, live_server, sachbearbeitung, vorgang, barrierefrei):
    _dokument(
        sachbearbeitung, vorgang, "Förderbescheid Dorfgemeinschaftshaus",
        "Der Förderbescheid für das Dorfgemeinschaftshaus in Michelstadt ist erteilt.", "eingang",
    )  # fmt: skip
    _dokument(
        sachbearbeitung, vorgang, "Antwort an das Land",
        "Wir bestätigen den Eingang der Bescheide.", "ausgang",
    )  # fmt: skip
    page = anmelden("sb.erbach")
    page.wait_for_load_state()  # htmx must be listening before we type
    suchfeld = page.get_by_role("search", name="Suche").get_by_label("Suche")
    suchfeld.fill("Hauptstr")
    expect(page.locator("#kopfsuche-vorschlaege")).to_contain_text("Bauantrag Hauptstraße 1")
    barrierefrei(page)

    suchfeld.fill("Bescheide")
    suchfeld.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Suche")
    expect(page.get_by_role("heading", name="2 Dokumente")).to_be_visible()
    expect(page.locator("mark").first).to_be_visible()
    barrierefrei(page)

    page.get_by_role("link", name="Ausgang").click()
    expect(page.get_by_role("heading", name="1 Dokument")).to_be_visible()
    expect(page.locator(".trefferliste")).to_contain_text("Antwort an das Land")

    suchfeld.fill("Dorfgemeinschaftshau")  # the header box: a new search without the filter
    suchfeld.press("Enter")
    expect(page.locator(".meinten-sie")).to_contain_text("Meinten Sie")
    barrierefrei(page)
    page.get_by_role("link", name="Dorfgemeinschaftshaus").click()
    expect(page.get_by_role("heading", name="1 Dokument")).to_be_visible()
    page.get_by_role("link", name=re.compile("Förderbescheid Dorfgemeinschaftshaus")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Förderbescheid Dorfgemeinschaftshaus"
    )
