"""Picking up the intake folder: complete files only, cover sheets split the batch, refused files
are set aside with a reason, and nothing is stored twice."""

import contextvars
import hashlib
import io
import os
import threading
import time
import uuid
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from eakte.akten import dateien
from eakte.akten import services as akten_services
from eakte.akten.models import Dokument, Version, Vorgang
from eakte.posteingang import abholen, deckblatt
from eakte.posteingang.models import Posteingangseintrag, Status
from eakte.protokoll.models import Protokolleintrag
from tests.hilfen import akteur_von
from tests.posteingang.conftest import ablegen_im_eingang, deckblatt_gescannt, stapel, textseite


def seitenzahl(datei) -> int:
    with dateien.oeffnen(datei) as inhalt:
        return len(PdfReader(io.BytesIO(inhalt.read())).pages)


def inhalt(datei) -> bytes:
    with dateien.oeffnen(datei) as quelle:
        return quelle.read()


def heute_ordner(ordner):
    return ordner / ".verarbeitet" / timezone.localdate().isoformat()


def test_stapel_wird_an_den_deckblaettern_geteilt(eingang, erbach, akte, vorgang, sachbearbeitung):
    blatt_vorgang = deckblatt_gescannt(sachbearbeitung, akte, vorgang)
    blatt_akte = deckblatt_gescannt(sachbearbeitung, akte)
    scan = stapel(
        textseite(0),  # before the first sheet: goes to the Posteingang
        blatt_vorgang,
        textseite(1),
        textseite(2),
        blatt_akte,
        textseite(3),
    )
    ordner = eingang / "erbach"
    ablegen_im_eingang(ordner, "Stapel 0815.pdf", scan)

    call_command("posteingang_abholen", stdout=io.StringIO())

    # the original batch is kept, as the item's file, in every case
    original = Posteingangseintrag.objects.get(dateiname="Stapel 0815.pdf")
    assert original.kommune == erbach and original.status == Status.ZUGEORDNET
    assert original.datei.sha256 == hashlib.sha256(scan).hexdigest()
    assert inhalt(original.datei) == scan
    assert "2 Dokumente" in original.bemerkung
    # part 1 (2 pages) in the Vorgang of the first sheet
    teil1 = Dokument.objects.get(vorgang=vorgang)
    version1 = teil1.versionen.get()
    assert seitenzahl(version1.datei) == 2 and version1.hochgeladen_von == sachbearbeitung
    assert original.zugeordnet_zu == version1
    # part 2 (1 page) in a new Vorgang "Posteingang <date>" of the Akte
    neuer = Vorgang.objects.get(akte=akte, betreff=f"Posteingang {timezone.localdate():%d.%m.%Y}")
    version2 = Dokument.objects.get(vorgang=neuer).versionen.get()
    assert seitenzahl(version2.datei) == 1
    # the sheets are gone from the documents: no QR code on any page of the parts
    for version in (version1, version2):
        assert not any(deckblatt.pdf_seiten_lesen(inhalt(version.datei)))
    # the page before the first sheet is an open item of its own
    vorlauf = Posteingangseintrag.objects.get(status=Status.OFFEN)
    assert seitenzahl(vorlauf.datei) == 1 and "vor dem ersten Deckblatt" in vorlauf.bemerkung
    # Protokoll: filed in the name of the person who printed the sheet, "per Deckblatt"
    eintraege = Protokolleintrag.objects.filter(
        kommune=erbach, beschreibung__contains="per Deckblatt"
    )
    assert eintraege.count() == 2 and {e.benutzer for e in eintraege} == {sachbearbeitung}
    # a person actor built by the system, the pickup itself is the system with its reason
    assert {e.anmeldeart for e in eintraege} == {"system"}
    eingang_ = Protokolleintrag.objects.get(kommune=erbach, beschreibung__contains="eingegangen")
    assert eingang_.benutzer is None and eingang_.benutzer_name.startswith("System (Posteingang")
    # moved out of the intake folder only after it was stored
    assert not (ordner / "Stapel 0815.pdf").exists()
    assert (heute_ordner(ordner) / "Stapel 0815.pdf").read_bytes() == scan
    assert not list((ordner / ".in-arbeit").iterdir())


def test_stapel_ohne_deckblatt_landet_im_posteingang(eingang, erbach, sachbearbeitung):
    scan = stapel(textseite(0), textseite(1))
    ablegen_im_eingang(eingang / "erbach", "Brief.pdf", scan)
    bericht = abholen.abholen()
    assert bericht.eingegangen == ["Brief.pdf"] and bericht.abgelegt == 0
    eintrag = Posteingangseintrag.objects.get()
    assert eintrag.status == Status.OFFEN and eintrag.quelle == "Eingangsordner erbach"
    assert eintrag.datei.verarbeitung.status == "wartet"  # OCR queued
    assert eintrag.datei.verarbeitung.seiten == 2
    assert not Dokument.objects.exists()


