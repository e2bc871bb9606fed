"""The certificate page and API: Kommunen-Admin only, own Kommune only, secret never returned."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eakte.signatur.models import Signaturzertifikat
from tests.signatur.zertifikate import pkcs12_erzeugen

URL = "/api/v1/signaturzertifikat/"


def test_api_hinterlegen_und_lesen(api_als, kommunen_admin, fremder_kommunen_admin, p12):
    antwort = api_als(kommunen_admin).put(
        URL,
        {"pkcs12": SimpleUploadedFile("siegel.p12", p12), "passphrase": "geheim"},
        format="multipart",
    )
    assert antwort.status_code == 200, antwort.content
    assert "Gemeinde Erbach Dienstsiegel" in antwort.json()["inhaber"]
    daten = api_als(kommunen_admin).get(URL).json()
    assert "pkcs12" not in daten and "passphrase" not in daten
    # the admin of another Kommune sees nothing of Erbach's certificate
    assert api_als(fremder_kommunen_admin).get(URL).status_code == 404


def test_api_falsches_passwort_deutsch(api_als, kommunen_admin, sachbearbeitung, p12):
    antwort = api_als(kommunen_admin).put(
        URL,
        {"pkcs12": SimpleUploadedFile("siegel.p12", p12), "passphrase": "falsch"},
        format="multipart",
    )
    assert antwort.status_code == 400
    assert "falsches Passwort" in antwort.content.decode()
    nicht = api_als(sachbearbeitung).put(
        URL,
        {"pkcs12": SimpleUploadedFile("s.p12", p12), "passphrase": "geheim"},
        format="multipart",
    )
    assert nicht.status_code == 403


def test_seite_zeigt_inhaber_und_lehnt_abgelaufenes_ab(client_als, kommunen_admin, p12):
    client = client_als(kommunen_admin)
    url = reverse("signatur:zertifikat")
    antwort = client.post(
        url,
        {
            "pkcs12": SimpleUploadedFile("alt.p12", pkcs12_erzeugen(abgelaufen=True)),
            "passphrase": "geheim",
        },  # fmt: skip
    )
    assert "abgelaufen" in antwort.content.decode()
    assert not Signaturzertifikat.alle.exists()
    antwort = client.post(
        url, {"pkcs12": SimpleUploadedFile("siegel.p12", p12), "passphrase": "geheim"}, follow=True
    )
    inhalt = antwort.content.decode()
    assert "Gemeinde Erbach Dienstsiegel" in inhalt and "gültig" in inhalt.lower()
    assert "geheim" not in inhalt


def test_seite_nur_fuer_kommunen_admin(client_als, sachbearbeitung):
    assert client_als(sachbearbeitung).get(reverse("signatur:zertifikat")).status_code == 403


def test_api_signaturpruefung_nur_fuer_wer_die_akte_liest(
    api_als, sachbearbeitung, fremder_kommunen_admin, vorgang, p12
):
    from eakte.akten import services as akten_services
    from eakte.signatur import pdf
    from tests.hilfen import akteur_von
    from tests.signatur.zertifikate import pdf_erzeugen

    signiert = pdf.signieren(pdf_erzeugen(), p12=p12, passphrase="geheim", name="A", grund="B")
    version = akten_services.dokument_hochladen(
        akteur=akteur_von(sachbearbeitung),
        vorgang=vorgang,
        datei=SimpleUploadedFile("s.pdf", signiert, content_type="application/pdf"),
    )
    url = f"/api/v1/signaturpruefung/{version.uuid}/"
    daten = api_als(sachbearbeitung).get(url).json()
    (befund,) = daten["signaturen"]
    assert befund["intakt"] and befund["name"] == "A"
    assert befund["vertrauen"] == "Zertifikat nicht aus einer vertrauenswürdigen Quelle geprüft"
    assert api_als(fremder_kommunen_admin).get(url).status_code == 404
