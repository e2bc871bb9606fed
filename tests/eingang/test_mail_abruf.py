"""E-mail intake against a real Dovecot (IMAPS on a free port, self-signed certificate)."""

import os
import shutil
import tempfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from eakte.akten.models import Dokument
from eakte.eingang import mail_abruf, services
from eakte.eingang.models import Mail
from eakte.posteingang.models import Posteingangseintrag
from tests.conftest import pdf_bytes
from tests.eingang import dovecot
from tests.eingang.conftest import SYSTEM

ADRESSE, PASSWORT = "bauamt@erbach.test", "Postfach-Geheimnis-1"


@pytest.fixture
def imap_server(settings):
    ordner = Path(tempfile.mkdtemp(prefix="eakte-dovecot-"))
    os.chmod(ordner, 0o755)  # noqa: S103 - the dovecot user must enter
    server = dovecot.starten(ordner / "dovecot", {ADRESSE: PASSWORT})
    settings.EINGANG_IMAP_CA_DATEI = str(server.ca)
    yield server
    dovecot.beenden(server)
    shutil.rmtree(ordner, ignore_errors=True)


@pytest.fixture
def postfach(imap_server, erbach, bauamt, eingangskonto):
    return services.postfach_anlegen(
        akteur=SYSTEM,
        kommune=erbach,
        name=ADRESSE,
        konto=eingangskonto,
        oe=bauamt,
        host="localhost",
        port=imap_server.port,
        benutzername=ADRESSE,
        passwort=PASSWORT,
    )


def mail(betreff="Anfrage Zaun", text="Guten Tag,\nich habe eine Frage.", **kopf) -> bytes:
    nachricht = EmailMessage()
    if betreff is not None:
        nachricht["Subject"] = betreff
    nachricht["From"] = kopf.pop("absender", "Erika Mustermann <erika@example.org>")
    nachricht["To"] = ADRESSE
    nachricht["Message-ID"] = kopf.pop("message_id", "<1@example.org>")
    nachricht.set_content(text)
    for name, inhalt in kopf.pop("anlagen", []):
        nachricht.add_attachment(inhalt, maintype="application", subtype="pdf", filename=name)
    return bytes(nachricht)


def _markiert(server) -> list[bytes]:
    verbindung = server.imap(ADRESSE, PASSWORT)
    try:
        verbindung.select("INBOX")
        _, daten = verbindung.uid("SEARCH", None, "UNKEYWORD", mail_abruf.ABGEHOLT)
        return daten[0].split()
    finally:
        verbindung.logout()


def test_mail_landet_im_posteingang_einmal(imap_server, postfach):
    imap_server.einliefern(ADRESSE, PASSWORT, mail(anlagen=[("Lageplan.pdf", pdf_bytes("L"))]))
    bericht = mail_abruf.postfach_abrufen(postfach)
    assert (bericht.abgeholt, bericht.fehler) == (1, [])
    eintrag = Posteingangseintrag.alle.get()
    assert eintrag.dateiname == "Anfrage Zaun.eml" and "bauamt@erbach.test (BA)" in eintrag.quelle
    assert "Kein Aktenzeichen" in eintrag.bemerkung
    assert _markiert(imap_server) == []  # marked on the server after the commit
    # the same message again (a second copy): recognised by its Message-ID
    imap_server.einliefern(ADRESSE, PASSWORT, mail())
    bericht = mail_abruf.postfach_abrufen(postfach)
    assert (bericht.abgeholt, bericht.doppelt) == (0, 1)
    assert Posteingangseintrag.alle.count() == 1 and Mail.alle.count() == 1


