"""Done when (issue 21, part 2): the Verbund-Admin's cockpit shows the four Odenwald Kommunen's
pages digitised and paper avoided from the demo data."""

import io

from django.core.management import call_command
from playwright.sync_api import expect


def test_cockpit_des_verbunds_aus_den_demodaten(anmelden, live_server, barrierefrei, settings):
    settings.DEBUG = True
    call_command("demodaten", stdout=io.StringIO())
    from eakte.kommunen.models import Benutzer

    admin = Benutzer.objects.get(username="verbundadmin.erbach")
    admin.set_password("Demo-Passwort-2026!")
    admin.save()
    page = anmelden("verbundadmin.erbach", "Demo-Passwort-2026!")
    page.goto(f"{live_server.url}/cockpit/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Digitalisierungs-Cockpit des Verbunds"
    )
    tabelle = page.locator("table").first
    for name in ("Erbach", "Michelstadt", "Oberzent", "Brombachtal"):
        zeile = tabelle.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name))
        expect(zeile).to_contain_text(" kg)")
        seiten = int(zeile.locator("td").first.inner_text())
        assert seiten > 0, name
    expect(page.locator("main")).to_contain_text("5 g")
    expect(page.locator("svg.diagramm")).to_have_count(2)
    barrierefrei(page)
