"""Reads of search, lists and the cockpit on a REAL streaming replica (a throw-away primary made
with initdb and a replica made with pg_basebackup -R, both on free ports), a person's own writes
read back from the primary, and the primary when the replica is down."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import router

from eakte.common import lesereplik
from tests.postgres_wegwerf import entfernen, primaer_anlegen, replik_anlegen

ROOT = Path(__file__).resolve().parents[2]


def test_ohne_replik_liest_alles_vom_primaerserver(settings):
    assert not lesereplik.konfiguriert()
    from eakte.kommunen.models import Kommune

    assert router.db_for_read(Kommune) == "default"


@pytest.fixture(scope="module")
def primaer_und_replik():
    primaer = primaer_anlegen()
    replik = None
    try:
        replik = replik_anlegen(primaer)
        yield primaer, replik
    finally:
        entfernen(*(s for s in (primaer, replik) if s is not None))


def _schritt(umgebung, *args) -> dict:
    lauf = subprocess.run(
        [sys.executable, "-m", "tests.common.lesereplik_szenario", *args],
        cwd=ROOT,
        env=umgebung,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert lauf.returncode == 0, lauf.stdout + lauf.stderr[-3000:]
    return json.loads(lauf.stdout.strip().splitlines()[-1])


def test_lesen_von_der_replik(primaer_und_replik):
    primaer, replik = primaer_und_replik
    with psycopg.connect(primaer.url(), autocommit=True) as verbindung:
        verbindung.execute("CREATE DATABASE eakte")
    umgebung = dict(
        os.environ,
        DATABASE_URL=primaer.url("eakte"),
        DATABASE_REPLICA_URL=replik.url("eakte"),
        DATABASE_CONN_MAX_AGE="0",
        ALLOWED_HOSTS="testserver",
        STATIC_MANIFEST="false",
        SECURE_SSL_REDIRECT="false",
        LESEREPLIK_FENSTER="3",
        LESEREPLIK_PRUEFPAUSE="1",
        MANDANTENBEREICH_STRENG="true",
    )
    migrieren = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env={k: v for k, v in umgebung.items() if k != "DATABASE_REPLICA_URL"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert migrieren.returncode == 0, migrieren.stderr[-3000:]
    benutzer = _schritt(umgebung, "aufbau")["benutzer"]

    # the replica follows by streaming (nobody writes to it)
    def auf_replik() -> bool:
        with psycopg.connect(replik.url("eakte")) as verbindung:
            zeile = verbindung.execute(
                "SELECT count(*) FROM kommunen_benutzer WHERE id = %s", [benutzer]
            ).fetchone()
        return zeile[0] == 1

    frist = time.monotonic() + 30
    while not auf_replik():
        assert time.monotonic() < frist, "Replik holt nicht auf"
        time.sleep(0.2)

    ergebnis = _schritt(umgebung, "lesen", str(benutzer))
    assert ergebnis["standby"] is True  # really a standby, not a second primary
    for seite in ("liste", "suche"):
        assert ergebnis[seite]["status"] == 200
        assert ergebnis[seite]["replik"] >= 1, ergebnis  # the page's reads on the replica
    assert ergebnis["andere_seite"]["replik"] == 0  # not a listed view
    assert ergebnis["post"] == 200  # a (refused) form post: the person wrote
    # read-your-writes: within the window everything from the primary
    assert ergebnis["nach_schreiben"]["status"] == 200
    assert ergebnis["nach_schreiben"]["replik"] == 0, ergebnis
    assert ergebnis["nach_fenster"]["replik"] >= 1, ergebnis

    # replica down: the pages still answer, from the primary, without waiting for a timeout
    replik.anhalten("immediate")
    try:
        ausfall = _schritt(umgebung, "ausfall", str(benutzer))
    finally:
        replik.starten()
    for seite in ("liste", "suche"):
        assert ausfall[seite]["status"] == 200, ausfall
        assert ausfall[seite]["sekunden"] < 5, ausfall
