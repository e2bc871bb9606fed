"""Issue 16 ("Everyday use", layout): the pages the later features added – Postkorb and
Geschäftsgang, Vertretung, Aussonderung and DSGVO requests, Akteneinsicht (also the public pages a
recipient opens with link and code), Cockpit, Eingang admin, Anmeldung/Identität, Signatur, Hilfe
and the accessibility statement – with real content, at 1366 px and at 390 px: no sideways
scrolling, no stretched radio button or checkbox, and axe without serious or critical findings in
light and in dark mode."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from eakte.akten import services as akten_services
from eakte.aussonderung import datenschutz as ds_services
from eakte.aussonderung import services as aus_services
from eakte.aussonderung.models import Anfrageart
from eakte.eingang import services as eingang_services
from eakte.eingang.models import Antrag, Postfach, Rueckmeldung
from eakte.einsicht import services as einsicht_services
from eakte.einsicht.models import EinsichtDokument
from eakte.geschaeftsgang import services as gg_services
from eakte.geschaeftsgang.models import Empfaengerart, Verfuegung
from eakte.signatur import pdf as signatur_pdf
from tests.aussonderung.conftest import welt, zweite_admin  # noqa: F401 - fixtures
from tests.conftest import pdf_bytes
from tests.eingang.conftest import (  # noqa: F401 - fixtures
    antrag_json,
    civento,
    eingangskonto,
    plattformclient,
    regel_bauantrag,
    webhook,
)
from tests.einsicht.conftest import drei_dokumente  # noqa: F401 - fixture
from tests.factories import PASSWORT, BenutzerFactory
from tests.geschaeftsgang.conftest import (  # noqa: F401 - fixtures
    abwesend,
    amtsleitung,
    buergermeister,
    entwurf,
    stellvertreter,
)
from tests.hilfen import akteur_von
from tests.signatur.conftest import p12, zertifikat  # noqa: F401 - fixtures
from tests.signatur.zertifikate import pdf_erzeugen

DUNKEL = "rgb(17, 24, 29)"  # the body's background in dark mode (static/css/eakte.css)


@pytest.fixture
def seiten(  # noqa: PLR0913 - one world with every feature's data
    live_server,
    sachbearbeitung,
    kommunen_admin,
    verbund_admin,
    datenschutz,
    amtsleitung,  # noqa: F811
    buergermeister,  # noqa: F811
    stellvertreter,  # noqa: F811
    abwesend,  # noqa: F811
    akte,
    vorgang,
    entwurf,  # noqa: F811
    drei_dokumente,  # noqa: F811
    welt,  # noqa: F811
    plattformclient,  # noqa: F811
    regel_bauantrag,  # noqa: F811
    zertifikat,  # noqa: F811
    p12,  # noqa: F811
    erbach,
    bauamt,
    eingangskonto,  # noqa: F811
):
    """{login: [addresses]} and the public addresses, each page with rows to show."""
    from eakte.cockpit.demo import _vorfuehrwerte
    from eakte.cockpit.models import Tagesstand

    sb, admin = akteur_von(sachbearbeitung), akteur_von(kommunen_admin)
    # Geschäftsgang: one route through a person, an OE's Postkorb and the Bürgermeister
    vorlage = gg_services.vorlage_anlegen(
        akteur=admin,
        name="Antwortschreiben Bauamt",
        schritte=[
            gg_services.VorlageschrittAngabe(
                Verfuegung.MITZEICHNUNG, Empfaengerart.PERSON, person=amtsleitung
            ),
            gg_services.VorlageschrittAngabe(Verfuegung.VERSAND, Empfaengerart.ABSENDER),
        ],
    )
    gang = gg_services.geschaeftsgang_starten(
        akteur=sb,
        vorgang=vorgang,
        dokument=entwurf,
        schritte=[
            gg_services.SchrittAngabe(Verfuegung.MITZEICHNUNG, person=amtsleitung),
            gg_services.SchrittAngabe(Verfuegung.SCHLUSSZEICHNUNG, person=buergermeister),
            gg_services.SchrittAngabe(Verfuegung.VERSAND, person=sachbearbeitung),
        ],
        vorlage=vorlage,
    )
    gg_services.geschaeftsgang_starten(
        akteur=sb,
        vorgang=vorgang,
        schritte=[gg_services.SchrittAngabe(Verfuegung.KENNTNIS, oe=bauamt)],
        betreff="Zur Kenntnis an das Bauamt",
    )
    schritt = gang.schritte.order_by("position", "id").first()

    # Eingang: an application with a reply sent back to the platform
    assert plattformclient.zustellen(antrag_json("CIV-LAYOUT")).status_code == 201
    antrag = Antrag.alle.select_related("vorgang").get()
    bescheid = akten_services.dokument_hochladen(
        akteur=sb,
        vorgang=antrag.vorgang,
        datei=SimpleUploadedFile("Bescheid.pdf", pdf_bytes("Bescheid"), "application/pdf"),
        titel="Baugenehmigung",
        typ="ausgang",
    ).dokument
    eingang_services.dokument_uebermitteln(akteur=sb, antrag=antrag, dokument=bescheid)
    assert Rueckmeldung.alle.exists()
    eingang_services.postfach_anlegen(
        akteur=admin,
        kommune=erbach,
        name="Bauamt-Postfach",
        konto=eingangskonto,
        host="imap.example.org",
        benutzername="bauamt@erbach.example",
        passwort="geheim",
        oe=bauamt,
    )
    postfach = Postfach.objects.get()

    # Signatur: a signed PDF in the Akte
    signiert = signatur_pdf.signieren(
        pdf_erzeugen(), p12=p12, passphrase="geheim", name="Gemeinde Erbach", grund="Bescheid"
    )
    signiert_dok = akten_services.dokument_hochladen(
        akteur=sb,
        vorgang=vorgang,
        datei=SimpleUploadedFile("Signiert.pdf", signiert, "application/pdf"),
        titel="Signierter Bescheid",
    ).dokument

    # Akteneinsicht: a draft with a redaction and a released one
    entwurf_einsicht = einsicht_services.einsicht_anlegen(
        akteur=sb, akte=akte, empfaenger_name="Max Beteiligt", empfaenger_email="max@b.example"
    )
    einsicht_services.wort_schwaerzen(akteur=sb, einsicht=entwurf_einsicht, wort="Mustermann")
    eintrag = EinsichtDokument.objects.filter(einsicht=entwurf_einsicht).first()
    freigegeben = einsicht_services.einsicht_anlegen(
        akteur=sb,
        akte=akte,
        empfaenger_name="Dr. Anna Anwalt",
        empfaenger_email="anwalt@kanzlei.example",
        download_erlaubt=True,
    )
    freigabe = einsicht_services.einsicht_freigeben(akteur=sb, einsicht=freigegeben)
    beendet = einsicht_services.einsicht_anlegen(
        akteur=sb, akte=akte, empfaenger_name="Lea Lang", empfaenger_email="lea@b.example"
    )
    beendet_link = einsicht_services.einsicht_freigeben(akteur=sb, einsicht=beendet).link
    einsicht_services.einsicht_widerrufen(akteur=sb, einsicht=beendet)
    oeffentlich_eintrag = EinsichtDokument.objects.filter(einsicht=freigegeben).first()

    # Aussonderung: an offer to the archive, a deletion run, DSGVO requests
    prozess = aus_services.anbietung_erstellen(
        akteur=admin, akten=[welt.archivwuerdig, welt.bewerten]
    )
    lauf = aus_services.loeschlauf_vorschlagen(akteur=admin, akten=[welt.vernichten])
    anfrage = ds_services.anfrage_anlegen(
        akteur=akteur_von(datenschutz),
        art=Anfrageart.AUSKUNFT,
        person="Erika Mustermann",
        suchbegriffe="Mustermann",
        eingegangen_am=timezone.localdate() - timedelta(days=3),
    )

    # Cockpit: 13 weeks of figures
    Tagesstand.alle.bulk_create(_vorfuehrwerte(erbach, timezone.localdate()))
    heute = timezone.localdate()

    angemeldet = {
        "sb.erbach": [
            "/geschaeftsgang/postkorb/",
            f"/geschaeftsgang/postkorb/oe/{bauamt.uuid}/",
            f"/akten/vorgaenge/{vorgang.uuid}/",
            f"/geschaeftsgang/vorgang/{vorgang.uuid}/starten/",
            f"/geschaeftsgang/vorgang/{vorgang.uuid}/starten/?dokument={entwurf.uuid}",
            "/geschaeftsgang/vertretung/",
            f"/akten/vorgaenge/{antrag.vorgang.uuid}/",
            "/eingang/",
            f"/eingang/{antrag.uuid}/",
            f"/akten/dokumente/{signiert_dok.uuid}/",
            f"/akten/dokumente/{entwurf.uuid}/",
            "/einsicht/",
            f"/einsicht/akte/{akte.uuid}/neu/",
            f"/einsicht/{entwurf_einsicht.uuid}/",
            f"/einsicht/{freigegeben.uuid}/",
            f"/einsicht/dokument/{eintrag.uuid}/",
            "/konto/zweiter-faktor/",
            "/hilfe/",
        ],
        "al.erbach": ["/geschaeftsgang/postkorb/", f"/geschaeftsgang/schritte/{schritt.uuid}/"],
        "stv.erbach": ["/geschaeftsgang/postkorb/"],
        "admin.erbach": [
            "/geschaeftsgang/vorlagen/",
            "/aussonderung/",
            "/aussonderung/archiv/",
            f"/aussonderung/prozess/{prozess.uuid}/",
            f"/aussonderung/loeschlauf/{lauf.uuid}/",
            f"/aussonderung/akte/{welt.gesperrt.uuid}/",
            "/eingang/regeln/",
            "/eingang/kanaele/",
            "/eingang/kanaele/postfaecher/neu/",
            f"/eingang/kanaele/postfaecher/{postfach.uuid}/",
            "/kommunen/erbach/anmeldung/",
            "/signatur/zertifikat/",
            "/cockpit/kommune/erbach/",
        ],
        "verbundadmin.erbach": [
            "/cockpit/verbund/",
            "/eingang/plattformen/",
            "/verbund/anmelderichtlinie/",
            "/geschaeftsgang/vertretung/",
        ],
        "ds.erbach": [
            "/aussonderung/datenschutz/",
            f"/aussonderung/datenschutz/{anfrage.uuid}/",
            "/einsicht/",
            f"/einsicht/{freigegeben.uuid}/",
        ],
    }
    del heute
    BenutzerFactory(kommune=erbach, username="ohne.rolle.erbach", rollen=[])
    angemeldet["ohne.rolle.erbach"] = ["/anmelden/keine-rolle/"]
    oeffentlich = {
        "/anmelden/": 200,
        "/barrierefreiheit/": 200,
        _pfad(beendet_link): 410,  # the recipient's link after the Einsicht was ended
        _pfad(freigabe.link): 200,  # asks for the code
    }
    return angemeldet, oeffentlich, freigabe, oeffentlich_eintrag


def _pfad(link: str) -> str:
    return link[link.index("/einsicht/") :]


def _anmelden(page, live_server, person):
    page.goto(f"{live_server.url}/anmelden/")
    page.get_by_label("Benutzername").fill(person)
    page.get_by_label("Passwort").fill(PASSWORT)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(re.escape(live_server.url) + "/"))


def _befunde(page, breite, axe, adresse) -> list[str]:
    """What is wrong with the page in the browser now: sideways scrolling, stretched radio
    buttons or checkboxes, axe findings in light and dark mode."""
    befunde = []
    breit = page.evaluate("document.documentElement.scrollWidth")
    if breit > breite:
        zu_breit = page.evaluate(
            """(grenze) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > grenze + 1
                        && e.offsetParent !== null)
                .slice(-4).map(e => e.tagName + '.' + e.className + '#' + e.id + ' '
                               + Math.round(e.getBoundingClientRect().right))""",
            breite,
        )
        befunde.append(f"{adresse} @{breite}: {breit} px breit {zu_breit}")
    gestreckt = page.evaluate(
        """() => [...document.querySelectorAll('input[type=radio], input[type=checkbox]')]
            .filter(e => e.offsetParent !== null && e.getBoundingClientRect().width > 40)
            .map(e => e.name + ' ' + Math.round(e.getBoundingClientRect().width))"""
    )
    if gestreckt:
        befunde.append(f"{adresse} @{breite}: gestreckt {gestreckt}")
    # a table on a phone is a list of cards: every cell carries its column's name
    ohne_spalte = page.evaluate(
        """() => [...document.querySelectorAll('main table')].filter(t => t.offsetParent !== null
              && (!t.classList.contains('tabelle')
                  || t.querySelector('tbody td:not([colspan]):not([data-spalte])')))
            .map(t => t.className + ' ' + (t.querySelector('caption, th') || {}).textContent)"""
    )
    if ohne_spalte:
        befunde.append(f"{adresse} @{breite}: Tabelle ohne Spaltennamen {ohne_spalte}")
    # no raw field names (snake_case words) in what the page says
    roh = page.evaluate(
        """() => [...new Set(document.querySelector('main').innerText
              .match(/\\b[a-z]+_[a-z0-9_]+\\b/g) || [])]"""
    )
    if roh:
        befunde.append(f"{adresse} @{breite}: Feldnamen {roh}")
    # Django's empty choice "---------" is not a word: the lists say "–"
    striche = page.locator("main select option", has_text="---------").count()
    if striche:
        befunde.append(f"{adresse} @{breite}: {striche} Auswahl(en) mit „---------“")
    for schema in ("light", "dark"):
        page.emulate_media(color_scheme=schema)
        hintergrund = page.evaluate("getComputedStyle(document.body).backgroundColor")
        if (hintergrund == DUNKEL) != (schema == "dark"):
            befunde.append(f"{adresse} {schema}: Hintergrund {hintergrund}")
        ergebnis = axe.run(page)
        for v in ergebnis.response["violations"]:
            if v["impact"] in ("serious", "critical"):
                ziele = [n["target"] for n in v["nodes"]][:4]
                befunde.append(f"{adresse} @{breite} {schema}: {v['id']} {ziele}")
    page.emulate_media(color_scheme="light")
    return befunde


@pytest.mark.parametrize("breite", [1366, 390])
def test_neue_seiten_ohne_querscrollen_und_barrierefrei(browser, live_server, breite, seiten, axe):
    angemeldet, oeffentlich, freigabe, eintrag = seiten
    kontext = browser.new_context(
        locale="de-DE", timezone_id="Europe/Berlin", viewport={"width": breite, "height": 900}
    )
    befunde, geprueft = [], 0
    try:
        page = kontext.new_page()
        # the public pages first: sign-in, the statement, the recipient of an Akteneinsicht
        for adresse, status in oeffentlich.items():
            antwort = page.goto(live_server.url + adresse)
            assert antwort.status == status, adresse
            befunde += _befunde(page, breite, axe, adresse)
            geprueft += 1
        page.get_by_label("Zugangscode").fill(freigabe.code)
        page.get_by_role("button", name="Einsicht öffnen").click()
        page.get_by_role("link", name=eintrag.dokument.titel, exact=True).wait_for()
        befunde += _befunde(page, breite, axe, "Einsicht: Übersicht")
        page.get_by_role("link", name=eintrag.dokument.titel, exact=True).click()
        page.locator("img.einsicht-seite").wait_for()
        befunde += _befunde(page, breite, axe, "Einsicht: Seite")
        geprueft += 2
        page.close()
        kontext.clear_cookies()

        for person, adressen in angemeldet.items():
            page = kontext.new_page()
            _anmelden(page, live_server, person)
            for adresse in adressen:
                antwort = page.goto(live_server.url + adresse)
                assert antwort.status == 200, f"{person} {adresse}: {antwort.status}"
                assert page.get_by_role("heading", level=1).count() == 1, adresse
                befunde += _befunde(page, breite, axe, adresse)
                geprueft += 1
            page.close()
            kontext.clear_cookies()

        # the second factor: set up the app, the recovery codes (shown once), the code asked
        page = kontext.new_page()
        _anmelden(page, live_server, "ds.erbach")
        page.goto(f"{live_server.url}/konto/zweiter-faktor/")
        geraet = TOTPDevice.objects.get(user__username="ds.erbach", confirmed=False)
        page.get_by_label("Code").fill(f"{totp(geraet.bin_key):06d}")
        page.get_by_role("button", name="Einrichten").click()
        page.locator(".code").first.wait_for()
        befunde += _befunde(page, breite, axe, "Wiederherstellungscodes")
        page.goto(f"{live_server.url}/konto/zweiter-faktor/")
        befunde += _befunde(page, breite, axe, "Zweiter Faktor eingerichtet")
        kontext.clear_cookies()
        _anmelden(page, live_server, "ds.erbach")
        page.goto(f"{live_server.url}/anmelden/zweiter-faktor/")
        page.get_by_label("Code").wait_for()
        befunde += _befunde(page, breite, axe, "Zweiter Faktor bei der Anmeldung")
        geprueft += 3
    finally:
        kontext.close()
    assert not befunde, "\n".join(befunde)
    assert geprueft == len(oeffentlich) + 2 + 3 + sum(len(a) for a in angemeldet.values())