def test_aktenzeichen_im_betreff_legt_im_vorgang_ab(imap_server, postfach, vorgang):
    betreff = f"AW: Ihr Zeichen {vorgang.vorgangszeichen} – Nachreichung"
    imap_server.einliefern(ADRESSE, PASSWORT, mail(betreff, message_id="<2@example.org>"))
    bericht = mail_abruf.postfach_abrufen(postfach)
    assert bericht.in_akte == 1
    dokument = Dokument.alle.get(vorgang=vorgang)
    assert dokument.titel == betreff and "Erika" in dokument.absender
    assert Posteingangseintrag.alle.count() == 0


def test_nichts_gespeichert_heisst_nicht_markiert(imap_server, postfach, settings):
    settings.UPLOAD_MAX_BYTES = 10  # the .eml is refused while storing: the transaction rolls back
    imap_server.einliefern(ADRESSE, PASSWORT, mail())
    bericht = mail_abruf.postfach_abrufen(postfach)
    assert bericht.abgeholt == 0 and bericht.fehler
    assert Mail.alle.count() == 0 and Posteingangseintrag.alle.count() == 0
    assert len(_markiert(imap_server)) == 1  # still waiting on the server
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    assert mail_abruf.postfach_abrufen(postfach).abgeholt == 1


def _smime() -> bytes:
    return (
        b"Subject: Signiert\r\nFrom: a@example.org\r\nMessage-ID: <smime@example.org>\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/signed; "
        b'protocol="application/pkcs7-signature"; micalg=sha-256; boundary="g"\r\n\r\n'
        b"--g\r\nContent-Type: text/plain\r\n\r\nUnterschriebener Text\r\n"
        b"--g\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHAqCAMIACAQEx\r\n--g--\r\n"
    )


def _html_fern() -> bytes:
    nachricht = EmailMessage()
    nachricht["Subject"] = "Newsletter"
    nachricht["From"] = "info@example.org"
    nachricht["Message-ID"] = "<html@example.org>"
    nachricht.set_content(
        '<p>Hallo</p><img src="https://tracker.example.org/pixel.png">', subtype="html"
    )
    return bytes(nachricht)


def _weitergeleitet() -> bytes:
    innen = EmailMessage()
    innen["Subject"] = "Ursprüngliche Nachricht"
    innen["From"] = "b@example.org"
    innen.set_content("Innen")
    aussen = EmailMessage()
    aussen["Subject"] = "WG: Ursprüngliche Nachricht"
    aussen["From"] = "a@example.org"
    aussen["Message-ID"] = "<wg@example.org>"
    aussen.set_content("Siehe unten.")
    aussen.add_attachment(innen)
    return bytes(aussen)


@pytest.mark.parametrize(
    ("roh", "hinweis"),
    [
        (mail(None, message_id="<ohne@example.org>"), "keinen Betreff"),
        (
            b"Subject: Gr\xfc\xdfe aus M\xfcnchen\r\nFrom: a@example.org\r\n"
            b"Message-ID: <8bit@example.org>\r\n\r\nText\r\n",
            "8-Bit",
        ),
        (_smime(), "S/MIME-signiert"),
        (_html_fern(), "nicht geladen"),
        (_weitergeleitet(), "weitergeleitete E-Mail"),
    ],
    ids=["ohne-betreff", "8bit-kopf", "smime", "html-fernbilder", "weitergeleitet"],
)
def test_schwierige_mails_mit_hinweis(imap_server, postfach, roh, hinweis):
    imap_server.einliefern(ADRESSE, PASSWORT, roh)
    bericht = mail_abruf.postfach_abrufen(postfach)
    assert (bericht.abgeholt, bericht.fehler) == (1, [])
    eintrag = Posteingangseintrag.alle.get()
    assert hinweis in eintrag.bemerkung, eintrag.bemerkung
    assert _markiert(imap_server) == []
    if hinweis == "8-Bit":
        assert eintrag.dateiname == "Grüße aus München.eml"


