"""Backup, restore and the restore drill (docs/betrieb.md).

A backup is a folder `sicherung-<UTC time>` with
- `datenbank.dump`: pg_dump in custom format, taken in one exported snapshot;
- `zeilen.json`: the row count of every table, counted in the same snapshot;
- `dateien.tsv`: every stored file the snapshot knows (name, SHA-256, size), checked in the store;
- `dateien/`: the files themselves (always for the folder; for a bucket only if asked: a bucket
  is backed up by its own versioning/replication, the manifest proves what must be there);
- `konfiguration.json`: the settings that shape the installation, without any secret;
- `manifest.json`: what is where, with the dump's SHA-256; written last.
It is written under `.unfertig-…` and renamed at the end: a folder without the dot is complete.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import psycopg
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from psycopg import sql

from . import dateibestand

FORMAT = 1
PRAEFIX = "sicherung-"


class SicherungsFehler(Exception):
    pass


# ---------------------------------------------------------------- connection to PostgreSQL


def _db(name: str | None = None) -> dict:
    konf = settings.DATABASES["default"]
    return {
        "host": konf.get("HOST") or "",
        "port": str(konf.get("PORT") or ""),
        "user": konf.get("USER") or "",
        "password": konf.get("PASSWORD") or "",
        "dbname": name or konf["NAME"],
    }


def _libpq_umgebung(name: str | None = None) -> dict[str, str]:
    """The connection for pg_dump/pg_restore in the environment (no password on a command
    line, where `ps` shows it)."""
    db = _db(name)
    umgebung = dict(os.environ)
    for schluessel, variable in (
        ("host", "PGHOST"),
        ("port", "PGPORT"),
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
        ("dbname", "PGDATABASE"),
    ):
        if db[schluessel]:
            umgebung[variable] = db[schluessel]
    return umgebung


def database_url(name: str) -> str:
    db = _db(name)
    anmeldung = quote(db["user"], safe="")
    if db["password"]:
        anmeldung += ":" + quote(db["password"], safe="")
    host = quote(db["host"], safe="") if db["host"].startswith("/") else db["host"]
    port = f":{db['port']}" if db["port"] else ""
    return f"postgres://{anmeldung}@{host}{port}/{name}"


def _verbinden(name: str | None = None, **weiteres) -> psycopg.Connection:
    parameter = {k: v for k, v in _db(name).items() if v}
    return psycopg.connect(**parameter, **weiteres)


def pg_programm(name: str) -> str:
    """pg_dump/pg_restore of the server's major version (a newer or older client writes or
    reads dumps the server cannot use): /usr/lib/postgresql/<major>/bin first, then PATH."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        (nummer,) = cursor.fetchone()
    major = int(nummer) // 10000
    kandidat = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if kandidat.exists():
        return str(kandidat)
    gefunden = shutil.which(name)
    if not gefunden:
        raise SicherungsFehler(f"{name} ist nicht installiert (PostgreSQL {major}).")
    return gefunden


def _tabellen(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [zeile[0] for zeile in cursor.fetchall()]


def zeilen_zaehlen(cursor) -> dict[str, int]:
    ergebnis = {}
    for tabelle in _tabellen(cursor):
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(tabelle)))
        ergebnis[tabelle] = cursor.fetchone()[0]
    return ergebnis


def dateien_lesen(cursor) -> list[dateibestand.Eintrag]:
    """The stored files as the database (this snapshot) knows them, each name once."""
    gesehen: dict[str, dateibestand.Eintrag] = {}
    for spalten in dateibestand.dateispalten():
        ort, sha256, groesse = (
            spalten.spalte(f) for f in (spalten.ort, spalten.sha256, spalten.groesse)
        )
        cursor.execute(
            sql.SQL("SELECT {}, {}, {} FROM {} WHERE {} <> '' ORDER BY 1").format(
                sql.Identifier(ort),
                sql.Identifier(sha256),
                sql.Identifier(groesse),
                sql.Identifier(spalten.tabelle),
                sql.Identifier(ort),
            )
        )
        for ort, sha256, groesse in cursor.fetchall():
            gesehen.setdefault(ort, dateibestand.Eintrag(ort, sha256, groesse))
    return sorted(gesehen.values(), key=lambda e: e.speicherort)


def _sha256_datei(pfad: Path) -> str:
    summe = hashlib.sha256()
    with pfad.open("rb") as inhalt:
        for stueck in iter(lambda: inhalt.read(1024 * 1024), b""):
            summe.update(stueck)
    return summe.hexdigest()


# ---------------------------------------------------------------- configuration without secrets

