import io
from datetime import timedelta

import pypdf
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pdfminer.high_level import extract_text

from eakte.akten import dateien
from eakte.einsicht import schwaerzung, services
from eakte.einsicht.models import EinsichtDokument, Status, Zugriff, Zugriffsart, Zweitkanal
from tests.hilfen import akteur_von

from .conftest import NAME, hochladen

pytestmark = pytest.mark.django_db


def _anlegen(person, akte, **weiteres):
    angaben = {
        "empfaenger_name": "Dr. Anna Anwalt",
        "empfaenger_email": "anwalt@kanzlei.example",
        "empfaenger_rolle": "bevollmaechtigt",
        "download_erlaubt": True,
    }
    angaben.update(weiteres)
    return services.einsicht_anlegen(akteur=akteur_von(person), akte=akte, **angaben)


def _text_pypdf(pdf: bytes) -> str:
    return "".join(seite.extract_text() or "" for seite in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _lesen(datei) -> bytes:
    with dateien.oeffnen(datei) as inhalt:
        return inhalt.read()


def test_schwaerzung_entfernt_den_namen_aus_der_freigegebenen_fassung(
    dateispeicher,  # the folder and the S3 bucket
    sachbearbeitung,
    akte,
    drei_dokumente,
    django_capture_on_commit_callbacks,
):
    einsicht = _anlegen(sachbearbeitung, akte)
    assert einsicht.nummer.startswith(f"AE-{timezone.localdate().year}-")
    assert einsicht.gueltig_bis == timezone.localdate() + timedelta(days=14)
    anzahl = services.wort_schwaerzen(
        akteur=akteur_von(sachbearbeitung), einsicht=einsicht, wort=NAME.lower()
    )
    assert anzahl == 1
    with django_capture_on_commit_callbacks(execute=True):
        freigabe = services.einsicht_freigeben(
            akteur=akteur_von(sachbearbeitung), einsicht=einsicht
        )
    assert len(freigabe.code) == 8
    eintraege = {e.dokument.titel: e for e in EinsichtDokument.objects.filter(einsicht=einsicht)}
    einwendung = eintraege["Einwendung Nachbar"]
    original = _lesen(einwendung.version.datei)
    freigegeben = _lesen(einwendung.freigabedatei)
    # the original is untouched and still holds the name; the released copy does not
    assert einwendung.freigabedatei_id != einwendung.version.datei_id
    assert NAME in _text_pypdf(original) and NAME in extract_text(io.BytesIO(original))
    assert NAME not in _text_pypdf(freigegeben)
    assert NAME not in extract_text(io.BytesIO(freigegeben))
    assert NAME.encode() not in freigegeben
    # the redacted page was recognised again: its other words are searchable
    assert "nebenan" in extract_text(io.BytesIO(freigegeben))
    # and not in what the recipient downloads (watermarked)
    ausgeliefert = services.freigegebene_pdf(einsicht, einwendung)
    assert NAME not in extract_text(io.BytesIO(ausgeliefert))
    assert "Dr. Anna Anwalt" in extract_text(io.BytesIO(ausgeliefert))
    assert einsicht.nummer in _text_pypdf(ausgeliefert)
    # documents without boxes are released as they are
    assert eintraege["Bauantrag"].freigabedatei_id == eintraege["Bauantrag"].version.datei_id
    # the link went to the recipient
    assert any(freigabe.link in m.body for m in mail.outbox)


def test_zurueckgehaltenes_dokument_braucht_grund_und_wird_nicht_freigegeben(
    sachbearbeitung, akte, drei_dokumente
):
    geheim = drei_dokumente[2].dokument
    with pytest.raises(ValidationError) as fehler:
        _anlegen(sachbearbeitung, akte, zurueckgehalten={geheim.pk: " "})
    assert "Grund" in str(fehler.value)
    einsicht = _anlegen(sachbearbeitung, akte, zurueckgehalten={geheim.pk: "§ 29 Abs. 2 HVwVfG"})
    eintrag = EinsichtDokument.objects.get(einsicht=einsicht, dokument=geheim)
    assert not eintrag.freigegeben and eintrag.grund == "§ 29 Abs. 2 HVwVfG"


def test_schlechte_eingaben_schreiben_nichts(
    sachbearbeitung, kollegin_andere_oe, fremde_sachbearbeitung, akte, drei_dokumente
):
    from eakte.einsicht.models import Einsicht

    with pytest.raises(ValidationError) as fehler:
        _anlegen(sachbearbeitung, akte, empfaenger_email="anwalt.kanzlei.example")
    assert "gültige E-Mail-Adresse" in str(fehler.value)
    with pytest.raises(ValidationError):
        _anlegen(
            sachbearbeitung,
            akte,
            zweitkanal=Zweitkanal.EMAIL,
            zweitkanal_email="anwalt@kanzlei.example",
        )
    with pytest.raises(PermissionDenied):  # the colleague of another OE cannot write the Akte
        _anlegen(kollegin_andere_oe, akte)
    with pytest.raises(PermissionDenied):
        _anlegen(fremde_sachbearbeitung, akte)
    assert not Einsicht.alle.exists()


def test_dokument_das_man_nicht_lesen_kann(
    sachbearbeitung, akte, drei_dokumente, akte_anlegen, bauamt
):
    andere_akte = akte_anlegen(sachbearbeitung, bauamt, betreff="Andere Akte")
    from eakte.akten import services as akten_services

    vorgang = akten_services.vorgang_anlegen(
        akteur=akteur_von(sachbearbeitung), akte=andere_akte, betreff="V"
    )
    fremd = hochladen(sachbearbeitung, vorgang, "Fremd", ["x"]).dokument
    with pytest.raises(ValidationError) as fehler:
        _anlegen(sachbearbeitung, akte, dokumente=[drei_dokumente[0].dokument, fremd])
    assert "nicht lesen" in str(fehler.value)


def test_kasten_ausserhalb_der_seite(sachbearbeitung, akte, drei_dokumente):
    einsicht = _anlegen(sachbearbeitung, akte)
    eintrag = EinsichtDokument.objects.filter(einsicht=einsicht).first()
    for kasten, meldung in [
        (schwaerzung.Kasten(1, 0.5, 0.5, 1.4, 0.6), "außerhalb der Seite"),
        (schwaerzung.Kasten(7, 0.1, 0.1, 0.2, 0.2), "Seite 7 gibt es nicht"),
        (schwaerzung.Kasten(1, 0.5, 0.5, 0.4, 0.6), "keine Fläche"),
    ]:
        with pytest.raises(ValidationError) as fehler:
            services.schwaerzungen_hinzufuegen(
                akteur=akteur_von(sachbearbeitung), eintrag=eintrag, kaesten=[kasten]
            )
        assert meldung in str(fehler.value)
    assert not eintrag.schwaerzungen.exists()


def test_verschluesselte_pdf_kann_nicht_geschwaerzt_werden(sachbearbeitung, akte, vorgang):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from eakte.akten import services as akten_services
    from eakte.common.pdf import text_pdf

    schreiber = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(text_pdf(["Geheim"]))))
    schreiber.encrypt("geheim")
    puffer = io.BytesIO()
    schreiber.write(puffer)
    akten_services.dokument_hochladen(
        akteur=akteur_von(sachbearbeitung),
        vorgang=vorgang,
        datei=SimpleUploadedFile("v.pdf", puffer.getvalue(), "application/pdf"),
    )
    einsicht = _anlegen(sachbearbeitung, akte)
    with pytest.raises(ValidationError) as fehler:
        services.wort_schwaerzen(
            akteur=akteur_von(sachbearbeitung), einsicht=einsicht, wort="Geheim"
        )
    assert "verschlüsselt" in str(fehler.value)


