"""PDF attachments of Dienstanweisungen and the German full-text search in the Fassungen in force."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from eakte.common.pdf import text_pdf
from eakte.kommunen.rollen import Rolle
from schulung import selectors, services
from schulung.models import Anhang
from tests.conftest import _person
from tests.factories import KommuneFactory
from tests.hilfen import akteur_von


@pytest.fixture
def oberzent(verbund):
    return KommuneFactory(
        verbund=verbund,
        name="Oberzent",
        slug="oberzent",
        ags="06437020",
        aktenzeichen_praefix="OBZ",
    )


@pytest.fixture
def sb_oberzent(oberzent):
    return _person(oberzent, "sb.oberzent", [Rolle.SACHBEARBEITUNG])


def _veroeffentlicht(trainer, titel, text, **weiteres):
    dokument = services.dokument_anlegen(
        akteur=akteur_von(trainer), art="dienstanweisung", titel=titel, text=text, **weiteres
    )
    services.entwurf_veroeffentlichen(akteur=akteur_von(trainer), dokument=dokument)
    return dokument


@pytest.fixture
def da_erbach(trainer, erbach):
    return _veroeffentlicht(
        trainer,
        "Dienstanweisung Posteingang",
        "## Scannen\n\nAlle Akten werden elektronisch geführt.",
        alle_kommunen=False,
        kommunen=[erbach],
    )


def _pdf(name="Formular.pdf", text="Formular Posteingang"):
    return SimpleUploadedFile(name, text_pdf([text]), content_type="application/pdf")


# --- attachments -----------------------------------------------------------------------------


def test_anhang_hochladen_und_herunterladen(
    da_erbach, trainer, sachbearbeitung, sb_oberzent, fremder_verbund_admin, client_als
):
    url = f"/schulung/{da_erbach.uuid}/"
    seite = (
        client_als(trainer).post(url + "anhaenge/", {"datei": _pdf()}, follow=True).content.decode()
    )
    assert "Der Anhang „Formular.pdf“ wurde hinzugefügt." in seite
    anhang = Anhang.objects.get()
    seite = client_als(sachbearbeitung).get(url).content.decode()
    assert "Formular.pdf" in seite and "Anhang hochladen" not in seite
    antwort = client_als(sachbearbeitung).get(url + f"anhaenge/{anhang.uuid}/")
    assert antwort.status_code == 200 and antwort["Content-Type"] == "application/pdf"
    assert b"".join(antwort.streaming_content) == text_pdf(["Formular Posteingang"])
    assert 'filename="Formular.pdf"' in antwort["Content-Disposition"]
    for aussen in (sb_oberzent, fremder_verbund_admin):
        assert client_als(aussen).get(url + f"anhaenge/{anhang.uuid}/").status_code == 404
        assert client_als(aussen).post(url + "anhaenge/", {"datei": _pdf()}).status_code == 404
    assert client_als(sachbearbeitung).post(url + "anhaenge/", {"datei": _pdf()}).status_code == 403
    assert (
        client_als(sachbearbeitung).post(url + f"anhaenge/{anhang.uuid}/entfernen/").status_code
        == 403
    )
    client_als(trainer).post(url + f"anhaenge/{anhang.uuid}/entfernen/")
    assert not Anhang.objects.exists()


@pytest.mark.parametrize(
    ("datei", "meldung"),
    [
        (
            SimpleUploadedFile("tarnung.pdf", b"<html><script>alert(1)</script></html>"),
            "Als Anhang sind nur PDF-Dateien erlaubt; erkannt wurde: Webseite (HTML).",
        ),
        (
            SimpleUploadedFile(
                "bild.pdf", bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\0" * 64
            ),
            "Als Anhang sind nur PDF-Dateien erlaubt; erkannt wurde: PNG-Bild.",
        ),
        (SimpleUploadedFile("leer.pdf", b""), "Die Datei ist leer (0 Bytes)."),
    ],
)
def test_falsche_anhaenge_werden_abgelehnt(da_erbach, trainer, datei, meldung):
    with pytest.raises(ValidationError) as fehler:
        services.anhang_hinzufuegen(akteur=akteur_von(trainer), dokument=da_erbach, datei=datei)
    assert fehler.value.message_dict["datei"] == [meldung]
    assert not Anhang.objects.exists()


def test_zu_grosser_anhang(da_erbach, trainer, settings, client_als):
    settings.SCHULUNG_ANHANG_MAX_BYTES = 200
    seite = (
        client_als(trainer)
        .post(f"/schulung/{da_erbach.uuid}/anhaenge/", {"datei": _pdf()}, follow=True)
        .content.decode()
    )
    assert "zu groß; Anhänge dürfen höchstens 0,0 MB groß sein." in seite
    assert not Anhang.objects.exists()
    with pytest.raises(PermissionDenied):
        services.anhang_hinzufuegen(
            akteur=akteur_von(_person(da_erbach.kommunen.get(), "x", [Rolle.SACHBEARBEITUNG])),
            dokument=da_erbach,
            datei=_pdf(),
        )


def test_anhaenge_per_api(da_erbach, trainer, sachbearbeitung, sb_oberzent, api_als):
    basis = f"/api/v1/schulungsdokumente/{da_erbach.uuid}/anhaenge/"
    antwort = api_als(trainer).post(basis, {"datei": _pdf("Muster.pdf")}, format="multipart")
    assert antwort.status_code == 201, antwort.json()
    falsch = api_als(trainer).post(
        basis, {"datei": SimpleUploadedFile("x.pdf", b"kein pdf")}, format="multipart"
    )
    assert falsch.status_code == 400 and "nur PDF-Dateien" in falsch.json()["datei"][0]
    liste = api_als(sachbearbeitung).get(basis).json()
    assert [a["dateiname"] for a in liste] == ["Muster.pdf"]
    datei = api_als(sachbearbeitung).get(liste[0]["download"])
    assert datei.status_code == 200 and b"".join(datei.streaming_content).startswith(b"%PDF")
    assert api_als(sb_oberzent).get(liste[0]["download"]).status_code == 404
    assert api_als(sb_oberzent).get(basis).status_code == 404
    assert (
        api_als(sachbearbeitung).post(basis, {"datei": _pdf()}, format="multipart").status_code
        == 403
    )


# --- full-text search ------------------------------------------------------------------------


def test_suche_deutsch_und_nur_im_geltungsbereich(
    da_erbach, trainer, oberzent, sachbearbeitung, sb_oberzent, fremder_verbund_admin
):
    _veroeffentlicht(
        trainer, "Akten richtig anlegen", "Wie man unter dem Aktenplan eine Vorgangsmappe anlegt."
    )
    _veroeffentlicht(
        trainer,
        "Dienstanweisung Oberzent",
        "Akten in Oberzent.",
        alle_kommunen=False,
        kommunen=[oberzent],
    )
    services.dokument_anlegen(
        akteur=akteur_von(trainer),
        art="leitfaden",
        titel="Entwurf Akten",
        text="Geheime Akten im Entwurf.",
    )
    # "Akte" finds "Akten" (German stemming); the title weighs more than the text
    treffer = selectors.dokumente_suchen(sachbearbeitung, "Akte")
    assert [t.dokument.titel for t in treffer] == [
        "Akten richtig anlegen",
        "Dienstanweisung Posteingang",
    ]
    assert "<mark>Akten</mark>" in treffer[1].ausschnitt
    assert [t.dokument.titel for t in selectors.dokumente_suchen(sb_oberzent, "Akten")] == [
        "Akten richtig anlegen",
        "Dienstanweisung Oberzent",
    ]
    # drafts are never found, not even by the Redaktion
    assert "Entwurf Akten" not in [
        t.dokument.titel for t in selectors.dokumente_suchen(trainer, "geheim")
    ]
    assert selectors.dokumente_suchen(fremder_verbund_admin, "Akte") == []
    assert selectors.dokumente_suchen(sachbearbeitung, "") == []
    # web-search syntax: a phrase, and an exclusion
    assert [
        t.dokument.titel
        for t in selectors.dokumente_suchen(sachbearbeitung, '"elektronisch geführt"')
    ] == ["Dienstanweisung Posteingang"]
    assert [
        t.dokument.titel for t in selectors.dokumente_suchen(sachbearbeitung, "Akte -Aktenplan")
    ] == ["Dienstanweisung Posteingang"]


def test_suche_nur_gueltige_fassung(da_erbach, trainer, sachbearbeitung):
    services.entwurf_speichern(
        akteur=akteur_von(trainer), dokument=da_erbach, text="Ab jetzt mit Barcode-Deckblatt."
    )
    assert selectors.dokumente_suchen(sachbearbeitung, "Deckblatt") == []
    services.entwurf_veroeffentlichen(akteur=akteur_von(trainer), dokument=da_erbach)
    assert [t.fassung.nummer for t in selectors.dokumente_suchen(sachbearbeitung, "Deckblatt")] == [
        2
    ]
    assert (
        selectors.dokumente_suchen(sachbearbeitung, "elektronisch") == []
    )  # Fassung 1 is außer Kraft


def test_suchausschnitt_ist_harmlos(trainer, sachbearbeitung, client_als):
    _veroeffentlicht(
        trainer, "XSS", "Akten <script>alert(1)</script> und <img src=x onerror=alert(1)> Akten"
    )
    seite = client_als(sachbearbeitung).get("/schulung/", {"q": "Akten"}).content.decode()
    assert "1 Treffer für „Akten“" in seite
    assert "<script>alert" not in seite and "<img src=x" not in seite
    # PostgreSQL drops what it parses as a tag; everything else arrives escaped
    assert "&lt;img src=x onerror=alert(1)&gt;" in seite and "<mark>Akten</mark>" in seite


def test_suche_per_api(da_erbach, sachbearbeitung, sb_oberzent, api_als):
    treffer = (
        api_als(sachbearbeitung)
        .get("/api/v1/schulungsdokumente/suche/", {"q": "elektronisch"})
        .json()
    )
    assert [(t["titel"], t["fassung"]) for t in treffer] == [("Dienstanweisung Posteingang", 1)]
    assert "<mark>elektronisch</mark>" in treffer[0]["ausschnitt"]
    assert (
        api_als(sb_oberzent).get("/api/v1/schulungsdokumente/suche/", {"q": "elektronisch"}).json()
        == []
    )
