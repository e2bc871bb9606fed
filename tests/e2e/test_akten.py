"""A clerk of Erbach files her work: creates an Akte choosing the unit by search, opens a Vorgang,
uploads three files at once (the empty one is refused, the others are stored), downloads one,
shares the Akte read-only with a colleague in Michelstadt who then opens it, and closes it (zdA);
the Datenschutz person of Erbach then finds all of it in the Protokoll.
"""

import re
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from eakte.akten.models import Akte, Dokument
from eakte.protokoll.models import Aktion, Protokolleintrag
from tests.conftest import pdf_bytes
from tests.factories import PASSWORT


def test_sachbearbeitung_fuehrt_eine_akte(
    anmelden,
    live_server,
    sachbearbeitung,
    fremde_sachbearbeitung,
    datenschutz,
    kleiner_plan,
    barrierefrei,
    browser,
    tmp_path,
):
    page = anmelden("sb.erbach")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Akten", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Akten")
    barrierefrei(page)

    # Create an Akte: the unit is found by search and taken over into the form.
    page.get_by_role("link", name="Neue Akte anlegen").click()
    page.wait_for_load_state()  # htmx must be listening before we type
    page.get_by_label("Aktenplaneinheit suchen (Kennzeichen oder Titel)").fill("Sitzungen")
    treffer = page.get_by_role("button", name=re.compile(r"0\.2\.01 Sitzungen der Gemeinde"))
    expect(treffer).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^0\.2 "))).to_have_count(0)
    barrierefrei(page)
    treffer.click()
    expect(page.get_by_label("Aktenplaneinheit (Kennzeichen)")).to_have_value("0.2.01")
    expect(page.get_by_role("status").filter(has_text="Gewählt")).to_contain_text(
        "0.2.01 Sitzungen der Gemeindevertretung"
    )
    page.get_by_label("Betreff", exact=True).fill("Sitzung der Stadtverordneten im März")
    page.get_by_role("button", name="Akte anlegen").click()
    aktenzeichen = f"ERB-0.2.01-0001/{timezone.localdate().year}"
    expect(page.get_by_role("heading", level=1)).to_contain_text(aktenzeichen)
    expect(page.locator("main")).to_contain_text("unbefristet")
    barrierefrei(page)

    # A Vorgang.
    page.get_by_role("link", name="Neuer Vorgang").click()
    page.get_by_label("Betreff des Vorgangs").fill("Einladung und Niederschrift")
    page.get_by_role("button", name="Vorgang anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{aktenzeichen}/1")

    # Three files at once through the file picker; the empty one is refused.
    einladung = pdf_bytes("Einladung zur Sitzung")
    dateien = {
        "Einladung.pdf": einladung,
        "Niederschrift Entwurf.pdf": pdf_bytes("Niederschrift"),
        "leer.pdf": b"",
    }
    for name, inhalt in dateien.items():
        (tmp_path / name).write_bytes(inhalt)
    page.wait_for_load_state()  # static/js/hochladen.js has taken the form over
    page.get_by_label("Dateien auswählen oder hierher ziehen").set_input_files(
        [str(tmp_path / name) for name in dateien]
    )
    page.get_by_role("button", name="Hochladen", exact=True).click()
    ergebnisse = page.get_by_role("list", name="Hochgeladene Dateien")
    expect(ergebnisse.get_by_role("listitem")).to_have_count(3)
    gespeichert = ergebnisse.locator(".hochladen__eintrag--ok")
    expect(gespeichert).to_have_count(2)
    for nummer in range(2):
        expect(gespeichert.nth(nummer).locator("progress")).to_have_js_property("value", 100)
        expect(gespeichert.nth(nummer)).to_contain_text("Gespeichert als")
    abgelehnt = ergebnisse.locator(".hochladen__eintrag--fehler")
    expect(abgelehnt).to_contain_text("leer.pdf")
    expect(abgelehnt).to_contain_text("Die Datei ist leer (0 Bytes) und wurde nicht gespeichert.")
    # The list of Dokumente below is refreshed without reloading the page.
    dokumente = page.locator("#dokumente")
    expect(dokumente).to_contain_text("Einladung.pdf")
    expect(dokumente).to_contain_text("Niederschrift Entwurf.pdf")
    assert Dokument.objects.filter(akte__aktenzeichen=aktenzeichen).count() == 2
    barrierefrei(page)

    # Download one and compare its bytes.
    with page.expect_download() as herunterladen:
        dokumente.get_by_role("link", name=re.compile(r"^Einladung\.pdf")).click()
    download = herunterladen.value
    assert download.suggested_filename == "Einladung.pdf"
    assert Path(download.path()).read_bytes() == einladung
    assert Protokolleintrag.objects.filter(
        aktion=Aktion.HERUNTERGELADEN, aktenzeichen=aktenzeichen
    ).exists()

    # The Dokument page with its versions.
    dokumente.get_by_role("link", name="Niederschrift Entwurf", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Niederschrift Entwurf")
    expect(page.get_by_role("table")).to_contain_text("1 Version")
    barrierefrei(page)

    # Share the Akte read-only with a colleague in Michelstadt.
    page.get_by_role("navigation", name="Brotkrümelpfad").get_by_role(
        "link", name=aktenzeichen
    ).first.click()
    page.get_by_role("link", name="Freigaben verwalten").first.click()
    fuer_person = page.get_by_role("form", name="Für eine Person freigeben")
    fuer_person.get_by_label("Person", exact=True).fill("sb.michelstadt")
    fuer_person.get_by_label("nur lesen").check()
    barrierefrei(page)
    fuer_person.get_by_role("button", name="Freigeben").click()
    expect(page.get_by_role("table")).to_contain_text("sb.michelstadt")
    expect(page.get_by_role("table")).to_contain_text("nur lesen")

    # The colleague logs in and finds it under "Für mich freigegeben".
    kollegin = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin").new_page()
    kollegin.goto(f"{live_server.url}/anmelden/")
    kollegin.get_by_label("Benutzername").fill("sb.michelstadt")
    kollegin.get_by_label("Passwort").fill(PASSWORT)
    kollegin.get_by_role("button", name="Anmelden").click()
    kollegin.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Akten", exact=True
    ).click()
    kollegin.get_by_role("link", name="Für mich freigegeben").click()
    expect(kollegin.get_by_role("heading", level=1)).to_have_text("Für mich freigegeben")
    barrierefrei(kollegin)
    kollegin.get_by_role("link", name=aktenzeichen).click()
    expect(kollegin.get_by_role("heading", level=1)).to_contain_text(aktenzeichen)
    expect(kollegin.locator("main")).to_contain_text("Sie dürfen diese Akte lesen")
    expect(kollegin.locator("main")).to_contain_text("Einladung.pdf")
    expect(kollegin.get_by_role("link", name="Neuer Vorgang")).to_have_count(0)
    barrierefrei(kollegin)

    # The clerk closes the Akte (zdA): after a confirmation it is read-only.
    page.get_by_role("link", name=aktenzeichen).first.click()
    page.get_by_role("link", name="zdA verfügen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("zu den Akten verfügen")
    barrierefrei(page)
    page.get_by_role("button", name="zdA verfügen").click()
    expect(page.get_by_role("status")).to_contain_text("zu den Akten verfügt (zdA)")
    expect(page.locator("main")).to_contain_text("kann nicht mehr geändert werden")
    expect(page.get_by_role("link", name="Neuer Vorgang")).to_have_count(0)
    page.get_by_role("link", name=re.compile("Einladung und Niederschrift")).click()
    expect(page.get_by_label("Dateien auswählen oder hierher ziehen")).to_have_count(0)
    assert Akte.objects.get(aktenzeichen=aktenzeichen).ist_zda

    # The Datenschutz person of Erbach sees every step in the Protokoll, also the colleague's.
    ds = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin").new_page()
    ds.goto(f"{live_server.url}/anmelden/")
    ds.get_by_label("Benutzername").fill("ds.erbach")
    ds.get_by_label("Passwort").fill(PASSWORT)
    ds.get_by_role("button", name="Anmelden").click()
    ds.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Protokoll"
    ).click()
    ds.get_by_label("Akte").fill(aktenzeichen)
    ds.get_by_role("button", name="Filter anwenden").click()
    tabelle = ds.get_by_role("table")
    for schritt in (
        "Akte „",  # angelegt
        "Vorgang",
        "hochgeladen",
        "heruntergeladen",
        "freigegeben",
        "zu den Akten verfügt",
    ):
        expect(tabelle).to_contain_text(schritt)
    expect(tabelle).to_contain_text("sb.michelstadt")  # the colleague's view is logged in Erbach
    barrierefrei(ds)
    aktionen = set(
        Protokolleintrag.objects.filter(aktenzeichen=aktenzeichen).values_list("aktion", flat=True)
    )
    assert {
        Aktion.ANGELEGT,
        Aktion.HOCHGELADEN,
        Aktion.HERUNTERGELADEN,
        Aktion.FREIGEGEBEN,
        Aktion.ANGESEHEN,
        Aktion.ZDA,
    } <= aktionen
