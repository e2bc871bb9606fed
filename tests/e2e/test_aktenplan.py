"""A Digitallotse finds, adds, renames, moves and deactivates units, imports a CSV with a dry run,
and sees what a colleague of another Kommune changed."""

import re

from playwright.sync_api import expect

from aktenplan import services
from tests.aktenplan.test_austausch import KOPF
from tests.hilfen import akteur_von


def test_digitallotse_pflegt_den_aktenplan(
    anmelden,
    live_server,
    digitallotse,
    digitallotse_michelstadt,
    kleiner_plan,
    barrierefrei,
    tmp_path,
):
    page = anmelden("dl.erbach")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Aktenplan"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktenplan IKZ Odenwald")
    barrierefrei(page)

    # Expand the tree (htmx loads the children) and filter as you type.
    knopf = page.get_by_role("button", name="Untereinheiten von 0 Allgemeine Verwaltung")
    knopf.click()
    expect(page.get_by_role("link", name=re.compile("0.2 Gemeindeorgane"))).to_be_visible()
    expect(knopf).to_have_attribute("aria-expanded", "true")
    knopf.click()
    expect(page.get_by_role("link", name=re.compile("0.2 Gemeindeorgane"))).to_be_hidden()
    page.get_by_label("Einheit suchen (Kennzeichen oder Titel)").fill("Wahlen")
    treffer = page.locator("#treffer")
    expect(treffer).to_contain_text("1 Treffer")
    treffer.get_by_role("link", name=re.compile("0.2.02 Wahlen")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wahlen")
    barrierefrei(page)

    # Rename.
    page.get_by_role("link", name="Bearbeiten").click()
    page.get_by_label("Titel").fill("Wahlen und Abstimmungen")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wahlen und Abstimmungen")

    # Add a unit under Bauwesen, then move it.
    page.goto(f"{live_server.url}/aktenplan/einheit/{kleiner_plan['6'].uuid}/")
    page.get_by_role("link", name="Untereinheit anlegen").click()
    page.get_by_label("Kennzeichen").fill("6.2")
    page.get_by_label("Titel").fill("Bauaufsicht")
    page.get_by_label("Aufbewahrungsfrist").fill("30")
    page.get_by_label("Aussonderungsart").select_option("B")
    barrierefrei(page)
    page.get_by_role("button", name="Anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("6.2")
    page.get_by_role("link", name="Verschieben / umnummerieren").click()
    page.get_by_label("Neues Kennzeichen").fill("6.3")
    page.get_by_role("button", name="Verschieben").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("6.3")

    # Deactivate: greyed and marked.
    page.get_by_role("link", name="Stilllegen").click()
    page.get_by_role("button", name="Stilllegen").click()
    expect(page.locator("main")).to_contain_text("stillgelegt")
    expect(page.get_by_role("button", name="Wieder aktivieren")).to_be_visible()

    # Import a CSV: dry run first, then apply.
    datei = tmp_path / "aktenplan.csv"
    export = services.aktenplan_exportieren(aktenplan=kleiner_plan["0"].aktenplan, format="csv")
    datei.write_bytes(export + "1;;Öffentliche Sicherheit und Ordnung;;10;B;;;nein;\r\n".encode())
    page.goto(f"{live_server.url}/aktenplan/import/")
    page.get_by_label("Datei (CSV mit Semikolon oder JSON)").set_input_files(str(datei))
    page.get_by_role("button", name="Probelauf starten").click()
    expect(page.get_by_role("status")).to_contain_text("1 neu, 0 geändert, 0 stillgelegt")
    barrierefrei(page)
    page.get_by_role("button", name="Änderungen übernehmen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Änderungen am Aktenplan")

    # A colleague in Michelstadt changes something; the feed shows it as new.
    services.einheit_aendern(
        einheit=kleiner_plan["0.2.01"],
        akteur=akteur_von(digitallotse_michelstadt),
        titel="Sitzungen der Stadtverordnetenversammlung",
    )
    page.reload()
    neu = page.locator("tr.aenderung--neu")
    expect(neu).to_have_count(1)
    expect(neu).to_contain_text("Michelstadt")
    barrierefrei(page)


def test_import_mit_fehler_zeigt_die_zeilen(
    anmelden, live_server, digitallotse, aktenplan, tmp_path
):
    datei = tmp_path / "kaputt.csv"
    datei.write_bytes(
        (KOPF + "\r\n0;;Verwaltung;;zehn;B;;;nein;\r\n0.1;9;X;;5;V;;;nein;\r\n").encode()
    )
    page = anmelden("dl.erbach")
    page.goto(f"{live_server.url}/aktenplan/import/")
    page.get_by_label("Datei (CSV mit Semikolon oder JSON)").set_input_files(str(datei))
    page.get_by_role("button", name="Probelauf starten").click()
    fehler = page.get_by_role("alert")
    expect(fehler).to_contain_text("Es wurde nichts geändert")
    expect(fehler).to_contain_text("Zeile 2: Aufbewahrungsfrist „zehn“ ist ungültig")
    expect(fehler).to_contain_text(
        "Zeile 3: Die übergeordnete Einheit „9“ gibt es weder in der Datei noch im Aktenplan."
    )
    expect(page.get_by_role("button", name="Änderungen übernehmen")).to_have_count(0)


def _viele_einheiten(aktenplan) -> None:
    """6.1 and 6.2 under Bauwesen, with 99 and 20 units below them: 121 more units."""
    from eakte.common.akteur import Akteur

    zeilen = ["6.1;6;Bauordnung;;10;B;;;nein;", "6.2;6;Bauleitplanung;;10;B;;;nein;"]
    zeilen += [f"6.1.{n:02d};6.1;Bauordnung Teil {n};;10;B;;;nein;" for n in range(1, 100)]
    zeilen += [f"6.2.{n:02d};6.2;Bauleitplanung Teil {n};;10;B;;;nein;" for n in range(1, 21)]
    ergebnis = services.aktenplan_importieren(
        aktenplan=aktenplan,
        inhalt="\r\n".join([KOPF, *zeilen, ""]).encode(),
        format="csv",
        akteur=Akteur.system("Test"),
        probelauf=False,
    )
    assert ergebnis.angewendet and len(ergebnis.neu) == 121


def test_import_ergaenzt_standardmaessig_und_ersetzt_nur_mit_bestaetigung(
    anmelden, live_server, digitallotse, kleiner_plan, barrierefrei, tmp_path
):
    aktenplan = kleiner_plan["0"].aktenplan
    _viele_einheiten(aktenplan)
    datei = tmp_path / "vier.csv"
    datei.write_bytes(
        (
            KOPF + "\r\n1;;Öffentliche Sicherheit;;10;B;;;nein;\r\n"
            "6;;Bauwesen und Wohnen;;30;B;;;nein;\r\n"
        ).encode()
    )
    page = anmelden("dl.erbach")

    # Default: the two rows add and change; nothing else is touched.
    page.goto(f"{live_server.url}/aktenplan/import/")
    modus = page.get_by_role("radio", name=re.compile("^Ergänzen"))
    expect(modus).to_be_checked()
    # The radio button stays next to its label (not stretched to the field's width).
    assert modus.bounding_box()["width"] < 40
    barrierefrei(page)
    page.get_by_label("Datei (CSV mit Semikolon oder JSON)").set_input_files(str(datei))
    page.get_by_role("button", name="Probelauf starten").click()
    expect(page.get_by_role("status")).to_contain_text("1 neu, 1 geändert, 0 stillgelegt")
    expect(page.locator("table")).to_contain_text("Titel")
    expect(page.get_by_label(re.compile("Zur Bestätigung"))).to_have_count(0)
    barrierefrei(page)
    page.get_by_role("button", name="Änderungen übernehmen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Änderungen am Aktenplan")
    assert not aktenplan.einheiten.filter(stillgelegt=True).exists()
    assert aktenplan.einheiten.count() == 127

    # Replace the whole plan: full count, complete list in pages, typed confirmation.
    page.goto(f"{live_server.url}/aktenplan/import/")
    page.get_by_role("radio", name=re.compile("Ganzen Plan ersetzen")).check()
    page.get_by_label("Datei (CSV mit Semikolon oder JSON)").set_input_files(str(datei))
    page.get_by_role("button", name="Probelauf starten").click()
    expect(page.get_by_role("status")).to_contain_text("0 neu, 0 geändert, 125 stillgelegt")
    expect(page.get_by_role("note")).to_contain_text("125 Einheiten")
    expect(page.locator("caption")).to_contain_text("Alle Änderungen (125), Einträge 1–100")
    expect(page.locator("tbody tr")).to_have_count(100)
    barrierefrei(page)
    page.get_by_role("link", name="Nächste Seite").click()
    expect(page.locator("caption")).to_contain_text("Einträge 101–125")
    expect(page.locator("tbody")).to_contain_text("6.2.20")
    page.get_by_label(re.compile("Zur Bestätigung")).fill("12")
    page.get_by_role("button", name="Änderungen übernehmen").click()
    expect(page.locator(".meldung, [role=alert]").first).to_contain_text("Zahl 125 eingeben")
    assert not aktenplan.einheiten.filter(stillgelegt=True).exists()
    page.get_by_label(re.compile("Zur Bestätigung")).fill("125")
    page.get_by_role("button", name="Änderungen übernehmen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Änderungen am Aktenplan")
    assert aktenplan.einheiten.filter(stillgelegt=True).count() == 125


def test_aktenplansuche_findet_gebeugte_woerter(
    anmelden, live_server, sachbearbeitung, digitallotse, aktenplan, barrierefrei
):
    from tests.aktenplan.test_views import starterplan_laden

    starterplan_laden(aktenplan, digitallotse)
    page = anmelden("sb.erbach")
    page.goto(f"{live_server.url}/aktenplan/")
    suche = page.get_by_label("Einheit suchen (Kennzeichen oder Titel)")
    treffer = page.locator("#treffer")
    suche.fill("Bauantrag")
    expect(treffer.get_by_role("link", name=re.compile("6.2.01 Bauanträge"))).to_be_visible()
    suche.fill("Friedhöfe")
    expect(treffer.get_by_role("link").first).to_contain_text("Friedhofs- und Bestattungswesen")
    suche.fill("Werbe")
    expect(treffer.get_by_role("link").first).to_contain_text("6.2.04 Werbeanlagen")
    expect(treffer).not_to_contain_text("Schwerbehindertenangelegenheiten")
    barrierefrei(page)


def test_kennzeichen_wird_vorgeschlagen_und_frist_wie_angezeigt(
    anmelden, live_server, digitallotse, kleiner_plan, barrierefrei
):
    page = anmelden("dl.erbach")
    page.goto(f"{live_server.url}/aktenplan/einheit/{kleiner_plan['0.2'].uuid}/")
    page.get_by_role("link", name="Untereinheit anlegen").click()
    kennzeichen = page.get_by_label("Kennzeichen")
    expect(kennzeichen).to_have_value("0.2.03")
    expect(page.locator("main")).to_contain_text("Nächstes freies Kennzeichen unter 0.2: 0.2.03")
    expect(page.locator("main")).to_contain_text("ab Ebene 3: 2 Ziffern")
    barrierefrei(page)
    # A wrong Kennzeichen: the example in the message is itself valid.
    kennzeichen.fill("0.2.3")
    page.get_by_label("Titel").fill("Ehrungen")
    page.get_by_label("Aufbewahrungsfrist").fill("10 Jahre")
    page.get_by_label("Aussonderungsart").select_option("B")
    page.get_by_role("button", name="Anlegen").click()
    expect(page.locator("main")).to_contain_text("Ebene 3 hat 2 Ziffern, z. B. „0.2.03“")
    page.get_by_label("Kennzeichen").fill("0.2.03")
    page.get_by_role("button", name="Anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("0.2.03 Ehrungen")
    expect(page.locator("main")).to_contain_text("10 Jahre")

    # Moving: the proposal follows the typed parent.
    page.get_by_role("link", name="Verschieben / umnummerieren").click()
    page.get_by_label("Kennzeichen der neuen übergeordneten Einheit").fill("6")
    vorschlag = page.locator("#kennzeichen-vorschlag")
    expect(vorschlag).to_have_text("Nächstes freies Kennzeichen unter 6: 6.1.")
    barrierefrei(page)
    page.get_by_label("Neues Kennzeichen").fill("6.1")
    page.get_by_role("button", name="Verschieben").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("6.1 Ehrungen")
