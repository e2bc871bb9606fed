"""A clerk files a Word letter and an e-mail with a PDF and a spreadsheet attached; the real
worker converts them, files the attachments beside the mail, and each is found by its words."""

import io
from pathlib import Path

import pytest
from django.urls import reverse

from eakte.akten import dateien
from eakte.akten.models import Dokument
from eakte.common.akteur import Anmeldeart
from eakte.common.pdf import text_pdf
from eakte.ocr import services as ocr_services
from eakte.ocr.models import Status, Verarbeitung
from eakte.protokoll.models import Aktion, Protokolleintrag
from eakte.suche import selectors as suche
from tests.conftest import _beenden, worker_starten
from tests.hilfen import warten_bis
from tests.ocr import beispieldateien as beispiele
from tests.ocr.test_verarbeitung import hochladen, warten

pytestmark = pytest.mark.worker


def _gefunden(person, wort) -> set:
    return {treffer.dokument.pk for treffer in suche.dokumente_suchen(person, wort).treffer}


def _nachricht(art: str) -> bytes:
    text = "Sehr geehrte Damen und Herren,\nanbei die Unterlagen zur Zaunanlage Obstwiese."
    lageplan = text_pdf(["Lageplan Flurstück Kirschenallee"])
    kosten = beispiele.office_datei("xlsx", "Maschendraht")
    if art == "msg":
        anlagen = [("Lageplan.pdf", lageplan), ("Kosten.xlsx", kosten), ("leer.txt", b"")]
        return beispiele.outlook_msg(betreff="Bauantrag Gartenweg 7", text=text, anlagen=anlagen)
    return beispiele.email(
        betreff="Bauantrag Gartenweg 7",
        text=text,
        anlagen=[
            ("Lageplan.pdf", lageplan, "application/pdf"),
            ("Kosten.xlsx", kosten, "application/zip"),
            ("leer.txt", b"", "text/plain"),
        ],
    )


@pytest.mark.parametrize("art", ["msg", "eml"])
def test_brief_und_email_mit_anlagen_werden_gefunden_und_verbunden(
    transactional_db, celery_worker_prozess, vorgang, sachbearbeitung, client_als, api_als, art
):
    worker = celery_worker_prozess
    brief = beispiele.office_datei("docx", "Grenzbebauung")
    brief_version, brief_verarbeitung = hochladen(sachbearbeitung, vorgang, "Brief.docx", brief)

    eml = _nachricht(art)
    mail_version, mail_verarbeitung = hochladen(sachbearbeitung, vorgang, f"Antrag.{art}", eml)
    warten(brief_verarbeitung, worker=worker)
    warten(mail_verarbeitung, worker=worker)
    assert brief_verarbeitung.status == Status.FERTIG, brief_verarbeitung.meldung
    assert brief_verarbeitung.verfahren == "umwandlung" and brief_verarbeitung.archiv_id
    assert "LibreOffice" in brief_verarbeitung.transfervermerk["engine"]
    assert mail_verarbeitung.status == Status.FERTIG, mail_verarbeitung.meldung
    assert mail_verarbeitung.verfahren == "email" and mail_verarbeitung.vorschaubild_id
    assert "„leer.txt“ ist leer (0 Bytes)" in mail_verarbeitung.meldung

    mail = mail_version.dokument
    anlagen = warten_bis(
        lambda: (
            len(da := list(Dokument.objects.filter(anlage_zu=mail).order_by("titel"))) == 2 and da
        ),
        sekunden=60,
        was=lambda: worker.log.read_text()[-3000:],
    )
    assert [a.titel for a in anlagen] == ["Kosten.xlsx", "Lageplan.pdf"]
    assert {a.vorgang_id for a in anlagen} == {vorgang.pk}
    for anlage in anlagen:
        version = anlage.versionen.get()
        assert version.hochgeladen_von == sachbearbeitung
        warten(Verarbeitung.objects.get(datei=version.datei), worker=worker)
    eintrag = Protokolleintrag.objects.get(aktion=Aktion.HOCHGELADEN, objekt_uuid=anlagen[1].uuid)
    assert eintrag.anmeldeart == Anmeldeart.SYSTEM and eintrag.benutzer == sachbearbeitung
    assert "als Anlage zu „Antrag“" in eintrag.beschreibung

    brief_dokument, kosten, lageplan = brief_version.dokument, anlagen[0], anlagen[1]
    assert _gefunden(sachbearbeitung, "Grenzbebauung") == {brief_dokument.pk}
    assert _gefunden(sachbearbeitung, "Obstwiese") == {mail.pk}
    assert _gefunden(sachbearbeitung, "Kirschenallee") == {lageplan.pk}
    assert _gefunden(sachbearbeitung, "Maschendraht") == {kosten.pk}

    # from the mail to its attachment and back, on the page and in the API
    seite = client_als(sachbearbeitung).get(
        reverse("akten:dokument", kwargs={"dokument_uuid": mail.uuid})
    )
    html = seite.content.decode()
    assert reverse("akten:dokument", kwargs={"dokument_uuid": lageplan.uuid}) in html
    assert "E-Mail in PDF/A umgewandelt, 2 Anlagen" in html
    seite = client_als(sachbearbeitung).get(
        reverse("akten:dokument", kwargs={"dokument_uuid": lageplan.uuid})
    )
    assert "Anlage zu" in seite.content.decode()
    assert reverse("akten:dokument", kwargs={"dokument_uuid": mail.uuid}) in seite.content.decode()
    daten = api_als(sachbearbeitung).get(f"/api/v1/dokumente/{mail.uuid}/").json()
    assert sorted(daten["anlagen"]) == sorted([str(kosten.uuid), str(lageplan.uuid)])
    assert daten["anlage_zu"] is None
    daten = api_als(sachbearbeitung).get(f"/api/v1/dokumente/{lageplan.uuid}/").json()
    assert daten["anlage_zu"] == str(mail.uuid)

    # a repeated job files nothing twice
    assert ocr_services.anlagen_ablegen(mail_verarbeitung.pk) == 0
    assert Dokument.objects.filter(anlage_zu=mail).count() == 2

    # the same mail filed again elsewhere: recognised already, attachments filed beside it too
    zweite, dieselbe = hochladen(sachbearbeitung, vorgang, f"Kopie.{art}", eml)
    assert dieselbe.pk == mail_verarbeitung.pk
    warten_bis(
        lambda: Dokument.objects.filter(anlage_zu=zweite.dokument).count() == 2,
        sekunden=60,
        was=lambda: worker.log.read_text()[-3000:],
    )


