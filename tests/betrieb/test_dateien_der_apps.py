# ruff: noqa: F811 (the fixtures imported from tests/aussonderung are used as arguments)
"""The files the later apps write (Aussonderung: 0501/0503 messages and ZIPs, Löschprotokoll;
Akteneinsicht: redacted copies; Signatur: signed versions) go through the configured store, folder
and S3 bucket alike: under the Kommune's prefix, with their SHA-256, checked by `dateien_pruefen`,
moved by `dateien_umziehen`, in the backup and proven by the drill. Temporary files (the 0503
being built, the Auskunft ZIP) leave nothing behind."""

import hashlib
import json
import os
import tempfile
import uuid
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.urls import reverse

from eakte.akten import dateien
from eakte.akten.models import Version
from eakte.aussonderung import datenschutz as dsgvo
from eakte.aussonderung import services as aussonderung
from eakte.aussonderung.models import Loeschlauf, Nachricht
from eakte.betrieb import sicherung
from eakte.eingang import einreichung
from eakte.eingang import services as eingang_services
from eakte.einsicht import services as einsicht_services
from eakte.einsicht.models import EinsichtDokument
from tests.aussonderung.conftest import welt, zweite_admin  # noqa: F401 (fixtures)
from tests.aussonderung.test_services import abgeben, bewertet, django_capture_on_commit
from tests.betrieb.test_sicherung import (  # noqa: F401 (leere_datenbank is a fixture)
    _befehl,
    _manage,
    _probe_datenbanken,
    leere_datenbank,
    neue_installation,
)
from tests.eingang.conftest import (  # noqa: F401 (fixtures)
    antrag_json,
    civento,
    eingangskonto,
    regel_bauantrag,
    webhook,
)
from tests.einsicht.conftest import NAME, drei_dokumente  # noqa: F401 (fixture)
from tests.geschaeftsgang.conftest import buergermeister  # noqa: F401 (fixture)
from tests.hilfen import akteur_von
from tests.signatur.conftest import p12, zertifikat  # noqa: F401 (fixtures)
from tests.signatur.test_services import _bis_zur_schlusszeichnung, _pdf_dokument, _schlusszeichnen
from tests.signatur.zertifikate import pdf_erzeugen


def _pruefen(*args) -> tuple[str, CommandError | None]:
    return _befehl("dateien_pruefen", *args)


def _aussonderung_durchlaufen(welt) -> tuple[list[Nachricht], Loeschlauf]:
    """0501 (XML and ZIP), 0503 (ZIP) and an approved Löschlauf with its Löschprotokoll."""
    prozess = bewertet(welt)
    abgeben(welt, prozess)
    lauf = aussonderung.loeschlauf_vorschlagen(
        akteur=akteur_von(welt.admin), akten=[welt.vernichten]
    )
    with django_capture_on_commit():
        lauf = aussonderung.loeschlauf_genehmigen(akteur=akteur_von(welt.zweite_admin), lauf=lauf)
    return list(prozess.nachrichten.order_by("pk")), lauf


def _orte(nachrichten, lauf) -> dict[str, str]:
    """speicherort → SHA-256 of every Aussonderung file."""
    orte = {n.speicherort: n.sha256 for n in nachrichten}
    orte[lauf.protokoll_pdf] = lauf.protokoll_pdf_sha256
    orte[lauf.protokoll_csv] = lauf.protokoll_csv_sha256
    return orte


@pytest.mark.django_db
def test_aussonderung_im_speicher_geprueft_und_nichts_ueberschrieben(dateispeicher, welt):
    nachrichten, lauf = _aussonderung_durchlaufen(welt)
    assert sorted(n.typ for n in nachrichten) == ["0501", "0501", "0503"]
    orte = _orte(nachrichten, lauf)
    assert len(orte) == 5  # the 0501 ZIP and the 0503 ZIP (both "<uuid>.zip") are two objects
    kommune = welt.admin.kommune
    for ort, sha256 in orte.items():
        assert ort.startswith(f"{kommune.uuid}/aussonderung/"), ort
        # read behind the application's back: the stored bytes are the ones the row describes
        assert hashlib.sha256(dateispeicher.lesen(ort)).hexdigest() == sha256, ort
    assert lauf.protokoll_pdf_groesse == len(dateispeicher.lesen(lauf.protokoll_pdf)) > 0

    for optionen in ((), ("--vollstaendig",), ("--kommune", kommune.slug)):
        ausgabe, fehler = _pruefen(*optionen)
        assert fehler is None, ausgabe

    # a missing Löschprotokoll and an altered 0501 ZIP are named
    zip_0501 = next(n for n in nachrichten if n.typ == "0501" and n.dateiname.endswith(".zip"))
    dateispeicher.loeschen(lauf.protokoll_pdf)
    dateispeicher.veraendern(zip_0501.speicherort, b"PK nicht mehr dasselbe")
    ausgabe, fehler = _pruefen()
    assert isinstance(fehler, CommandError) and "2 von" in str(fehler), ausgabe
    assert f"Datei {lauf.protokoll_pdf} " in ausgabe and "Löschlauf): fehlt" in ausgabe
    assert f"Datei {zip_0501.speicherort} " in ausgabe and "Nachricht): verändert" in ausgabe
    ausgabe, fehler = _pruefen("--vollstaendig")
    assert isinstance(fehler, CommandError) and "2 von" in str(fehler), ausgabe


