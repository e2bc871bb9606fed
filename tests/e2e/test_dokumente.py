"""Issue 15, "done when": a clerk uploads a Word letter, an Outlook message with a PDF attached
and a spreadsheet through the browser; the real worker converts them; she finds each by a word
from its body, opens the mail's attachment from the mail, and a search hit opens the viewer on
the page of the word, with the word highlighted.

The files are made in the test: the letter and the sheet by LibreOffice, the .msg with extract-msg's
OLE writer (tests/ocr/beispieldateien.py), the attached PDF with eakte.common.pdf.text_pdf."""

import re

import pytest
from playwright.sync_api import expect

from eakte.akten.models import Dokument, Version
from eakte.common.pdf import text_pdf
from eakte.ocr.models import Status, Verarbeitung
from tests.hilfen import warten_bis
from tests.ocr import beispieldateien as beispiele

pytestmark = pytest.mark.worker

# 48 lines fill page 1 of text_pdf; the search word stands on page 2 of 3.
LAGEPLAN = (
    [f"Erläuterung zum Lageplan, Zeile {n}" for n in range(48)]
    + ["Der Zaun steht auf dem Flurstück Kirschenallee 12."]
    + [f"Fortsetzung {n}" for n in range(60)]
)


def _alle_fertig(worker, anzahl: int):
    def fertig():
        stati = list(Verarbeitung.objects.values_list("status", flat=True))
        return len(stati) == anzahl and all(s in (Status.FERTIG, Status.FEHLER) for s in stati)

    warten_bis(fertig, sekunden=240, was=lambda: worker.log.read_text()[-3000:])


def _suchen(page, wort):
    suchfeld = page.get_by_role("search", name="Suche").get_by_label("Suche")
    suchfeld.fill(wort)
    suchfeld.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Suche")
    return page.locator(".trefferliste")


def test_briefe_mails_und_tabellen_werden_gefunden_und_angezeigt(
    anmelden, live_server, celery_worker_prozess, sachbearbeitung, vorgang, tmp_path, barrierefrei
):
    dateien = {
        "Brief an Frau Müller.docx": beispiele.office_datei("docx", "Grenzbebauung"),
        "Kostenaufstellung.xlsx": beispiele.office_datei("xlsx", "Maschendraht"),
        "Antrag per Outlook.msg": beispiele.outlook_msg(
            betreff="Bauantrag Gartenweg 7",
            text="Sehr geehrte Damen und Herren,\nanbei der Lageplan zur Obstwiese.",
            anlagen=[("Lageplan.pdf", text_pdf(LAGEPLAN))],
        ),
    }
    for name, inhalt in dateien.items():
        (tmp_path / name).write_bytes(inhalt)

    page = anmelden("sb.erbach")
    konsole = []  # CSP violations and PDF.js falling back to a "fake worker" show up here
    page.on("console", lambda meldung: konsole.append(f"{meldung.type}: {meldung.text}"))
    page.goto(f"{live_server.url}/akten/vorgaenge/{vorgang.uuid}/")
    page.wait_for_load_state()  # static/js/hochladen.js has taken the form over
    page.get_by_label("Dateien auswählen oder hierher ziehen").set_input_files(
        [str(tmp_path / name) for name in dateien]
    )
    page.get_by_role("button", name="Hochladen", exact=True).click()
    ergebnisse = page.get_by_role("list", name="Hochgeladene Dateien")
    expect(ergebnisse.locator(".hochladen__eintrag--ok")).to_have_count(3)

    # three uploads and the attachment the mail brings: four processings, all finished
    _alle_fertig(celery_worker_prozess, 4)
    fehler = Verarbeitung.objects.filter(status=Status.FEHLER).values_list("meldung", flat=True)
    assert not list(fehler)
    mail = Dokument.objects.get(titel="Antrag per Outlook")
    lageplan = Dokument.objects.get(anlage_zu=mail)

    # each found by a word of its body
    for wort, titel in [
        ("Grenzbebauung", "Brief an Frau Müller"),
        ("Maschendraht", "Kostenaufstellung"),
        ("Obstwiese", "Antrag per Outlook"),
    ]:
        treffer = _suchen(page, wort)
        expect(treffer.get_by_role("link", name=titel)).to_be_visible()
        expect(treffer.locator(".treffer")).to_have_count(1)

    # the mail's page: its PDF/A rendition in the viewer, the attachment one click away
    treffer.get_by_role("link", name="Antrag per Outlook").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag per Outlook")
    betrachter = page.locator("[data-betrachter]")
    expect(betrachter).to_have_attribute("data-angezeigt", "1")
    expect(page.locator(".textLayer")).to_contain_text("Obstwiese")
    expect(page.locator(".betrachter__treffer").first).to_have_text(re.compile("Obstwiese", re.I))
    mail_version = Version.objects.get(dokument=mail)
    archiv = f"/texterkennung/versionen/{mail_version.uuid}/archiv/"
    assert betrachter.get_attribute("data-pdf") == archiv  # the PDF/A rendition, not the .msg
    barrierefrei(page)
    page.get_by_role("region", name="Anlagen").get_by_role("link", name="Lageplan.pdf").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lageplan.pdf")
    expect(page.locator("#anlage-zu")).to_contain_text("Anlage zu Antrag per Outlook")

    # a search hit opens the viewer on the page of the word, the word highlighted
    treffer = _suchen(page, "Kirschenallee")
    treffer.get_by_role("link", name="Lageplan.pdf").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lageplan.pdf")
    expect(betrachter).to_have_attribute("data-angezeigt", "2")
    expect(page.get_by_label("Seite", exact=True)).to_have_value("2")
    expect(page.get_by_role("status").filter(has_text="Treffer")).to_contain_text("Seite 2")
    markiert = page.locator(".betrachter__treffer")
    expect(markiert).to_have_count(1)
    expect(markiert).to_have_text("Kirschenallee")
    expect(page.get_by_role("button", name="Seite 3")).to_be_visible()  # the thumbnails
    expect(page.get_by_role("button", name="Nächster Treffer")).to_be_hidden()  # one hit page
    barrierefrei(page)

    # keyboard: focus the page, turn to page 3 and back, zoom in
    page.get_by_role("region", name="Seite 2 von 3").focus()
    page.keyboard.press("PageDown")
    expect(betrachter).to_have_attribute("data-angezeigt", "3")
    expect(markiert).to_have_count(0)
    page.keyboard.press("PageUp")
    expect(betrachter).to_have_attribute("data-angezeigt", "2")
    page.keyboard.press("+")
    expect(page.locator("[data-zoom]")).to_have_text("125 %")
    page.get_by_role("button", name="Seite 1").click()
    expect(betrachter).to_have_attribute("data-angezeigt", "1")

    # a born-digital PDF is searchable as it is: the viewer shows it; it stays downloadable
    version = Version.objects.get(dokument=lageplan)
    assert betrachter.get_attribute("data-pdf") == f"/akten/versionen/{version.uuid}/vorschau/"
    with page.expect_download() as herunterladen:
        page.get_by_role("link", name=re.compile(r"^Herunterladen")).click()
    assert herunterladen.value.suggested_filename == "Lageplan.pdf"
    probleme = [m for m in konsole if m.startswith(("error", "warning"))]
    assert not probleme, probleme
