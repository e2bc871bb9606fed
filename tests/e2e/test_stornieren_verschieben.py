"""Issue 16: a clerk cancels a Dokument filed by mistake (kept, marked, hidden from the list
until asked for) and moves two Dokumente of a Vorgang at once, chosen by checkbox."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from eakte.akten import services
from tests.conftest import pdf_bytes
from tests.hilfen import akteur_von


def _ablegen(person, vorgang, titel):
    return services.dokument_hochladen(
        akteur=akteur_von(person),
        vorgang=vorgang,
        datei=SimpleUploadedFile(f"{titel}.pdf", pdf_bytes(titel), "application/pdf"),
        titel=titel,
    ).dokument


def test_stornieren_und_mehrere_verschieben(
    anmelden, live_server, barrierefrei, sachbearbeitung, vorgang
):
    irrtum = _ablegen(sachbearbeitung, vorgang, "Falsch abgelegt")
    _ablegen(sachbearbeitung, vorgang, "Antrag")
    _ablegen(sachbearbeitung, vorgang, "Anlage zum Antrag")
    ziel = services.vorgang_anlegen(
        akteur=akteur_von(sachbearbeitung), akte=vorgang.akte, betreff="Nachforderung"
    )
    page = anmelden("sb.erbach")

    page.goto(f"{live_server.url}/akten/dokumente/{irrtum.uuid}/")
    page.get_by_role("link", name="Stornieren").click()
    page.get_by_label("Grund der Stornierung").fill("Gehört in eine andere Akte.")
    barrierefrei(page)
    page.get_by_role("button", name="Stornieren").click()
    expect(page.locator("#storniert")).to_contain_text("Gehört in eine andere Akte.")
    expect(page.get_by_role("link", name="Stornieren")).to_have_count(0)

    page.goto(f"{live_server.url}/akten/vorgaenge/{vorgang.uuid}/")
    dokumente = page.locator("#dokumente")
    expect(dokumente).not_to_contain_text("Falsch abgelegt")
    page.get_by_role("link", name="Stornierte Dokumente anzeigen").click()
    expect(dokumente).to_contain_text("Falsch abgelegt")
    expect(dokumente).to_contain_text("storniert")
    page.get_by_role("link", name="Stornierte Dokumente ausblenden").click()

    page.get_by_label("Antrag auswählen", exact=True).check()
    page.get_by_label("Anlage zum Antrag auswählen").check()
    page.get_by_role("button", name=re.compile("Ausgewählte verschieben")).click()
    expect(page.get_by_label("Antrag", exact=True)).to_be_checked()
    page.get_by_label("Vorgang dieser Akte").select_option(
        label=f"{ziel.vorgangszeichen} Nachforderung"
    )
    barrierefrei(page)
    page.get_by_role("button", name="Verschieben").click()
    expect(page.get_by_role("status").first).to_contain_text(
        f"2 Dokumente liegen jetzt im Vorgang {ziel.vorgangszeichen}"
    )
    page.goto(f"{live_server.url}/akten/vorgaenge/{ziel.uuid}/")
    expect(page.locator("#dokumente")).to_contain_text("Anlage zum Antrag")