@pytest.mark.django_db
def test_downloads_gestreamt_hinter_der_pruefung(
    dateispeicher, welt, client_als, fremde_sachbearbeitung
):
    nachrichten, lauf = _aussonderung_durchlaufen(welt)
    zip_0503 = next(n for n in nachrichten if n.typ == "0503")
    adressen = {
        reverse(
            "aussonderung:loeschprotokoll", kwargs={"lauf_uuid": lauf.uuid, "art": "pdf"}
        ): lauf.protokoll_pdf_sha256,
        reverse(
            "aussonderung:nachricht", kwargs={"nachricht_uuid": zip_0503.uuid}
        ): zip_0503.sha256,
    }
    for adresse, sha256 in adressen.items():
        antwort = client_als(welt.admin).get(adresse)
        assert antwort.status_code == 200 and antwort.streaming
        assert hashlib.sha256(b"".join(antwort.streaming_content)).hexdigest() == sha256
        assert client_als(fremde_sachbearbeitung).get(adresse).status_code in (403, 404)
    if dateispeicher.art == "s3":  # the bucket has no address to hand out
        with pytest.raises(NotImplementedError):
            dateien.speicher().url(zip_0503.speicherort)


@pytest.mark.django_db
def test_umziehen_nimmt_die_aussonderung_mit(welt, settings, s3_server):
    nachrichten, lauf = _aussonderung_durchlaufen(welt)
    s3 = s3_server.speicher_eintrag(praefix=f"umzug-{uuid.uuid4().hex[:8]}")
    settings.SPEICHERARTEN = {"ordner": settings.STORAGES["default"], "s3": s3}
    ausgabe = StringIO()
    call_command("dateien_umziehen", "--von", "ordner", "--nach", "s3", stdout=ausgabe)
    client = s3_server.client()
    praefix = s3["OPTIONS"]["location"]
    for ort, sha256 in _orte(nachrichten, lauf).items():
        inhalt = client.get_object(Bucket=s3_server.bucket, Key=f"{praefix}/{ort}")
        assert hashlib.sha256(inhalt["Body"].read()).hexdigest() == sha256, ort


@pytest.mark.django_db
def test_zwischendateien_bleiben_nicht_liegen(welt, tmp_path, monkeypatch, datenschutz, client_als):
    """The 0503 ZIP is built in a temporary file (unnamed, removed when closed), and so is the
    Auskunft ZIP streamed to the browser: after both, the temporary folder is empty."""
    ordner = tmp_path / "tmp"
    ordner.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(ordner))
    prozess = bewertet(welt)
    abgeben(welt, prozess)
    anfrage = dsgvo.anfrage_anlegen(
        akteur=akteur_von(datenschutz),
        art="art15",
        person="Erika Mustermann",
        suchbegriffe="Mustermann",
        eingegangen_am=date(2026, 1, 5),
    )
    treffer = dsgvo.suchen(akteur=akteur_von(datenschutz), anfrage=anfrage)
    antwort = client_als(datenschutz).post(
        reverse("aussonderung:auskunftspaket", kwargs={"anfrage_uuid": anfrage.uuid}),
        {"dokumente": [str(d.uuid) for d in treffer]},
    )
    assert antwort.status_code == 200 and b"".join(antwort.streaming_content)[:2] == b"PK"
    antwort.close()
    assert list(ordner.iterdir()) == []
    # and no open handle of this process still holds one (an unnamed file lives while open)
    offen = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            offen.append(os.readlink(f"/proc/self/fd/{fd}"))
        except FileNotFoundError:  # the descriptor of listdir itself
            continue
    assert [ziel for ziel in offen if str(ordner) in ziel] == []


