"""Runs the test OpenID Connect provider (tests/oidc_anbieter, django-oauth-toolkit) as its own
process on a free port, with an RSA key generated here and a throw-away PostgreSQL database on the test's server
(PostgreSQL is the only database of the project, also for the programs the tests start)."""

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import connection

from tests.hilfen import freier_port

ROOT = Path(__file__).resolve().parents[2]
CLIENT = "eakte-michelstadt"
SECRET = "client-geheimnis-michelstadt"
PERSON = {
    "name": "jschmidt",
    "passwort": "Anbieter-Passwort-1",
    "email": "j.schmidt@michelstadt.example",
    "vorname": "Julia",
    "nachname": "Schmidt",
    "gruppen": ["MIC-Sachbearbeitung", "MIC-Ordnungsamt"],
}


@dataclass
class Anbieter:
    issuer: str
    prozess: subprocess.Popen
    datenbank: str

    def stoppen(self) -> None:
        if self.prozess.poll() is None:
            self.prozess.terminate()
            try:
                self.prozess.wait(10)
            except subprocess.TimeoutExpired:
                self.prozess.kill()
        _datenbank_ausfuehren(f'DROP DATABASE IF EXISTS "{self.datenbank}" WITH (FORCE)')


def _verbindung() -> dict:
    """Server and account of the test database; the provider gets a database of its own there."""
    einstellungen = connection.settings_dict
    return {
        "host": einstellungen["HOST"] or "",
        "port": str(einstellungen["PORT"] or ""),
        "user": einstellungen["USER"] or "",
        "password": einstellungen["PASSWORD"] or "",
    }


def _datenbank_ausfuehren(befehl: str) -> None:
    with psycopg.connect(dbname="postgres", autocommit=True, **_verbindung()) as verbindung:
        verbindung.execute(befehl)


def starten(ordner: Path, redirects: list[str], *, ablauf: int = 300) -> Anbieter:
    ordner.mkdir(parents=True, exist_ok=True)
    schluessel = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (ordner / "schluessel.pem").write_bytes(
        schluessel.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (ordner / "einrichtung.json").write_text(
        json.dumps(
            {"client": CLIENT, "secret": SECRET, "redirects": redirects, "personen": [PERSON]}
        )
    )
    port = freier_port()
    issuer = f"http://127.0.0.1:{port}/o"
    datenbank = f"oidc_anbieter_{port}"  # a name built here, never input
    _datenbank_ausfuehren(f'DROP DATABASE IF EXISTS "{datenbank}"')
    _datenbank_ausfuehren(f'CREATE DATABASE "{datenbank}"')
    verbindung = _verbindung()
    umgebung = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    umgebung.update(
        ANBIETER_DATENBANK=datenbank,
        ANBIETER_DB_HOST=verbindung["host"],
        ANBIETER_DB_PORT=verbindung["port"],
        ANBIETER_DB_BENUTZER=verbindung["user"],
        ANBIETER_DB_PASSWORT=verbindung["password"],
        ANBIETER_SCHLUESSEL=str(ordner / "schluessel.pem"),
        ANBIETER_ISSUER=issuer,
        ANBIETER_ABLAUF=str(ablauf),
        DJANGO_SETTINGS_MODULE="tests.oidc_anbieter.einstellungen",
    )
    prozess = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "tests/oidc_anbieter/start.py"),
            "--port",
            str(port),
            "--einrichtung",
            str(ordner / "einrichtung.json"),
        ],
        env=umgebung,
        cwd=ROOT,
        stdout=open(ordner / "anbieter.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    anbieter = Anbieter(issuer=issuer, prozess=prozess, datenbank=datenbank)
    ende = time.monotonic() + 60
    while time.monotonic() < ende:
        if prozess.poll() is not None:
            raise RuntimeError((ordner / "anbieter.log").read_text())
        try:
            if requests.get(issuer + "/.well-known/openid-configuration", timeout=1).ok:
                return anbieter
        except requests.RequestException:
            pass
        time.sleep(0.2)
    anbieter.stoppen()
    raise RuntimeError("Der OIDC-Anbieter ist nicht gestartet")