def test_zu_grosse_mail_bleibt_auf_dem_server(imap_server, postfach, settings):
    settings.EINGANG_MAIL_MAX_BYTES = 20_000
    gross = mail("Pläne", anlagen=[("Plan.pdf", b"%PDF-1.4\n" + b"x" * 50_000)])
    imap_server.einliefern(ADRESSE, PASSWORT, gross)
    bericht = mail_abruf.postfach_abrufen(postfach)
    assert bericht.zu_gross == 1 and bericht.abgeholt == 0
    eintrag = Posteingangseintrag.alle.get()
    assert "zu groß" in eintrag.bemerkung and eintrag.dateiname == "E-Mail zu groß.txt"
    assert len(_markiert(imap_server)) == 1  # not taken: it stays for the mail client
    assert mail_abruf.postfach_abrufen(postfach).zu_gross == 0  # and is not reported twice


def test_falsches_passwort_und_unbekanntes_zertifikat(imap_server, postfach, settings):
    postfach.passwort = services.geheimnis.verschluesseln("falsch")
    postfach.save()
    assert "Anmeldung" in mail_abruf.postfach_abrufen(postfach).fehler[0]
    postfach.refresh_from_db()
    assert "Anmeldung" in postfach.letzter_fehler
    settings.EINGANG_IMAP_CA_DATEI = ""  # the self-signed certificate is not trusted
    assert "TLS" in mail_abruf.postfach_abrufen(postfach).fehler[0]


# --- reply tokens ("[#V-…]") ---------------------------------------------------------------


@pytest.fixture
def fremder_vorgang(akte_anlegen, fremde_sachbearbeitung, ordnungsamt_michelstadt):
    from eakte.akten import services as akten_services
    from tests.hilfen import akteur_von

    akte = akte_anlegen(fremde_sachbearbeitung, ordnungsamt_michelstadt, betreff="Zaun")
    return akten_services.vorgang_anlegen(
        akteur=akteur_von(fremde_sachbearbeitung), akte=akte, betreff="Zaun Michelstadt"
    )


def test_antwortkennung_legt_im_vorgang_ab(imap_server, postfach, vorgang):
    kennung = services.antwortkennung_vergeben(vorgang=vorgang)
    assert services.antwortkennung_vergeben(vorgang=vorgang) == kennung  # given once
    betreff = f"AW: Ihre Anfrage {str(kennung).upper()}"  # the case does not matter
    imap_server.einliefern(ADRESSE, PASSWORT, mail(betreff, message_id="<k1@example.org>"))
    bericht = mail_abruf.postfach_abrufen(postfach)
    assert (bericht.in_akte, bericht.fehler) == (1, [])
    dokument = Dokument.alle.get(vorgang=vorgang)
    assert dokument.titel == betreff and Posteingangseintrag.alle.count() == 0


def test_unbekannte_oder_fremde_antwortkennung_in_den_posteingang(
    imap_server, postfach, vorgang, fremder_vorgang
):
    fremde = services.antwortkennung_vergeben(vorgang=fremder_vorgang)
    assert fremde.kommune_id != postfach.kommune_id
    # a forged token, and the real token of a Vorgang of Michelstadt sent to Erbach's mailbox;
    # the second names Erbach's Vorgangszeichen too: the token decides, nothing is guessed
    imap_server.einliefern(ADRESSE, PASSWORT, mail("Re: [#V-abcdefghjkmn]", message_id="<k2@x>"))
    imap_server.einliefern(
        ADRESSE, PASSWORT, mail(f"{fremde} {vorgang.vorgangszeichen}", message_id="<k3@x>")
    )
    bericht = mail_abruf.postfach_abrufen(postfach)
    assert (bericht.abgeholt, bericht.in_akte) == (2, 0)
    assert Dokument.alle.count() == 0
    bemerkungen = sorted(e.bemerkung for e in Posteingangseintrag.alle.all())
    assert all("gehört zu keinem Vorgang dieser Kommune" in b for b in bemerkungen)
    assert "[#V-abcdefghjkmn]" in bemerkungen[0] + bemerkungen[1]