def test_sicherung_und_wiederherstellung_mit_den_dateien_jeder_app(
    dateispeicher,
    transactional_db,
    ohne_hintergrunddienst,
    welt,
    sachbearbeitung,
    akte,
    vorgang,
    drei_dokumente,
    zertifikat,
    buergermeister,
    civento,
    regel_bauantrag,
    settings,
    tmp_path,
    leere_datenbank,
):
    """One file of each app (Aussonderung, Akteneinsicht, Signatur, Eingang) through backup →
    restore into an empty installation → dateien_pruefen → drill."""
    settings.EINSICHT_NEU_ERKENNEN = False  # the text layer is not what is tested here
    nachrichten, lauf = _aussonderung_durchlaufen(welt)
    orte = _orte(nachrichten, lauf)
    # Akteneinsicht: a redacted copy is a stored file of its own
    einsicht = einsicht_services.einsicht_anlegen(
        akteur=akteur_von(sachbearbeitung),
        akte=akte,
        empfaenger_name="Dr. Anna Anwalt",
        empfaenger_email="anwalt@kanzlei.example",
        empfaenger_rolle="bevollmaechtigt",
        download_erlaubt=True,
    )
    einsicht_services.wort_schwaerzen(
        akteur=akteur_von(sachbearbeitung), einsicht=einsicht, wort=NAME.lower()
    )
    with django_capture_on_commit():
        einsicht_services.einsicht_freigeben(akteur=akteur_von(sachbearbeitung), einsicht=einsicht)
    geschwaerzt = EinsichtDokument.objects.exclude(freigabedatei=F("version__datei")).get(
        einsicht=einsicht
    )
    orte[geschwaerzt.freigabedatei.speicherort] = geschwaerzt.freigabedatei.sha256
    # Signatur: the signed version of a Schlusszeichnung
    dokument = _pdf_dokument(sachbearbeitung, vorgang, pdf_erzeugen())
    _, schritt = _bis_zur_schlusszeichnung(sachbearbeitung, buergermeister, vorgang, dokument)
    _schlusszeichnen(buergermeister, schritt, signieren=True)
    signiert = dokument.versionen.order_by("nummer").last()
    assert signiert.dateiname.endswith("_signiert.pdf")
    orte[signiert.datei.speicherort] = signiert.datei.sha256
    # Eingang: the attachments of an application from a platform
    eingabe = einreichung.aus_json(json.dumps(antrag_json("CIV-SICHER")).encode(), "")
    antrag = eingang_services.antrag_annehmen(
        plattform=civento.plattform, einreichung=eingabe
    ).antrag
    anlagen = Version.objects.filter(dokument__vorgang=antrag.vorgang).select_related("datei")
    assert anlagen.count() == 2
    orte |= {v.datei.speicherort: v.datei.sha256 for v in anlagen}

    ziel = tmp_path / "sicherungen"
    ausgabe, fehler = _befehl("sicherung", "--ziel", str(ziel))
    assert fehler is None, ausgabe
    (ordner,) = sicherung.sicherungen(ziel)
    liste = {
        zeile.split("\t")[0]: zeile.split("\t")[1]
        for zeile in (ordner / "dateien.tsv").read_text().splitlines()
        if zeile and not zeile.startswith("#")
    }
    for ort, sha256 in orte.items():
        assert liste.get(ort) == sha256, ort
        if dateispeicher.art == "ordner":
            assert hashlib.sha256((ordner / "dateien" / ort).read_bytes()).hexdigest() == sha256

    neu = tmp_path / "neue-dateien"
    umgebung = neue_installation(leere_datenbank, neu, dateispeicher)
    lauf_ = _manage("wiederherstellen", str(ordner), umgebung=umgebung)
    assert lauf_.returncode == 0, lauf_.stdout + lauf_.stderr
    lauf_ = _manage("dateien_pruefen", "--vollstaendig", umgebung=umgebung)
    assert lauf_.returncode == 0, lauf_.stdout + lauf_.stderr
    assert f"{len(liste)} Dateien geprüft, alle in Ordnung" in lauf_.stdout
    if dateispeicher.art == "ordner":
        for ort, sha256 in orte.items():
            assert hashlib.sha256((neu / ort).read_bytes()).hexdigest() == sha256, ort

    ausgabe, fehler = _befehl("sicherung_probe", "--ziel", str(ziel))
    assert fehler is None, ausgabe
    assert f"OK     Prüfsumme jeder Datei: {len(liste)} Dateien mit richtiger SHA-256" in ausgabe
    assert _probe_datenbanken() == []
