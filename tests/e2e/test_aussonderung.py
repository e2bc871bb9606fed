"""Done when (issue 18): a Kommunen-Admin offers the due Akten to the archive (0501), imports the
archive's 0502, hands the chosen Akten over as a schema-valid 0503 ZIP, confirms the receipt
(0506), and runs a four-eyes deletion of the rest with a Löschprotokoll, while the Akte under
Löschsperre stays untouched."""

import io
import zipfile

from playwright.sync_api import expect

from eakte.akten.models import Dokument
from eakte.aussonderung import xdomea
from eakte.aussonderung.models import Aussonderungsvermerk, Prozess
from tests.aussonderung.conftest import welt, zweite_admin  # noqa: F401 (fixtures)


def _kopf(prozess_id, typ):
    return xdomea.Kopf(
        prozess_id,
        typ,
        xdomea.Kontakt("HStAD", "Hessisches Staatsarchiv"),
        xdomea.Kontakt("erbach", "Erbach"),
    )


def _herunterladen(page, name, ziel):
    with page.expect_download() as laden:
        page.get_by_role("link", name=name).click()
    pfad = ziel / laden.value.suggested_filename
    laden.value.save_as(pfad)
    return pfad


def test_aussonderung_und_loeschung_im_browser(
    anmelden,
    live_server,
    celery_worker_prozess,
    welt,  # noqa: F811
    barrierefrei,
    tmp_path,
):
    page = anmelden("admin.erbach")
    page.get_by_role("link", name="Aussonderung").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aussonderung und Löschung")
    haupt = page.locator("main")
    expect(haupt).to_contain_text("Wahlanfechtung vor dem VG")  # the Löschsperre is shown
    barrierefrei(page)
    expect(page.get_by_label(welt.archivwuerdig.aktenzeichen)).to_be_checked()
    expect(page.get_by_label(welt.gesperrt.aktenzeichen)).to_have_count(0)

    # Anbietung (0501)
    page.get_by_role("button", name="Ausgewählte Akten anbieten (0501)").click()
    expect(haupt).to_contain_text("Anbieteverzeichnis (0501) erstellt")
    prozess = Prozess.objects.get()
    expect(page.locator("#prozess-status")).to_contain_text("angeboten")
    barrierefrei(page)
    paket = _herunterladen(page, f"{prozess.uuid}.zip", tmp_path)
    with zipfile.ZipFile(paket) as zf:
        xml = zf.read(f"{prozess.uuid}_Aussonderung.Anbieteverzeichnis.0501.xml")
    xdomea.validieren(io.BytesIO(xml))

    # the archive's Bewertung (0502): takes the Sitzungsakte, not the Bauakte
    antwort = tmp_path / xdomea.dateiname(prozess.uuid, "0502")
    xdomea.bewertung_schreiben(
        str(antwort),
        _kopf(prozess.uuid, "0502"),
        [(welt.archivwuerdig.uuid, "A"), (welt.bewerten.uuid, "V")],
    )
    page.get_by_label("XML- oder ZIP-Datei").set_input_files(str(antwort))
    page.get_by_role("button", name="Einlesen").click()
    expect(haupt).to_contain_text("Bewertungsverzeichnis (0502) eingelesen")
    expect(page.locator(f"#bewertung-{welt.archivwuerdig.uuid}")).to_have_text("archivieren")
    expect(page.locator(f"#bewertung-{welt.bewerten.uuid}")).to_have_text("vernichten")

    # Abgabe (0503)
    page.get_by_role("button", name="Aussonderung erstellen (0503)").click()
    expect(haupt).to_contain_text("wird im Hintergrund erstellt")  # by the Celery worker
    # "wird erstellt …" may already be over when the page arrives (a small ZIP); that state is
    # checked without a worker in tests/aussonderung/test_abgabe_worker.py
    expect(page.locator("#abgabe-status")).to_contain_text(
        "bereit zum Herunterladen", timeout=90_000
    )  # the page asks again every 2 s
    page.reload()
    expect(page.locator("#prozess-status")).to_contain_text("abgegeben")
    barrierefrei(page)
    abgabe = page.locator("#abgabe-status").get_by_role("link")
    with page.expect_download() as laden:
        abgabe.click()
    laden.value.save_as(tmp_path / "abgabe.zip")
    with zipfile.ZipFile(tmp_path / "abgabe.zip") as zf:
        namen = zf.namelist()
        xml = zf.read(f"{prozess.uuid}_Aussonderung.Aussonderung.0503.xml")
    xdomea.validieren(io.BytesIO(xml))
    assert len(namen) == 3  # the XML and the two PDFs of the Sitzungsakte
    assert Dokument.objects.filter(akte=welt.archivwuerdig).count() == 2  # not yet deleted

    # the archive confirms the import (0506)
    bestaetigung = tmp_path / xdomea.dateiname(prozess.uuid, "0506")
    xdomea.importbestaetigung_schreiben(
        str(bestaetigung),
        _kopf(prozess.uuid, "0506"),
        [(welt.archivwuerdig.uuid, True, "HStAD 12/3")],
    )
    page.get_by_label("XML- oder ZIP-Datei").set_input_files(str(bestaetigung))
    page.get_by_role("button", name="Einlesen").click()
    expect(haupt).to_contain_text("Bestätigung des Archivs eingelesen")
    expect(page.locator("#prozess-status")).to_contain_text("abgeschlossen")
    assert not Dokument.objects.filter(akte=welt.archivwuerdig).exists()
    # the archived Akte is a read-only stub in the records
    page.goto(f"{live_server.url}/akten/{welt.archivwuerdig.uuid}/")
    expect(page.locator("main")).to_contain_text("Diese Akte ist archiviert am")
    expect(page.locator("main")).to_contain_text("(an Hessisches Staatsarchiv Darmstadt)")
    expect(page.get_by_role("link", name="Wieder eröffnen")).to_have_count(0)

    # Löschung: proposed by this admin …
    page.get_by_role("link", name="Aussonderung", exact=True).first.click()
    expect(page.get_by_label(welt.vernichten.aktenzeichen)).to_be_checked()
    expect(page.get_by_label(welt.bewerten.aktenzeichen)).to_be_checked()
    page.get_by_role("button", name="Löschlauf vorschlagen").click()
    expect(haupt).to_contain_text("Löschlauf vorgeschlagen")
    page.get_by_role("button", name="Löschlauf genehmigen und durchführen").click()
    expect(haupt).to_contain_text("Vier-Augen-Prinzip")
    assert Dokument.objects.filter(akte=welt.vernichten).exists()
    lauf_url = page.url

    # … approved by a second one
    page.context.clear_cookies()
    page = anmelden("admin2.erbach")
    page.goto(lauf_url)
    barrierefrei(page)
    page.get_by_role("button", name="Löschlauf genehmigen und durchführen").click()
    expect(page.locator("main")).to_contain_text("Löschprotokoll ist abgelegt")
    expect(page.locator("#lauf-status")).to_contain_text("durchgeführt")
    csv = _herunterladen(page, "Löschprotokoll (CSV)", tmp_path).read_text("utf-8-sig")
    assert welt.vernichten.aktenzeichen in csv and welt.bewerten.aktenzeichen in csv
    assert welt.gesperrt.aktenzeichen not in csv
    assert _herunterladen(page, "Löschprotokoll (PDF)", tmp_path).read_bytes()[:5] == b"%PDF-"
    assert not Dokument.objects.filter(akte__in=[welt.vernichten, welt.bewerten]).exists()
    assert Aussonderungsvermerk.objects.count() == 3

    # the Akte under Löschsperre is untouched, and its page says why
    assert Dokument.objects.filter(akte=welt.gesperrt).count() == 1
    page.goto(f"{live_server.url}/akten/{welt.gesperrt.uuid}/")
    expect(page.locator("main")).to_contain_text("Löschsperre: Wahlanfechtung vor dem VG")
