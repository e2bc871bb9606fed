"""A clerk of Erbach prints a cover sheet for a Vorgang, puts it on a letter and scans the batch
(a page without sheet in front); after the picker ran, the letter is in the Vorgang and the
loose page waits in the Posteingang, where she files it into the same Vorgang."""

import io
import os
import time

import pypdfium2
from django.core.management import call_command
from playwright.sync_api import expect

from eakte.akten import services as akten_services
from eakte.common import beispielscans as scans
from tests.hilfen import akteur_von


def test_deckblatt_drucken_und_stapel_ablegen(
    anmelden, live_server, sachbearbeitung, akte, barrierefrei, settings, tmp_path
):
    vorgang = akten_services.vorgang_anlegen(
        akteur=akteur_von(sachbearbeitung), akte=akte, betreff="Bauantrag Lindenweg 3"
    )
    eingang = tmp_path / "eingang"
    (eingang / "erbach").mkdir(parents=True)
    settings.POSTEINGANG_ORDNER = eingang
    settings.POSTEINGANG_RUHEZEIT = 0
    settings.POSTEINGANG_PRUEFPAUSE = 0

    page = anmelden("sb.erbach")
    page.goto(f"{live_server.url}/akten/vorgaenge/{vorgang.uuid}/")
    with page.expect_download() as herunterladen:
        page.get_by_role("button", name="Deckblatt drucken").click()
    download = herunterladen.value
    assert download.suggested_filename.startswith("Deckblatt ")
    download.save_as(tmp_path / "deckblatt.pdf")
    pdf = (tmp_path / "deckblatt.pdf").read_bytes()

    # "scan" it: the printed sheet as pixels, then the letter; a loose page in front
    dokument = pypdfium2.PdfDocument(pdf)
    blatt = dokument[0].render(scale=300 / 72, grayscale=True).to_pil().convert("L")
    dokument.close()
    lose = scans.seite(scans.seed_zeilen(3, start=9), seed=9, rauschen=0)
    brief = scans.seite(scans.BEISPIELTEXT, rauschen=0)
    stapel = eingang / "erbach" / "scan-001.pdf"
    stapel.write_bytes(scans.als_pdf([lose, blatt, brief]))
    os.utime(stapel, (time.time() - 60, time.time() - 60))
    call_command("posteingang_abholen", stdout=io.StringIO())

    page.goto(f"{live_server.url}/akten/vorgaenge/{vorgang.uuid}/")
    expect(page.locator("main")).to_contain_text("scan-001 Teil 1.pdf")

    page.goto(f"{live_server.url}/posteingang/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Posteingang")
    expect(page.locator("main")).to_contain_text("vor dem ersten Deckblatt")
    barrierefrei(page)
    page.get_by_role("link", name="scan-001 Seiten 1-1.pdf").click()
    page.get_by_label("Vorgang suchen (Aktenzeichen oder Betreff)").fill("Lindenweg")
    page.get_by_role("button", name="Vorgänge suchen").click()
    page.get_by_label(f"{vorgang.vorgangszeichen} Bauantrag Lindenweg 3", exact=False).check()
    barrierefrei(page)
    page.get_by_role("button", name="Zuordnen").click()
    expect(page.locator("main")).to_contain_text("Der Posteingang ist leer.")
    page.goto(f"{live_server.url}/akten/vorgaenge/{vorgang.uuid}/")
    expect(page.locator("main")).to_contain_text("scan-001 Seiten 1-1")