def test_mehrseitiges_tiff_wird_geteilt(eingang, akte, vorgang, sachbearbeitung):
    from eakte.common import beispielscans as scans

    blatt = deckblatt_gescannt(sachbearbeitung, akte, vorgang)
    tiff = scans.als_tiff([blatt, textseite(1), textseite(2)])
    ablegen_im_eingang(eingang / "erbach", "scan.tif", tiff)
    assert abholen.abholen().abgelegt == 1
    version = Version.objects.get(dokument__vorgang=vorgang)
    assert version.datei.mime_typ == "image/tiff" and version.dateiname == "scan Teil 1.tif"
    from PIL import Image

    with dateien.oeffnen(version.datei) as quelle, Image.open(quelle) as bild:
        assert bild.n_frames == 2


def test_unfertige_dateien_werden_nicht_abgeholt(eingang, erbach, settings, monkeypatch):
    ordner = eingang / "erbach"
    # just written: too young
    settings.POSTEINGANG_RUHEZEIT = 30
    ablegen_im_eingang(ordner, "neu.pdf", stapel(textseite(0)), alter=0)
    assert abholen.abholen().eingegangen == []
    assert (ordner / "neu.pdf").exists() and not Posteingangseintrag.objects.exists()

    # old enough, but still growing between the two looks
    settings.POSTEINGANG_RUHEZEIT = 0
    os.utime(ordner / "neu.pdf", (time.time() - 60, time.time() - 60))
    waechst = ablegen_im_eingang(ordner, "waechst.pdf", stapel(textseite(1)))

    def scanner_schreibt_in_der_pause(_sekunden):
        # between the two looks, without a race against a thread
        with waechst.open("ab") as datei:
            datei.write(b"\n% noch mehr Seiten\n")

    with monkeypatch.context() as m:
        m.setattr(
            abholen,
            "time",
            SimpleNamespace(sleep=scanner_schreibt_in_der_pause, time_ns=time.time_ns),
        )
        bericht = abholen.abholen()
    assert bericht.eingegangen == ["neu.pdf"]
    assert waechst.exists()
    # once it stays unchanged it is taken
    settings.POSTEINGANG_PRUEFPAUSE = 0
    os.utime(waechst, (time.time() - 60, time.time() - 60))
    assert abholen.abholen().eingegangen == ["waechst.pdf"]
    assert Posteingangseintrag.objects.count() == 2


def test_temporaere_und_versteckte_dateien_bleiben_liegen(eingang, erbach):
    ordner = eingang / "erbach"
    namen = ["scan.pdf.part", "~$brief.pdf", ".versteckt.pdf", "scan.tmp", "upload.crdownload"]
    for name in namen:
        ablegen_im_eingang(ordner, name, stapel(textseite(0)))
    assert abholen.abholen().eingegangen == []
    assert all((ordner / name).exists() for name in namen)
    assert not Posteingangseintrag.objects.exists()


def test_abgelehnte_dateien_kommen_mit_grund_beiseite(eingang, erbach):
    ordner = eingang / "erbach"
    ablegen_im_eingang(ordner, "leer.pdf", b"")
    ablegen_im_eingang(ordner, "programm.pdf", b"MZ\x90\x00" + bytes(range(256)) * 40)
    bericht = abholen.abholen()
    assert sorted(bericht.abgelehnt) == ["leer.pdf", "programm.pdf"]
    abgelehnt = ordner / ".abgelehnt"
    assert (abgelehnt / "leer.pdf").exists() and (abgelehnt / "programm.pdf").exists()
    assert "leer (0 Bytes)" in (abgelehnt / "leer.pdf.txt").read_text(encoding="utf-8")
    assert "nicht angenommen" in (abgelehnt / "programm.pdf.txt").read_text(encoding="utf-8")
    assert not (ordner / "leer.pdf").exists()
    assert not Posteingangseintrag.objects.exists()


def test_deckblatt_einer_anderen_kommune_schickt_den_stapel_in_den_posteingang(
    eingang, erbach, akte_anlegen, fremde_sachbearbeitung, ordnungsamt_michelstadt
):
    fremde_akte = akte_anlegen(fremde_sachbearbeitung, ordnungsamt_michelstadt)
    blatt = deckblatt_gescannt(fremde_sachbearbeitung, fremde_akte)
    scan = stapel(blatt, textseite(1))
    ablegen_im_eingang(eingang / "erbach", "fremd.pdf", scan)
    assert abholen.abholen().abgelegt == 0
    eintrag = Posteingangseintrag.objects.get()
    assert eintrag.kommune == erbach and eintrag.status == Status.OFFEN
    assert "anderen Kommune (michelstadt)" in eintrag.bemerkung
    assert inhalt(eintrag.datei) == scan
    assert not Dokument.objects.exists() and not Vorgang.objects.filter(akte=fremde_akte).exists()


