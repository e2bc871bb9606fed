"""Onboarding without dead ends: "Kommune aufnehmen" and the CSV import send invitations (a
welcome e-mail, through the real Celery worker), the link leads to setting a password, and the
login page confirms it with the user name filled in. Invitations can be sent again, in bulk."""

import email
import email.policy
import re

import pytest
from playwright.sync_api import expect

from eakte.kommunen.models import Benutzer
from tests.hilfen import warten_bis

KOPF = "Benutzername;Vorname;Nachname;E-Mail;OE;Rollen"


def _mails_an(worker, adresse: str) -> list[email.message.EmailMessage]:
    mails = []
    for datei in worker.postfach.iterdir():
        for inhalt in datei.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if inhalt.strip():
                mail = email.message_from_bytes(inhalt, policy=email.policy.default)
                if mail["To"] == adresse:
                    mails.append(mail)
    return mails


def _warte_auf_mail(worker, adresse: str, anzahl: int = 1) -> email.message.EmailMessage:
    return warten_bis(
        lambda: (m := _mails_an(worker, adresse)) and len(m) >= anzahl and m[-1],
        sekunden=60,
        was=lambda: worker.log.read_text(errors="replace")[-2000:],
    )


@pytest.mark.worker
def test_einladung_von_der_aufnahme_bis_zur_anmeldung(
    anmelden, live_server, verbund_admin, celery_worker_prozess, browser, barrierefrei, tmp_path
):
    page = anmelden("verbundadmin.erbach")
    page.goto(f"{live_server.url}/kommunen/aufnehmen/")
    page.get_by_label("Name der Kommune").fill("Bad König")
    page.get_by_label("Kurzname (für Adressen)").fill("bad-koenig")
    page.get_by_label("Amtlicher Gemeindeschlüssel (AGS)").fill("06437001")
    page.get_by_label("Aktenzeichen-Präfix").fill("BKO")
    page.get_by_label("Organisationseinheiten").fill("HA;Hauptamt\nBA;Bauamt")
    page.get_by_label("Benutzername des Kommunen-Admins").fill("admin.badkoenig")
    page.get_by_label("E-Mail-Adresse des Kommunen-Admins").fill("admin@bad-koenig.example")
    page.get_by_label("OE des Kommunen-Admins (Kürzel)").fill("HA")
    page.get_by_role("button", name="Weiter zur Übersicht").click()
    einladen = page.get_by_label(re.compile("Einladungen gleich per E-Mail senden"))
    expect(einladen).to_be_checked()
    assert einladen.bounding_box()["width"] < 40  # a checkbox, not stretched
    barrierefrei(page)
    page.get_by_role("button", name="Kommune aufnehmen").click()
    expect(page.get_by_role("status")).to_contain_text("Eine Einladung wurde an 1 Person gesendet.")

    # The welcome e-mail: a welcome, the user name and the link (not a password-reset text).
    mail = _warte_auf_mail(celery_worker_prozess, "admin@bad-koenig.example")
    assert mail["Subject"] == "Willkommen bei der eAkte IKZ Odenwald"
    text = mail.get_content()
    assert "hat für Sie ein Konto in der eAkte des IKZ Odenwald eingerichtet" in text
    assert "Ihr Benutzername: admin.badkoenig" in text
    assert "neues Passwort" not in text
    link = re.search(r"https?://\S+(/passwort/neu/\S+/)", text).group(1)

    neu = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin").new_page()
    neu.goto(f"{live_server.url}{link}")
    neu.get_by_label("Neues Passwort", exact=True).fill("Admin-Passwort-2026")
    neu.get_by_label("Neues Passwort bestätigen").fill("Admin-Passwort-2026")
    neu.get_by_role("button", name="Passwort speichern").click()
    expect(neu).to_have_url(re.compile(r"/anmelden/\?benutzername=admin.badkoenig$"))
    expect(neu.get_by_role("status")).to_contain_text(
        "Ihr Passwort ist festgelegt. Melden Sie sich jetzt als „admin.badkoenig“"
    )
    expect(neu.get_by_label("Benutzername")).to_have_value("admin.badkoenig")
    expect(neu.get_by_label("Passwort")).to_be_focused()
    barrierefrei(neu)
    neu.get_by_label("Passwort").fill("Admin-Passwort-2026")
    neu.get_by_role("button", name="Anmelden").click()
    neu.wait_for_url(f"{live_server.url}/")

    # The new admin imports three people and invites them in the same step.
    neu.goto(f"{live_server.url}/kommunen/bad-koenig/benutzer/import/")
    datei = tmp_path / "leute.csv"
    zeilen = [f"p{n};Vor{n};Nach{n};p{n}@bad-koenig.example;BA;Sachbearbeitung" for n in range(3)]
    datei.write_text("\r\n".join([KOPF, *zeilen]) + "\r\n", encoding="utf-8")
    neu.get_by_label("CSV-Datei").set_input_files(str(datei))
    neu.get_by_role("button", name="Probelauf starten").click()
    expect(neu.get_by_label(re.compile("Einladungen gleich per E-Mail senden"))).to_be_checked()
    neu.get_by_role("button", name="Personen anlegen").click()
    meldungen = neu.get_by_role("status")
    expect(meldungen).to_contain_text("3 Personen wurden angelegt.")
    expect(meldungen).to_contain_text("Einladungen wurden an 3 Personen gesendet.")
    _warte_auf_mail(celery_worker_prozess, "p2@bad-koenig.example")
    tabelle = neu.get_by_role("table")
    expect(tabelle.get_by_text("Einladung offen")).to_have_count(3)
    barrierefrei(neu)

    # Resend: one chosen person, then everyone still without a password.
    neu.get_by_label("Vor1 Nach1 auswählen").check()
    neu.get_by_role("button", name="Ausgewählte einladen").click()
    expect(neu.get_by_role("status")).to_contain_text("Eine Einladung wurde an 1 Person gesendet.")
    _warte_auf_mail(celery_worker_prozess, "p1@bad-koenig.example", anzahl=2)
    neu.get_by_role("button", name="Alle mit offener Einladung erneut einladen").click()
    expect(neu.get_by_role("status")).to_contain_text("Einladungen wurden an 3 Personen gesendet.")
    assert not Benutzer.objects.get(username="admin.badkoenig").einladung_offen
