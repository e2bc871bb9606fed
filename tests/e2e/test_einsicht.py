"""Done when (issue 21, part 1): a clerk releases three documents with one redacted name to a
lawyer; the lawyer opens them with the code and sees the watermark; the name is not in the
released PDF's text; the Datenschutz role sees the lawyer's views."""

import io

from pdfminer.high_level import extract_text
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.einsicht.conftest import NAME, drei_dokumente  # noqa: F401 (fixture)


def test_akteneinsicht_mit_schwaerzung_fuer_anwalt(
    anmelden,
    live_server,
    sachbearbeitung,
    datenschutz,
    akte,
    drei_dokumente,  # noqa: F811
    barrierefrei,
    browser,
    tmp_path,
):
    page = anmelden("sb.erbach")
    page.goto(f"{live_server.url}/akten/{akte.uuid}/")
    page.get_by_role("link", name="Akteneinsicht gewähren").click()
    page.get_by_label("Name der Empfängerin / des Empfängers").fill("Dr. Anna Anwalt")
    page.get_by_label("E-Mail-Adresse (für den Link)").fill("anwalt@kanzlei.example")
    page.get_by_label("Bevollmächtigte/r").check()
    page.get_by_label("Herunterladen erlauben").check()
    barrierefrei(page)
    page.get_by_role("button", name="Einsicht vorbereiten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Akteneinsicht AE-")
    page.get_by_label("Wort oder Name auf allen Seiten schwärzen").fill(NAME)
    page.get_by_role("button", name="Auf allen Seiten schwärzen").click()
    expect(page.locator("main")).to_contain_text("1 Stelle markiert")
    barrierefrei(page)
    page.get_by_role("button", name="Freigeben und Link senden").click()
    expect(page.locator("main")).to_contain_text("ist freigegeben")
    link = page.locator("#einsicht-link").inner_text()
    code = page.locator("#einsicht-code").inner_text()
    assert link.endswith("/") and len(code) == 8

    # the lawyer, in a browser of her own, without an account
    anwalt = browser.new_context(
        locale="de-DE", timezone_id="Europe/Berlin", accept_downloads=True
    ).new_page()
    pfad = link[link.index("/einsicht/") :]
    anwalt.goto(f"{live_server.url}{pfad}")
    anwalt.get_by_label("Zugangscode").fill("12345678" if code != "12345678" else "87654321")
    anwalt.get_by_role("button", name="Einsicht öffnen").click()
    expect(anwalt.locator("main")).to_contain_text("Der Code stimmt nicht")
    anwalt.get_by_label("Zugangscode").fill(code)
    anwalt.get_by_role("button", name="Einsicht öffnen").click()
    for titel in ("Bauantrag", "Einwendung Nachbar", "Stellungnahme"):
        expect(anwalt.get_by_role("link", name=titel, exact=True)).to_be_visible()
    barrierefrei(anwalt)
    anwalt.get_by_role("link", name="Einwendung Nachbar", exact=True).click()
    expect(anwalt.locator("#wasserzeichen")).to_contain_text("Dr. Anna Anwalt")
    expect(anwalt.locator("img.einsicht-seite")).to_be_visible()
    barrierefrei(anwalt)
    with anwalt.expect_download() as herunterladen:
        anwalt.get_by_role("link", name="Als PDF herunterladen").click()
    ziel = tmp_path / "einsicht.pdf"
    herunterladen.value.save_as(ziel)
    pdf = ziel.read_bytes()
    text = extract_text(io.BytesIO(pdf))
    assert "Dr. Anna Anwalt" in text and "AE-" in text  # the watermark is burnt in
    assert NAME not in text
    assert NAME not in "".join(s.extract_text() or "" for s in PdfReader(io.BytesIO(pdf)).pages)
    anwalt.context.close()

    # Datenschutz sees the lawyer's views
    page.context.clear_cookies()
    page = anmelden("ds.erbach")
    page.goto(f"{live_server.url}/einsicht/")
    page.get_by_role("link", name="AE-", exact=False).first.click()
    zugriffe = page.locator("section", has=page.get_by_role("heading", name="Zugriffe"))
    expect(zugriffe).to_contain_text("Seite angesehen")
    expect(zugriffe).to_contain_text("heruntergeladen")
    expect(zugriffe).to_contain_text("falscher Code")
    barrierefrei(page)


def test_bereich_mit_der_maus_und_per_tastatur_schwaerzen(
    anmelden,
    live_server,
    sachbearbeitung,
    akte,
    drei_dokumente,  # noqa: F811
    barrierefrei,
):
    from eakte.einsicht import services
    from eakte.einsicht.models import EinsichtDokument, Schwaerzung
    from tests.hilfen import akteur_von

    einsicht = services.einsicht_anlegen(
        akteur=akteur_von(sachbearbeitung),
        akte=akte,
        empfaenger_name="Max Beteiligt",
        empfaenger_email="max@beteiligt.example",
    )
    eintrag = EinsichtDokument.objects.get(einsicht=einsicht, dokument__titel="Bauantrag")
    page = anmelden("sb.erbach")
    page.goto(f"{live_server.url}/einsicht/dokument/{eintrag.uuid}/")
    # keyboard: a box outside the page is refused in German
    page.get_by_label("Seite", exact=True).fill("1")
    page.get_by_label("von links (%)").fill("50")
    page.get_by_label("von oben (%)").fill("10")
    page.get_by_label("bis links (%)").fill("140")
    page.get_by_label("bis oben (%)").fill("20")
    page.get_by_role("button", name="Bereich schwärzen").click()
    expect(page.locator("main")).to_contain_text("außerhalb der Seite")
    barrierefrei(page)
    # mouse: drag a frame on the page picture
    bild = page.get_by_alt_text("Seite 1 mit den markierten Bereichen (schwarz)")
    bild.scroll_into_view_if_needed()
    # its size is known only once the picture has loaded
    page.wait_for_function("b => b.complete && b.naturalWidth > 0", arg=bild.element_handle())
    rahmen = bild.bounding_box()
    page.mouse.move(rahmen["x"] + rahmen["width"] * 0.1, rahmen["y"] + rahmen["height"] * 0.08)
    page.mouse.down()
    page.mouse.move(rahmen["x"] + rahmen["width"] * 0.5, rahmen["y"] + rahmen["height"] * 0.12)
    page.mouse.up()
    expect(page.locator("main")).to_contain_text("Bereich auf Seite 1 wird geschwärzt")
    kasten = Schwaerzung.objects.get(einsicht_dokument=eintrag)
    assert 0.08 < kasten.x0 < 0.12 and 0.48 < kasten.x1 < 0.52