def test_deckblatt_einer_zda_akte_schickt_den_stapel_in_den_posteingang(
    eingang, akte, vorgang, sachbearbeitung
):
    blatt = deckblatt_gescannt(sachbearbeitung, akte, vorgang)
    akten_services.akte_zda(akteur=akteur_von(sachbearbeitung), akte=akte)
    ablegen_im_eingang(eingang / "erbach", "zda.pdf", stapel(blatt, textseite(1)))
    abholen.abholen()
    eintrag = Posteingangseintrag.objects.get()
    assert eintrag.status == Status.OFFEN
    assert f"Die Akte {akte.aktenzeichen}" in eintrag.bemerkung and "(zdA)" in eintrag.bemerkung
    assert not Dokument.objects.exists()


def test_ein_ungueltiges_deckblatt_haelt_den_ganzen_stapel_an(
    eingang, akte, vorgang, sachbearbeitung, bauamt
):
    gut = deckblatt_gescannt(sachbearbeitung, akte, vorgang)
    schlecht = deckblatt_gescannt(sachbearbeitung, akte)
    sachbearbeitung.organisationseinheiten.remove(bauamt)  # the printer lost write permission
    ablegen_im_eingang(
        eingang / "erbach", "gemischt.pdf", stapel(gut, textseite(1), schlecht, textseite(2))
    )
    abholen.abholen()
    eintrag = Posteingangseintrag.objects.get()
    assert eintrag.status == Status.OFFEN and "nicht (mehr) schreiben" in eintrag.bemerkung
    assert not Dokument.objects.exists()


def test_ordner_ohne_kommune_wird_nicht_angefasst(eingang, erbach):
    datei = ablegen_im_eingang(eingang / "gibt-es-nicht", "brief.pdf", stapel(textseite(0)))
    bericht = abholen.abholen()
    assert bericht.unbekannte_ordner == ["gibt-es-nicht"]
    assert datei.exists() and not Posteingangseintrag.objects.exists()


def test_nach_einem_absturz_wird_nichts_doppelt_gespeichert(eingang, erbach):
    """A claimed file whose item was stored (crash before the move) is only moved on."""
    ordner = eingang / "erbach"
    ablegen_im_eingang(ordner, "a.pdf", stapel(textseite(0)))
    abholen.abholen()
    eintrag = Posteingangseintrag.objects.get()
    # put it back as if the process had died after the commit but before the move
    zurueck = ordner / ".in-arbeit" / f"{eintrag.uuid}__a.pdf"
    (heute_ordner(ordner) / "a.pdf").rename(zurueck)
    # and one that was claimed but never stored
    nie = ordner / ".in-arbeit" / f"{uuid.uuid4()}__b.pdf"
    nie.write_bytes(stapel(textseite(1)))
    bericht = abholen.abholen()
    assert bericht.eingegangen == ["b.pdf"]
    assert Posteingangseintrag.objects.count() == 2
    assert (heute_ordner(ordner) / "a.pdf").exists() and (heute_ordner(ordner) / "b.pdf").exists()
    assert not list((ordner / ".in-arbeit").iterdir())


@pytest.mark.django_db(transaction=True)
def test_zwei_abholer_gleichzeitig_speichern_jede_datei_einmal(eingang, erbach, settings):
    settings.POSTEINGANG_PRUEFPAUSE = 0.3  # both look at the same files at the same time
    ordner = eingang / "erbach"
    for nummer in range(4):
        ablegen_im_eingang(ordner, f"brief-{nummer}.pdf", stapel(textseite(nummer)))
    berichte, fehler = [], []

    def abholer():
        try:
            berichte.append(abholen.abholen())
        except Exception as ausnahme:  # noqa: BLE001
            fehler.append(ausnahme)
        finally:
            connection.close()

    # Two runs of the task: each in a copy of the test's (system) Bereich, as the task would be.
    threads = [
        threading.Thread(target=contextvars.copy_context().run, args=(abholer,)) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not fehler
    assert sorted(name for b in berichte for name in b.eingegangen) == [
        f"brief-{n}.pdf" for n in range(4)
    ]
    assert Posteingangseintrag.objects.count() == 4
    assert len(list(heute_ordner(ordner).iterdir())) == 4


def test_beat_aufgabe_holt_ab(eingang, erbach, settings):
    from eakte.posteingang import tasks

    assert settings.CELERY_BEAT_SCHEDULE["posteingang-abholen"]["schedule"] == 30.0
    ablegen_im_eingang(eingang / "erbach", "per-beat.pdf", stapel(textseite(0)))
    assert tasks.abholen.apply().get() == {"eingegangen": 1, "abgelegt": 0, "abgelehnt": 0}