def test_code_fuenf_falsche_sperren_und_einmaliger_code(sachbearbeitung, akte, drei_dokumente):
    einsicht = _anlegen(sachbearbeitung, akte)
    freigabe = services.einsicht_freigeben(akteur=akteur_von(sachbearbeitung), einsicht=einsicht)
    assert services.code_pruefen(einsicht=einsicht, code=freigabe.code, ip="192.0.2.1")
    assert not services.code_pruefen(einsicht=einsicht, code=freigabe.code, ip="192.0.2.1")
    for _ in range(4):
        services.code_pruefen(einsicht=einsicht, code="00000000", ip="192.0.2.1")
    einsicht.refresh_from_db()
    assert einsicht.gesperrt_am is not None and services.zustand(einsicht) == "gesperrt"
    assert Zugriff.objects.filter(einsicht=einsicht, art=Zugriffsart.GESPERRT).count() == 1
    neuer = services.code_erneuern(akteur=akteur_von(sachbearbeitung), einsicht=einsicht)
    einsicht.refresh_from_db()
    assert services.zustand(einsicht) == "offen"
    assert services.code_pruefen(einsicht=einsicht, code=neuer, ip="192.0.2.1")


def test_abgelaufen_und_widerrufen(sachbearbeitung, akte, drei_dokumente):
    einsicht = _anlegen(sachbearbeitung, akte)
    services.einsicht_freigeben(akteur=akteur_von(sachbearbeitung), einsicht=einsicht)
    einsicht.refresh_from_db()
    einsicht.gueltig_bis = timezone.localdate() - timedelta(days=1)
    assert services.zustand(einsicht) == "abgelaufen"
    einsicht.refresh_from_db()
    services.einsicht_widerrufen(akteur=akteur_von(sachbearbeitung), einsicht=einsicht)
    einsicht.refresh_from_db()
    assert einsicht.status == Status.WIDERRUFEN and services.zustand(einsicht) == "widerrufen"
    with pytest.raises(ValidationError):
        services.einsicht_widerrufen(akteur=akteur_von(sachbearbeitung), einsicht=einsicht)


def test_akte_mit_500_dokumenten(sachbearbeitung, akte, vorgang, django_assert_max_num_queries):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from eakte.akten import services as akten_services
    from eakte.common.pdf import text_pdf

    for i in range(500):
        akten_services.dokument_hochladen(
            akteur=akteur_von(sachbearbeitung),
            vorgang=vorgang,
            datei=SimpleUploadedFile(f"d{i}.pdf", text_pdf([f"Dokument {i}"]), "application/pdf"),
        )
    einsicht = _anlegen(sachbearbeitung, akte)
    assert EinsichtDokument.objects.filter(einsicht=einsicht, freigegeben=True).count() == 500
    services.einsicht_freigeben(akteur=akteur_von(sachbearbeitung), einsicht=einsicht)
    assert not EinsichtDokument.objects.filter(einsicht=einsicht, freigabedatei=None).exists()
