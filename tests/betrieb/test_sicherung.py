"""Backup → restore into an empty installation → drill, on real PostgreSQL (pg_dump/pg_restore of
the server's version), with the folder and with the S3 bucket as the file store."""

import json
import os
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from psycopg import sql

from eakte.akten import services
from eakte.betrieb import sicherung
from eakte.protokoll.models import Protokolleintrag
from tests.hilfen import akteur_von
from tests.protokoll.conftest import ohne_schutz

ROOT = Path(__file__).resolve().parents[2]


def _verbinden(**weiteres):
    """To the test database (CREATE/DROP DATABASE need some database to talk to)."""
    return psycopg.connect(
        sicherung.database_url(django_settings.DATABASES["default"]["NAME"]), **weiteres
    )


def _befehl(*args) -> tuple[str, CommandError | None]:
    ausgabe = StringIO()
    try:
        call_command(*args, stdout=ausgabe)
    except CommandError as fehler:
        return ausgabe.getvalue(), fehler
    return ausgabe.getvalue(), None


@pytest.fixture
def bestand(  # request `dateispeicher` before this fixture, so that the files go there
    transactional_db, ohne_hintergrunddienst, vorgang, sachbearbeitung, pdf_datei
):
    """Committed rows (pg_dump is another session) with two stored files."""
    return [
        services.dokument_hochladen(
            akteur=akteur_von(sachbearbeitung), vorgang=vorgang, datei=pdf_datei(name), titel=name
        )
        for name in ("Bauantrag.pdf", "Lageplan.pdf")
    ]


@pytest.fixture
def leere_datenbank():
    name = f"{django_settings.DATABASES['default']['NAME']}_wh_{uuid.uuid4().hex[:8]}"
    with _verbinden(autocommit=True) as verbindung:
        verbindung.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with _verbinden(autocommit=True) as verbindung:
            verbindung.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _manage(*args, umgebung: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **umgebung},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def neue_installation(datenbank: str, ordner: Path, dateispeicher) -> dict[str, str]:
    """The environment of a process of an empty installation: its own database, its own folder
    (or the same bucket)."""
    return {
        "DATABASE_URL": sicherung.database_url(datenbank),
        "DATABASE_CONN_MAX_AGE": "0",
        "MEDIA_ROOT": str(ordner),
        **dateispeicher.umgebung,
    }


def _probe_datenbanken() -> list[str]:
    with _verbinden() as verbindung:
        zeilen = verbindung.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            [django_settings.DATABASES["default"]["NAME"] + "_probe_%"],
        ).fetchall()
    return [z[0] for z in zeilen]


def test_ganzer_kreislauf(dateispeicher, bestand, tmp_path, settings, leere_datenbank):
    settings.SPEICHERARTEN = {
        **settings.SPEICHERARTEN,
        "s3": {
            **settings.SPEICHERARTEN["s3"],
            "OPTIONS": {**settings.SPEICHERARTEN["s3"]["OPTIONS"], "secret_key": "GEHEIM-s3-xyz"},
        },
    }
    ziel = tmp_path / "sicherungen"
    ausgabe, fehler = _befehl("sicherung", "--ziel", str(ziel))
    assert fehler is None, ausgabe
    (ordner,) = sicherung.sicherungen(ziel)
    manifest = json.loads((ordner / "manifest.json").read_text())
    assert manifest["dateien"]["anzahl"] == 2 + 0  # two uploads; OCR has not run
    assert manifest["dateien"]["kopiert"] is (dateispeicher.art == "ordner")
    zeilen = json.loads((ordner / "zeilen.json").read_text())
    assert zeilen["protokoll_protokolleintrag"] == Protokolleintrag.objects.count() > 0
    # the configuration is there, its secrets are not
    konfiguration = (ordner / "konfiguration.json").read_text()
    assert '"DATEISPEICHER"' in konfiguration
    for geheim in ("GEHEIM-s3-xyz", django_settings.SECRET_KEY):
        for datei in ordner.rglob("*.json"):
            assert geheim not in datei.read_text()

    # restore into an empty installation: a fresh process with a new database and file store
    neu = tmp_path / "neue-dateien"
    umgebung = neue_installation(leere_datenbank, neu, dateispeicher)
    lauf = _manage("wiederherstellen", str(ordner), umgebung=umgebung)
    assert lauf.returncode == 0, lauf.stdout + lauf.stderr
    assert "alle Prüfsummen stimmen" in lauf.stdout
    for pruefung in ("protokoll_pruefen", "dateien_pruefen"):
        lauf = _manage(pruefung, umgebung=umgebung)
        assert lauf.returncode == 0, lauf.stdout + lauf.stderr
    if dateispeicher.art == "ordner":
        for version in bestand:
            assert (neu / version.datei.speicherort).read_bytes() == dateispeicher.lesen(
                version.datei.speicherort
            )

    # only into an empty database
    lauf = _manage("wiederherstellen", str(ordner), umgebung=umgebung)
    assert lauf.returncode != 0 and "nicht leer" in lauf.stderr

    # the drill: latest backup into a throw-away database, proven, database gone afterwards
    ausgabe, fehler = _befehl("sicherung_probe", "--ziel", str(ziel))
    assert fehler is None, ausgabe
    for name in ("Dump eingespielt", "Zeilenzahlen", "Hash-Ketten des Protokolls"):
        assert f"OK     {name}" in ausgabe
    assert "OK     Prüfsumme jeder Datei: 2 Dateien mit richtiger SHA-256" in ausgabe
    assert _probe_datenbanken() == []
    (bericht,) = ordner.glob("probe-*.json")
    assert json.loads(bericht.read_text())["bestanden"] is True


