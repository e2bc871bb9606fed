"""Attachments of e-mails: stored by the processing (checked like uploads), filed as Dokumente
by `anlagen_ablegen` once per mail Dokument, nested mails only up to MAIL_MAX_TIEFE."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eakte.akten import services as akten_services
from eakte.akten.models import Dokument
from eakte.common.pdf import text_pdf
from eakte.ocr import services as ocr_services
from eakte.ocr.models import Status, Verarbeitung
from tests.hilfen import akteur_von
from tests.ocr import beispieldateien as beispiele


def _ablegen(person, vorgang, name, inhalt):
    version = akten_services.dokument_hochladen(
        akteur=akteur_von(person), vorgang=vorgang, datei=SimpleUploadedFile(name, inhalt)
    )
    return version.dokument, Verarbeitung.objects.get(datei=version.datei)


def _anlagen(dokument):
    return list(Dokument.objects.filter(anlage_zu=dokument).order_by("titel"))


def test_verarbeitung_speichert_erlaubte_anlagen_und_nennt_die_anderen(
    db, vorgang, sachbearbeitung, django_capture_on_commit_callbacks, api_als
):
    eml = beispiele.email(
        anlagen=[
            ("Lageplan.pdf", text_pdf(["Lageplan Flur 3"]), "application/pdf"),
            (
                "werkzeug.exe",
                b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200),
                "application/octet-stream",
            ),
            ("leer.pdf", b"", "application/pdf"),
        ]
    )
    mail, verarbeitung = _ablegen(sachbearbeitung, vorgang, "Antrag.eml", eml)
    with django_capture_on_commit_callbacks() as rueckrufe:
        assert ocr_services.verarbeiten(verarbeitung.pk) == Status.FERTIG
    verarbeitung.refresh_from_db()
    assert [anlage["name"] for anlage in verarbeitung.anlagen] == ["Lageplan.pdf"]
    assert "„leer.pdf“ ist leer (0 Bytes) und wurde übersprungen" in verarbeitung.meldung
    assert "„werkzeug.exe“ wurde nicht übernommen: Dateien dieser Art" in verarbeitung.meldung
    assert len(rueckrufe) == 1  # the filing task is sent after the commit
    version = mail.versionen.get()
    daten = api_als(sachbearbeitung).get(f"/api/v1/verarbeitungen/{version.uuid}/").json()
    assert daten["verfahren"] == "email" and daten["anlagen"] == ["Lageplan.pdf"]

    assert ocr_services.anlagen_ablegen(verarbeitung.pk) == 1
    assert ocr_services.anlagen_ablegen(verarbeitung.pk) == 0  # a retried job
    (lageplan,) = _anlagen(mail)
    assert lageplan.vorgang == vorgang and lageplan.versionen.get().dateiname == "Lageplan.pdf"


def test_verschachtelte_emails_nur_bis_zur_eingestellten_tiefe(
    db, vorgang, sachbearbeitung, settings
):
    aussen, _ = _ablegen(sachbearbeitung, vorgang, "Aussen.eml", beispiele.email(betreff="A"))
    innen, verarbeitung = _ablegen(sachbearbeitung, vorgang, "Innen.eml", beispiele.email())
    Dokument.objects.filter(pk=innen.pk).update(anlage_zu=aussen)  # as if filed from `aussen`
    _, pdf_verarbeitung = _ablegen(sachbearbeitung, vorgang, "x.pdf", text_pdf(["Karte"]))
    Verarbeitung.objects.filter(pk=verarbeitung.pk).update(
        status=Status.FERTIG, anlagen=[{"datei": pdf_verarbeitung.datei_id, "name": "Karte.pdf"}]
    )
    innen.refresh_from_db()
    assert ocr_services.mail_tiefe(innen) == 1 and ocr_services.mail_tiefe(aussen) == 0
    settings.MAIL_MAX_TIEFE = 1
    assert ocr_services.anlagen_ablegen(verarbeitung.pk) == 0
    assert _anlagen(innen) == []
    settings.MAIL_MAX_TIEFE = 2
    assert ocr_services.anlagen_ablegen(verarbeitung.pk) == 1
    assert [d.titel for d in _anlagen(innen)] == ["Karte.pdf"]


def test_verschieben_in_andere_akte_loest_die_verbindung(
    db, vorgang, sachbearbeitung, bauamt, akte_anlegen
):
    mail, verarbeitung = _ablegen(sachbearbeitung, vorgang, "Antrag.eml", beispiele.email())
    _, pdf_verarbeitung = _ablegen(sachbearbeitung, vorgang, "x.pdf", text_pdf(["Anlage"]))
    Verarbeitung.objects.filter(pk=verarbeitung.pk).update(
        status=Status.FERTIG, anlagen=[{"datei": pdf_verarbeitung.datei_id, "name": "A.pdf"}]
    )
    ocr_services.anlagen_ablegen(verarbeitung.pk)
    (anlage,) = _anlagen(mail)
    akteur = akteur_von(sachbearbeitung)
    gleiche_akte = akten_services.vorgang_anlegen(akteur=akteur, akte=mail.akte, betreff="B")
    akten_services.dokument_verschieben(akteur=akteur, dokument=anlage, ziel=gleiche_akte)
    anlage.refresh_from_db()
    assert anlage.anlage_zu == mail  # within the Akte the link stays
    andere = akte_anlegen(sachbearbeitung, bauamt, betreff="Andere Akte")
    ziel = akten_services.vorgang_anlegen(akteur=akteur, akte=andere, betreff="C")
    akten_services.dokument_verschieben(akteur=akteur, dokument=anlage, ziel=ziel)
    anlage.refresh_from_db()
    assert anlage.anlage_zu is None and _anlagen(mail) == []


def test_anlage_nur_in_der_akte_ihrer_email(db, vorgang, sachbearbeitung, bauamt, akte_anlegen):
    mail, _ = _ablegen(sachbearbeitung, vorgang, "Antrag.eml", beispiele.email())
    andere = akte_anlegen(sachbearbeitung, bauamt, betreff="Andere Akte")
    akteur = akteur_von(sachbearbeitung)
    ziel = akten_services.vorgang_anlegen(akteur=akteur, akte=andere, betreff="C")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="in der Akte ihrer E-Mail"):
        akten_services.dokument_ablegen(
            akteur=akteur,
            vorgang=ziel,
            datei=SimpleUploadedFile("a.pdf", text_pdf(["a"])),
            anlage_zu=mail,
        )