KONFIGURATION = (
    "DATEISPEICHER",
    "TIME_ZONE",
    "LANGUAGE_CODE",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "UPLOAD_MAX_BYTES",
    "UPLOAD_ERLAUBTE_TYPEN",
    "OCR_QUEUE",
    "CELERY_TASK_DEFAULT_QUEUE",
    "OCR_ZEITLIMIT_BASIS",
    "OCR_ZEITLIMIT_JE_SEITE",
    "OCR_MAX_SEITEN",
    "SESSION_COOKIE_AGE",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_TIME",
)
GEHEIM = re.compile(r"(SECRET|PASSWORD|PASSWORT|KEY|TOKEN|GEHEIM)", re.IGNORECASE)


def konfiguration() -> dict:
    """What shapes this installation, for rebuilding it; never a secret (SECRET_KEY, passwords,
    access keys are left out, URLs lose their user part)."""
    ergebnis = {name: getattr(settings, name, None) for name in KONFIGURATION}
    s3 = settings.SPEICHERARTEN["s3"]["OPTIONS"]
    ergebnis["S3"] = {k: v for k, v in s3.items() if not GEHEIM.search(k)}
    ergebnis["DATENBANK"] = {"HOST": _db()["host"], "PORT": _db()["port"], "NAME": _db()["dbname"]}
    ergebnis["REDIS_URL"] = re.sub(r"//[^@/]*@", "//", settings.REDIS_URL)
    ergebnis["INSTALLED_APPS"] = list(settings.INSTALLED_APPS)
    ergebnis["PYTHON"] = sys.version.split()[0]
    return ergebnis


# ---------------------------------------------------------------- backup


@dataclass
class Ergebnis:
    ordner: Path
    zeilen: int = 0
    dateien: int = 0
    probleme: list[str] = field(default_factory=list)