def test_schlechte_eingaben_enden_mit_meldung_und_der_worker_lebt(
    transactional_db, vorgang, sachbearbeitung, tmp_path, dateiablage, settings
):
    """A worker of its own (a short LibreOffice time limit, its own temp folder): every bad file
    ends with a German message, the original is kept, no soffice and no temp folder remain, and
    the next letter is converted by the same worker."""
    from msoffcrypto.format.ooxml import OOXMLFile

    settings.OCR_QUEUE = "test-ocr-office"
    temp = tmp_path / "temp"
    temp.mkdir()
    worker = worker_starten(
        tmp_path,
        dateiablage,
        queues=[settings.OCR_QUEUE],
        leeren=True,
        OFFICE_ZEITLIMIT="5",
        TMPDIR=str(temp),
    )
    try:
        geschuetzt = io.BytesIO()
        OOXMLFile(io.BytesIO(beispiele.office_datei("docx", "Geheim"))).encrypt("x", geschuetzt)
        faelle = [
            ("geschuetzt.docx", geschuetzt.getvalue(), "mit einem Passwort geschützt"),
            ("alt.doc", beispiele.doc_mit_kennwort("Geheim"), "mit einem Passwort geschützt"),
            ("alt.xls", beispiele.xls_mit_kennwort("Geheim"), "mit einem Passwort geschützt"),
            ("bombe.docx", beispiele.zip_bombe(), "ZIP-Bombe"),
            ("riesig.xlsx", beispiele.riesige_tabelle(), "zu groß oder zu aufwendig"),
        ]
        hochgeladen = [
            (hochladen(sachbearbeitung, vorgang, name, inhalt), inhalt, meldung)
            for name, inhalt, meldung in faelle
        ]
        for (version, verarbeitung), inhalt, meldung in hochgeladen:
            warten(verarbeitung, worker=worker)
            assert verarbeitung.status == Status.FEHLER, version.dateiname
            assert meldung in verarbeitung.meldung and "Original bleibt" in verarbeitung.meldung
            with dateien.oeffnen(version.datei) as original:
                assert original.read() == inhalt
        # a letter named like a PDF is converted by what it is
        brief = beispiele.office_datei("docx", "Nachbarschaftshilfe")
        version, verarbeitung = hochladen(sachbearbeitung, vorgang, "Brief.pdf", brief)
        warten(verarbeitung, worker=worker)
        assert verarbeitung.status == Status.FERTIG, verarbeitung.meldung
        assert "Nachbarschaftshilfe" in verarbeitung.text
        assert worker.process.poll() is None
        assert _prozesse_mit(str(temp)) == [] and list(temp.glob("eakte-ocr-*")) == []
    finally:
        _beenden(worker.process)


def _prozesse_mit(teil: str) -> list[str]:
    gefunden = []
    for eintrag in Path("/proc").iterdir():
        try:
            befehl = (eintrag / "cmdline").read_bytes().replace(b"\x00", b" ").decode()
        except OSError:
            continue
        if eintrag.name.isdigit() and teil in befehl:
            gefunden.append(befehl)
    return gefunden
