"""The Kommune's certificate, the signature at Schlusszeichnung, the check on the Dokument page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eakte.akten import services as akten_services
from eakte.geschaeftsgang import services as gg_services
from eakte.geschaeftsgang.models import Ergebnis, Schrittstatus, Verfuegung
from eakte.protokoll.models import Aktion, Protokolleintrag
from eakte.signatur import pdf, services
from eakte.signatur.models import Signaturpruefung, Signaturzertifikat
from tests.geschaeftsgang.conftest import schritt
from tests.hilfen import akteur_von
from tests.signatur.zertifikate import pdf_erzeugen, pkcs12_erzeugen


def test_zertifikat_verschluesselt_gespeichert_und_protokolliert(zertifikat, p12, erbach):
    roh = Signaturzertifikat.alle.values("pkcs12", "passphrase").get(pk=zertifikat.pk)
    assert "geheim" not in roh["passphrase"] and roh["passphrase"]
    assert p12[:20].hex() not in roh["pkcs12"]
    assert "Gemeinde Erbach Dienstsiegel" in zertifikat.inhaber
    eintrag = Protokolleintrag.objects.filter(
        kommune=erbach, aktion=Aktion.EINSTELLUNG_GEAENDERT
    ).latest("pk")
    assert "Signaturzertifikat hinterlegt" in eintrag.beschreibung


def test_zertifikat_falsches_passwort_und_abgelaufen_abgelehnt(kommunen_admin, erbach, p12):
    with pytest.raises(ValidationError, match="falsches Passwort"):
        services.zertifikat_hinterlegen(
            akteur=akteur_von(kommunen_admin), kommune=erbach, pkcs12=p12, passphrase="nein"
        )
    with pytest.raises(ValidationError, match="abgelaufen"):
        services.zertifikat_hinterlegen(
            akteur=akteur_von(kommunen_admin),
            kommune=erbach,
            pkcs12=pkcs12_erzeugen(abgelaufen=True),
            passphrase="geheim",
        )
    assert not Signaturzertifikat.alle.filter(kommune=erbach).exists()


def test_nur_der_kommunen_admin_der_eigenen_kommune(
    sachbearbeitung, fremder_kommunen_admin, erbach, p12
):
    for wer in (sachbearbeitung, fremder_kommunen_admin):
        with pytest.raises(PermissionDenied):
            services.zertifikat_hinterlegen(
                akteur=akteur_von(wer), kommune=erbach, pkcs12=p12, passphrase="geheim"
            )


def _bis_zur_schlusszeichnung(sachbearbeitung, buergermeister, vorgang, dokument):
    gang = gg_services.geschaeftsgang_starten(
        akteur=akteur_von(sachbearbeitung),
        vorgang=vorgang,
        schritte=[schritt(Verfuegung.SCHLUSSZEICHNUNG, person=buergermeister)],
        dokument=dokument,
    )
    return gang, gang.schritte.get(status=Schrittstatus.AKTIV)


def _schlusszeichnen(wer, sz, *, signieren):
    return gg_services.schritt_bearbeiten(
        akteur=akteur_von(wer),
        schritt=sz,
        ergebnis=Ergebnis.SCHLUSSGEZEICHNET,
        elektronisch_signieren=signieren,
    )


def _pdf_dokument(sachbearbeitung, vorgang, inhalt, name="Bescheid.pdf"):
    return akten_services.dokument_hochladen(
        akteur=akteur_von(sachbearbeitung),
        vorgang=vorgang,
        datei=SimpleUploadedFile(name, inhalt, content_type="application/pdf"),
        titel="Bescheid",
    ).dokument


def test_schlusszeichnung_signiert_als_neue_version(
    dateispeicher,  # the folder and the S3 bucket
    zertifikat,
    sachbearbeitung,
    buergermeister,
    vorgang,
    client_als,
):
    dokument = _pdf_dokument(sachbearbeitung, vorgang, pdf_erzeugen())
    gang, sz = _bis_zur_schlusszeichnung(sachbearbeitung, buergermeister, vorgang, dokument)
    _schlusszeichnen(buergermeister, sz, signieren=True)
    gang.refresh_from_db()
    assert gang.signaturvermerk.startswith("elektronisch signiert von Bernd Bürgermeister am ")
    erste, zweite = dokument.versionen.order_by("nummer")
    assert gang.schlussgezeichnete_version == erste  # the original stays, frozen
    assert zweite.dateiname == "Bescheid_signiert.pdf"
    (befund,) = services.befunde(zweite)
    assert befund["intakt"] and befund["name"] == "Bernd Bürgermeister"
    assert (
        befund["eigenes_zertifikat"]
        and befund["vertrauen"] == "hinterlegtes Zertifikat der Kommune"
    )
    assert services.befunde(erste) == []
    assert (
        "elektronisch signiert von Bernd Bürgermeister"
        in Protokolleintrag.objects.filter(aktion=Aktion.GESCHAEFTSGANG).latest("pk").beschreibung
    )

    seite = client_als(sachbearbeitung).get(
        reverse("akten:dokument", kwargs={"dokument_uuid": dokument.uuid})
    )
    inhalt = seite.content.decode()
    assert "elektronisch signiert von Bernd Bürgermeister am" in inhalt
    assert "<strong>intakt</strong>" in inhalt and "hinterlegtes Zertifikat der Kommune" in inhalt
    vermerk = client_als(sachbearbeitung).get(
        reverse("akten:vorgang", kwargs={"vorgang_uuid": vorgang.uuid})
    )
    assert "elektronisch signiert von Bernd Bürgermeister am" in vermerk.content.decode()


def test_fremd_signierte_pdf_ungeprueftes_zertifikat_und_gebrochene_signatur(
    zertifikat, sachbearbeitung, vorgang, client_als
):
    fremd = pkcs12_erzeugen("Irgendein Absender")
    signiert = pdf.signieren(pdf_erzeugen(), p12=fremd, passphrase="geheim", name="A", grund="B")
    dokument = _pdf_dokument(sachbearbeitung, vorgang, signiert, "Antrag.pdf")
    stelle = signiert.index(b"Bescheid")
    kaputt = signiert[:stelle] + b"Y" + signiert[stelle + 1 :]
    version = akten_services.version_hochladen(
        akteur=akteur_von(sachbearbeitung),
        dokument=dokument,
        datei=SimpleUploadedFile("Antrag2.pdf", kaputt, content_type="application/pdf"),
    )
    seite = (
        client_als(sachbearbeitung)
        .get(reverse("akten:dokument", kwargs={"dokument_uuid": dokument.uuid}))
        .content.decode()
    )
    assert "Zertifikat nicht aus einer vertrauenswürdigen Quelle geprüft" in seite
    assert "<strong>nicht intakt</strong>" in seite and "<strong>intakt</strong>" in seite
    # checked once, then cached per stored file
    assert Signaturpruefung.alle.filter(datei=version.datei).exists()
    Signaturpruefung.alle.filter(datei=version.datei).update(ergebnis={"signaturen": []})
    assert services.befunde(version) == []


def test_keine_pdf_deutsche_meldung_schlusszeichnung_ohne_signatur_moeglich(
    zertifikat, sachbearbeitung, buergermeister, vorgang
):
    dokument = akten_services.dokument_hochladen(
        akteur=akteur_von(sachbearbeitung),
        vorgang=vorgang,
        datei=SimpleUploadedFile("notiz.txt", b"Nur eine Notiz.\n", content_type="text/plain"),
    ).dokument
    gang, sz = _bis_zur_schlusszeichnung(sachbearbeitung, buergermeister, vorgang, dokument)
    with pytest.raises(ValidationError, match="Nur PDF-Dokumente können elektronisch signiert"):
        _schlusszeichnen(buergermeister, sz, signieren=True)
    sz.refresh_from_db()
    assert sz.status == Schrittstatus.AKTIV  # nothing half-written
    _schlusszeichnen(buergermeister, sz, signieren=False)
    gang.refresh_from_db()
    assert gang.schlussgezeichnet_von == buergermeister and gang.signaturvermerk == ""


def test_ohne_zertifikat_deutsche_meldung(sachbearbeitung, buergermeister, vorgang):
    dokument = _pdf_dokument(sachbearbeitung, vorgang, pdf_erzeugen())
    _, sz = _bis_zur_schlusszeichnung(sachbearbeitung, buergermeister, vorgang, dokument)
    with pytest.raises(ValidationError, match="kein Signaturzertifikat hinterlegt"):
        _schlusszeichnen(buergermeister, sz, signieren=True)
    assert dokument.versionen.count() == 1


def test_schritt_seite_mit_haken_elektronisch_signieren(
    zertifikat, sachbearbeitung, buergermeister, vorgang, client_als
):
    text = akten_services.dokument_hochladen(
        akteur=akteur_von(sachbearbeitung),
        vorgang=vorgang,
        datei=SimpleUploadedFile("notiz.txt", b"Nur eine Notiz.\n", content_type="text/plain"),
    ).dokument
    _, sz = _bis_zur_schlusszeichnung(sachbearbeitung, buergermeister, vorgang, text)
    client = client_als(buergermeister)
    url = reverse("geschaeftsgang:schritt", kwargs={"schritt_uuid": sz.uuid})
    assert "elektronisch signieren" in client.get(url).content.decode()
    antwort = client.post(
        url, {"ergebnis": Ergebnis.SCHLUSSGEZEICHNET, "elektronisch_signieren": "on"}
    )
    assert "Nur PDF-Dokumente können elektronisch signiert werden" in antwort.content.decode()
    sz.refresh_from_db()
    assert sz.status == Schrittstatus.AKTIV

    dokument = _pdf_dokument(sachbearbeitung, vorgang, pdf_erzeugen())
    gang, sz = _bis_zur_schlusszeichnung(sachbearbeitung, buergermeister, vorgang, dokument)
    url = reverse("geschaeftsgang:schritt", kwargs={"schritt_uuid": sz.uuid})
    client.post(url, {"ergebnis": Ergebnis.SCHLUSSGEZEICHNET, "elektronisch_signieren": "on"})
    gang.refresh_from_db()
    assert gang.signaturvermerk.startswith("elektronisch signiert von Bernd Bürgermeister")
    assert dokument.versionen.count() == 2


def test_seite_mit_vielen_pdf_versionen_braucht_feste_zahl_abfragen(
    zertifikat, sachbearbeitung, vorgang, django_assert_max_num_queries
):
    dokument = _pdf_dokument(sachbearbeitung, vorgang, pdf_erzeugen("eins"))
    for i in range(4):
        akten_services.version_hochladen(
            akteur=akteur_von(sachbearbeitung),
            dokument=dokument,
            datei=SimpleUploadedFile(
                f"v{i}.pdf", pdf_erzeugen(f"Fassung {i}"), content_type="application/pdf"
            ),
        )
    versionen = list(dokument.versionen.select_related("datei"))
    services.befunde_der_versionen(versionen)  # first view: checked and stored
    with django_assert_max_num_queries(2):
        ergebnis = services.befunde_der_versionen(versionen)
    assert ergebnis == {v.pk: [] for v in versionen}