def sichern(ziel: Path, *, dateien_kopieren: bool | None = None, melden=print) -> Ergebnis:
    ziel.mkdir(parents=True, exist_ok=True)
    zeit = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    unfertig = ziel / f".unfertig-{PRAEFIX}{zeit}"
    unfertig.mkdir()
    if dateien_kopieren is None:
        dateien_kopieren = settings.DATEISPEICHER == "ordner"
    pg_dump = pg_programm("pg_dump")
    try:
        # One snapshot for the dump, the row counts and the list of files: exported by this
        # transaction and used by pg_dump (--snapshot) while the transaction stays open.
        with _verbinden(autocommit=False) as verbindung, verbindung.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            zeilen = zeilen_zaehlen(cursor)
            eintraege = dateien_lesen(cursor)
            melden(f"Datenbank: {len(zeilen)} Tabellen, {sum(zeilen.values())} Zeilen …")
            lauf = subprocess.run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-owner"]
                + ["--file", str(unfertig / "datenbank.dump")],
                env=_libpq_umgebung(),
                capture_output=True,
                text=True,
                check=False,
            )
            verbindung.rollback()
        if lauf.returncode != 0:
            raise SicherungsFehler(f"pg_dump ist gescheitert: {lauf.stderr.strip()}")
        (unfertig / "zeilen.json").write_text(json.dumps(zeilen, indent=1, sort_keys=True))
        ergebnis = Ergebnis(ordner=unfertig, zeilen=sum(zeilen.values()), dateien=len(eintraege))
        _dateien_sichern(unfertig, eintraege, dateien_kopieren, ergebnis, melden)
        (unfertig / "konfiguration.json").write_text(
            json.dumps(konfiguration(), indent=1, sort_keys=True, default=str)
        )
        manifest = {
            "format": FORMAT,
            "erstellt": datetime.now(UTC).isoformat(),
            "server_version": server_version,
            "datenbank": {
                "datei": "datenbank.dump",
                "sha256": _sha256_datei(unfertig / "datenbank.dump"),
            },
            "dateien": {
                "speicher": settings.DATEISPEICHER,
                "kopiert": dateien_kopieren,
                "anzahl": len(eintraege),
                "groesse": sum(e.groesse for e in eintraege),
            },
            "probleme": ergebnis.probleme,
        }
        (unfertig / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    except BaseException:
        shutil.rmtree(unfertig, ignore_errors=True)
        raise
    fertig = ziel / f"{PRAEFIX}{zeit}"
    unfertig.rename(fertig)
    ergebnis.ordner = fertig
    return ergebnis


def _dateien_sichern(ordner: Path, eintraege, kopieren: bool, ergebnis: Ergebnis, melden):
    speicher = storages["default"]
    ablage = FileSystemStorage(location=str(ordner / "dateien"))

    def sichern_oder_pruefen(eintrag: dateibestand.Eintrag) -> None:
        if kopieren:
            dateibestand.kopieren(speicher, ablage, eintrag)
        elif dateibestand.pruefsumme_im_speicher(speicher, eintrag.speicherort) != eintrag.sha256:
            raise dateibestand.Abweichung("im Speicher verändert (Prüfsumme stimmt nicht)")

    with (ordner / "dateien.tsv").open("w") as liste:
        for eintrag in eintraege:
            liste.write(f"{eintrag.speicherort}\t{eintrag.sha256}\t{eintrag.groesse}\n")
    _je_datei(eintraege, sichern_oder_pruefen, "fehlt im Speicher", ergebnis, melden)


def _je_datei(eintraege, tun, fehlt: str, ergebnis: Ergebnis, melden) -> None:
    """`tun(eintrag)` for every file; a missing or altered one is a problem, not an abort."""
    for nummer, eintrag in enumerate(eintraege, 1):
        try:
            tun(eintrag)
        except FileNotFoundError:
            ergebnis.probleme.append(f"{eintrag.speicherort}: {fehlt}")
        except dateibestand.Abweichung as abweichung:
            ergebnis.probleme.append(f"{eintrag.speicherort}: {abweichung}")
        if nummer % 500 == 0 or nummer == len(eintraege):
            melden("Dateien " + dateibestand.balken(nummer, len(eintraege)))


def aufraeumen(ziel: Path, behalten: int) -> list[Path]:
    """Delete all but the newest `behalten` complete backups (and leftovers of broken runs)."""
    fertige = sicherungen(ziel)
    weg = fertige[:-behalten] if behalten > 0 else []
    weg += [p for p in ziel.glob(f".unfertig-{PRAEFIX}*")]
    for ordner in weg:
        shutil.rmtree(ordner)
    return weg


def sicherungen(ziel: Path) -> list[Path]:
    """Complete backups, oldest first."""
    if not ziel.exists():
        return []
    return sorted(p for p in ziel.glob(f"{PRAEFIX}*") if (p / "manifest.json").exists())


def manifest_lesen(ordner: Path) -> dict:
    manifest = json.loads((ordner / "manifest.json").read_text())
    if manifest.get("format") != FORMAT:
        raise SicherungsFehler(f"Unbekanntes Format der Sicherung: {manifest.get('format')}")
    erwartet = manifest["datenbank"]["sha256"]
    if _sha256_datei(ordner / manifest["datenbank"]["datei"]) != erwartet:
        raise SicherungsFehler("Der Datenbank-Dump ist beschädigt (Prüfsumme stimmt nicht).")
    return manifest


def eintraege_lesen(ordner: Path) -> list[dateibestand.Eintrag]:
    ergebnis = []
    for zeile in (ordner / "dateien.tsv").read_text().splitlines():
        ort, sha256, groesse = zeile.split("\t")
        ergebnis.append(dateibestand.Eintrag(ort, sha256, int(groesse)))
    return ergebnis


def _pg_restore(ordner: Path, manifest: dict, datenbank: str) -> None:
    lauf = subprocess.run(
        [pg_programm("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
        + ["--dbname", datenbank, str(ordner / manifest["datenbank"]["datei"])],
        env=_libpq_umgebung(datenbank),
        capture_output=True,
        text=True,
        check=False,
    )
    if lauf.returncode != 0:
        raise SicherungsFehler(f"pg_restore ist gescheitert: {lauf.stderr.strip()[-2000:]}")


# ---------------------------------------------------------------- restore


def wiederherstellen(ordner: Path, *, melden=print) -> Ergebnis:
    """Into an empty installation: the database of these settings must have no tables."""
    manifest = manifest_lesen(ordner)
    with connection.cursor() as cursor:
        if _tabellen(cursor):
            raise SicherungsFehler(
                f"Die Datenbank „{_db()['dbname']}“ ist nicht leer. Wiederhergestellt wird nur "
                "in eine leere Installation (neue Datenbank anlegen, DATABASE_URL darauf)."
            )
    melden("Datenbank wird eingespielt …")
    _pg_restore(ordner, manifest, _db()["dbname"])
    eintraege = eintraege_lesen(ordner)
    ergebnis = Ergebnis(ordner=ordner, dateien=len(eintraege))
    speicher = storages["default"]
    quelle = FileSystemStorage(location=str(ordner / "dateien"))

    def einspielen(eintrag: dateibestand.Eintrag) -> None:
        try:
            summe = dateibestand.pruefsumme_im_speicher(speicher, eintrag.speicherort)
        except FileNotFoundError:
            if not manifest["dateien"]["kopiert"]:
                raise
            dateibestand.kopieren(quelle, speicher, eintrag)
            summe = eintrag.sha256
        if summe != eintrag.sha256:
            raise dateibestand.Abweichung("im Speicher verändert (Prüfsumme stimmt nicht)")

    _je_datei(eintraege, einspielen, "fehlt (weder gesichert noch da)", ergebnis, melden)
    return ergebnis


# ---------------------------------------------------------------- drill


@dataclass
class Probe:
    ordner: Path
    datenbank: str
    pruefungen: list[tuple[str, bool, str]] = field(default_factory=list)

    @property
    def bestanden(self) -> bool:
        return bool(self.pruefungen) and all(ok for _, ok, _ in self.pruefungen)

    def pruefung(self, name: str, ok: bool, detail: str) -> None:
        self.pruefungen.append((name, ok, detail))


def probe(ordner: Path, *, melden=print) -> Probe:
    """Restore `ordner` into a throw-away database and prove it; the database is dropped."""
    manifest = manifest_lesen(ordner)
    name = f"{_db()['dbname']}_probe_{os.getpid()}_{datetime.now(UTC):%H%M%S%f}"[:63]
    ergebnis = Probe(ordner=ordner, datenbank=name)
    with _verbinden(autocommit=True) as verbindung:
        verbindung.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        melden(f"Spiele {ordner.name} in die Wegwerf-Datenbank {name} ein …")
        _pg_restore(ordner, manifest, name)
        ergebnis.pruefung("Dump eingespielt", True, manifest["datenbank"]["sha256"][:16])
        with _verbinden(name) as verbindung, verbindung.cursor() as cursor:
            _zeilen_pruefen(ordner, cursor, ergebnis)
            eintraege = dateien_lesen(cursor)
        _kette_pruefen(name, ergebnis)
        _dateien_pruefen(ordner, manifest, eintraege, ergebnis, melden)
    finally:
        with _verbinden(autocommit=True) as verbindung:
            verbindung.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    bericht = {
        "sicherung": ordner.name,
        "geprueft": datetime.now(UTC).isoformat(),
        "bestanden": ergebnis.bestanden,
        "pruefungen": [
            {"name": n, "ok": ok, "detail": detail} for n, ok, detail in ergebnis.pruefungen
        ],
    }
    (ordner / f"probe-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json").write_text(
        json.dumps(bericht, indent=1, ensure_ascii=False)
    )
    return ergebnis


def _zeilen_pruefen(ordner: Path, cursor, ergebnis: Probe) -> None:
    erwartet = json.loads((ordner / "zeilen.json").read_text())
    gefunden = zeilen_zaehlen(cursor)
    abweichend = [
        f"{t}: {erwartet.get(t)} gesichert, {gefunden.get(t)} eingespielt"
        for t in sorted(set(erwartet) | set(gefunden))
        if erwartet.get(t) != gefunden.get(t)
    ]
    ergebnis.pruefung(
        "Zeilenzahlen",
        not abweichend,
        "; ".join(abweichend[:10])
        or f"{len(gefunden)} Tabellen, {sum(gefunden.values())} Zeilen wie gesichert",
    )


def _kette_pruefen(name: str, ergebnis: Probe) -> None:
    """The Protokoll's own check (`manage.py protokoll_pruefen`), run by a fresh process on the
    restored database, as a new installation would."""
    umgebung = dict(os.environ, DATABASE_URL=database_url(name), DATABASE_CONN_MAX_AGE="0")
    lauf = subprocess.run(
        [sys.executable, "manage.py", "protokoll_pruefen"],
        cwd=settings.BASE_DIR,
        env=umgebung,
        capture_output=True,
        text=True,
        check=False,
    )
    zeilen = [z for z in (lauf.stdout + lauf.stderr).splitlines() if z.strip()]
    ergebnis.pruefung(
        "Hash-Ketten des Protokolls",
        lauf.returncode == 0,
        f"{len(zeilen)} Zeilen: " + " | ".join(zeilen[-5:]),
    )


def _dateien_pruefen(ordner, manifest, eintraege, ergebnis: Probe, melden) -> None:
    gesichert = {e.speicherort: e for e in eintraege_lesen(ordner)}
    fehlend_in_liste = [e.speicherort for e in eintraege if e.speicherort not in gesichert]
    if manifest["dateien"]["kopiert"]:
        speicher = FileSystemStorage(location=str(ordner / "dateien"))
        lesen = True
    else:
        speicher, lesen = storages["default"], False
    falsch = []
    for nummer, eintrag in enumerate(eintraege, 1):
        try:
            summe = dateibestand.pruefsumme_im_speicher(speicher, eintrag.speicherort, lesen=lesen)
        except FileNotFoundError:
            summe = None
        if summe != eintrag.sha256:
            falsch.append(f"{eintrag.speicherort}: {'fehlt' if summe is None else 'verändert'}")
        if nummer % 500 == 0:
            melden("Dateien " + dateibestand.balken(nummer, len(eintraege)))
    probleme = [f"{o}: nicht in dateien.tsv" for o in fehlend_in_liste] + falsch
    ergebnis.pruefung(
        "Prüfsumme jeder Datei",
        not probleme,
        "; ".join(probleme[:10]) or f"{len(eintraege)} Dateien mit richtiger SHA-256",
    )
