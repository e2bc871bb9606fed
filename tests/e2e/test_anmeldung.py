import re

from playwright.sync_api import expect


def test_sachbearbeitung_meldet_sich_an_und_sieht_ihre_kommune(
    anmelden, live_server, sachbearbeitung, barrierefrei
):
    page = anmelden("sb.erbach")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guten Tag")
    expect(page.get_by_role("heading", name="Meine Akten")).to_be_visible()
    barrierefrei(page)

    page.get_by_role("link", name="Meine Kommune").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erbach")
    expect(page.get_by_role("link", name="Bauamt")).to_be_visible()
    barrierefrei(page)

    page.get_by_role("link", name="Bauamt").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bauamt")
    barrierefrei(page)

    page.get_by_role("button", name="Abmelden").click()
    expect(page).to_have_url(re.compile(r"/anmelden/$"))
    barrierefrei(page)


def test_kommunen_admin_sieht_die_benutzer_seiner_kommune(
    anmelden, live_server, kommunen_admin, sachbearbeitung, fremde_sachbearbeitung, barrierefrei
):
    page = anmelden("admin.erbach")
    page.get_by_role("link", name="Benutzer der Kommune Erbach").click()
    tabelle = page.get_by_role("table")
    expect(tabelle).to_contain_text("sb.erbach")
    expect(tabelle).not_to_contain_text("sb.michelstadt")
    barrierefrei(page)

    page.get_by_role("banner").get_by_role("link", name=re.compile("Erbach$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Konto")
    page.get_by_role("button", name="Schlüssel erzeugen").click()
    expect(page.locator("#neuer-api-schluessel")).to_have_text(re.compile(r"^[A-Za-z0-9_-]{43}$"))
    barrierefrei(page)


def test_verbund_admin_sieht_alle_kommunen_und_den_systemstatus(
    anmelden, live_server, verbund_admin, michelstadt, barrierefrei
):
    page = anmelden("verbundadmin.erbach")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Kommunen"
    ).click()
    expect(page.get_by_role("table")).to_contain_text("Michelstadt")
    barrierefrei(page)
    page.get_by_role("link", name="Systemstatus").click()
    expect(page.get_by_role("row", name=re.compile("Datenbank"))).to_contain_text("in Ordnung")
    barrierefrei(page)


def test_adresse_einer_fremden_kommune_zeigt_nicht_gefunden(
    anmelden, live_server, sachbearbeitung, michelstadt, ordnungsamt_michelstadt, barrierefrei
):
    page = anmelden("sb.erbach")
    for pfad in [
        "/kommunen/michelstadt/",
        f"/kommunen/michelstadt/oe/{ordnungsamt_michelstadt.uuid}/",
        f"/kommunen/erbach/oe/{ordnungsamt_michelstadt.uuid}/",
    ]:
        antwort = page.goto(f"{live_server.url}{pfad}")
        assert antwort.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")
        expect(page.locator("body")).not_to_contain_text("Ordnungsamt")
    barrierefrei(page)


def test_falsches_passwort_und_anmeldeseite_sind_barrierefrei(
    page, live_server, sachbearbeitung, barrierefrei
):
    page.goto(f"{live_server.url}/anmelden/")
    barrierefrei(page)
    page.get_by_label("Benutzername").fill("sb.erbach")
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert")).to_contain_text("Benutzername oder Passwort stimmt nicht.")
    barrierefrei(page)


def test_api_dokumentation_laedt_ohne_fremde_server(anmelden, live_server, sachbearbeitung):
    page = anmelden("sb.erbach")
    externe = []
    page.on(
        "request",
        lambda r: externe.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.get_by_text("eAkte IKZ – API")).to_be_visible(timeout=15000)
    assert externe == []