def test_probe_findet_veraenderte_datei_und_gebrochene_kette(
    dateispeicher, bestand, tmp_path, settings
):
    ziel = tmp_path / "sicherungen"
    # a Protokoll entry altered in the database before the backup: the chain breaks
    eintrag = Protokolleintrag.objects.filter(kommune=bestand[0].kommune).order_by("laufnummer")[0]
    with ohne_schutz():
        Protokolleintrag.objects.filter(pk=eintrag.pk).update(beschreibung="nachträglich")
    _befehl("sicherung", "--ziel", str(ziel))
    (ordner,) = sicherung.sicherungen(ziel)
    # and a stored file changed after the backup (in the backup's copy or in the bucket)
    name = bestand[1].datei.speicherort
    if dateispeicher.art == "ordner":
        pfad = ordner / "dateien" / name
        pfad.chmod(0o640)
        pfad.write_bytes(b"%PDF-1.4 anders")
    else:
        dateispeicher.veraendern(name, b"%PDF-1.4 anders")

    ausgabe, fehler = _befehl("sicherung_probe", "--ziel", str(ziel))
    assert isinstance(fehler, CommandError) and "NICHT bestanden" in str(fehler)
    assert "OK     Zeilenzahlen" in ausgabe
    assert "FEHLER Hash-Ketten des Protokolls" in ausgabe and "gebrochen" in ausgabe
    assert f"FEHLER Prüfsumme jeder Datei: {name}: verändert" in ausgabe
    assert _probe_datenbanken() == []


def test_beschaedigter_dump_und_aufbewahrung(bestand, tmp_path, settings):
    ziel = tmp_path / "sicherungen"
    for _ in range(3):
        ausgabe, fehler = _befehl("sicherung", "--ziel", str(ziel), "--behalten", "2")
        assert fehler is None, ausgabe
    assert len(sicherung.sicherungen(ziel)) == 2 and "Alte Sicherung gelöscht" in ausgabe
    neueste = sicherung.sicherungen(ziel)[-1]
    with (neueste / "datenbank.dump").open("ab") as dump:
        dump.write(b"\0")
    ausgabe, fehler = _befehl("sicherung_probe", "--ziel", str(ziel))
    assert isinstance(fehler, CommandError) and "beschädigt" in str(fehler)


def test_fehlende_datei_macht_die_sicherung_rot(dateispeicher, bestand, tmp_path):
    dateispeicher.loeschen(bestand[0].datei.speicherort)
    ausgabe, fehler = _befehl("sicherung", "--ziel", str(tmp_path))
    assert isinstance(fehler, CommandError) and "1 Dateien fehlen" in str(fehler)
    assert f"{bestand[0].datei.speicherort}: fehlt im Speicher" in ausgabe
