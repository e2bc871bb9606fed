"""A clerk of the Bauamt finds the online application that arrived from the platform, reads
its data on the Vorgang's Antrag page and sends the Bescheid back to the applicant; a
Kommunen-Admin adds a routing rule in the browser."""

from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from eakte.akten import services as akten_services
from eakte.eingang.models import Antrag, Regel, Rueckmeldung
from tests.conftest import pdf_bytes
from tests.eingang.conftest import (  # noqa: F401 - fixtures of the intake tests
    antrag_json,
    civento,
    eingangskonto,
    plattformclient,
    regel_bauantrag,
    webhook,
)
from tests.hilfen import akteur_von


def test_antrag_ansehen_und_bescheid_uebermitteln(
    anmelden,
    live_server,
    plattformclient,  # noqa: F811
    regel_bauantrag,  # noqa: F811
    sachbearbeitung,
    barrierefrei,
):
    assert plattformclient.zustellen(antrag_json("CIV-E2E")).status_code == 201
    antrag = Antrag.alle.select_related("vorgang").get()
    akten_services.dokument_hochladen(
        akteur=akteur_von(sachbearbeitung),
        vorgang=antrag.vorgang,
        datei=SimpleUploadedFile("Bescheid.pdf", pdf_bytes("Bescheid E2E")),
        titel="Baugenehmigung",
        typ="ausgang",
    )
    page = anmelden("sb.erbach")
    page.goto(f"{live_server.url}/akten/vorgaenge/{antrag.vorgang.uuid}/")
    page.get_by_role("link", name="CIV-E2E", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag CIV-E2E")
    expect(page.locator("pre")).to_contain_text("Erbach 12/3")
    barrierefrei(page)
    zeile = page.get_by_role("listitem").filter(has_text="Baugenehmigung")
    zeile.get_by_role("button", name="An Antragsteller übermitteln").click()
    expect(page.locator("main")).to_contain_text("wird an den Antragsteller übermittelt")
    assert Rueckmeldung.alle.filter(antrag=antrag, dokument__titel="Baugenehmigung").exists()


def test_regel_im_browser_anlegen(anmelden, live_server, kommunen_admin, kleiner_plan, bauamt):
    page = anmelden("admin.erbach")
    page.goto(f"{live_server.url}/eingang/regeln/")
    page.get_by_label("Leistung").fill("99140002000000")
    page.get_by_label("Bezeichnung").fill("Bauantrag")
    page.get_by_label("Aktenplaneinheit").select_option(str(kleiner_plan["0.2.01"].pk))
    page.get_by_label("federführende OE").select_option(str(bauamt.pk))
    page.get_by_role("button", name="Regel speichern").click()
    expect(page.locator("main")).to_contain_text("Die Regel wurde gespeichert.")
    assert Regel.objects.get().oe == bauamt
