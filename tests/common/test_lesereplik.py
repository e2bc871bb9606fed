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


@pytest.fixture(scope="module")
def installation(primaer_und_replik):
    """A migrated database `eakte` on the primary, one person in it; the environment of a
    process that reads from the replica."""
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
        EAKTE_ZWEI_FAKTOR_PFLICHT="false",  # the Kommunen-Admin reads the cockpit without TOTP
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
    return umgebung, _schritt(umgebung, "aufbau")["benutzer"]


def _aufgeholt(primaer, replik) -> None:
    """Wait until the replica has replayed everything the primary wrote."""
    frist = time.monotonic() + 30
    while True:
        with psycopg.connect(primaer.url("eakte")) as verbindung:
            (ziel,) = verbindung.execute("SELECT pg_current_wal_lsn()").fetchone()
        with psycopg.connect(replik.url("eakte")) as verbindung:
            (weit,) = verbindung.execute(
                "SELECT pg_wal_lsn_diff(%s, pg_last_wal_replay_lsn())", [ziel]
            ).fetchone()
        if weit <= 0:
            return
        assert time.monotonic() < frist, "Replik holt nicht auf"
        time.sleep(0.2)


def test_lesen_von_der_replik(primaer_und_replik, installation):
    primaer, replik = primaer_und_replik
    umgebung, benutzer = installation

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
    for seite in ("liste", "suche", "api_suche", "api_akten", "cockpit", "api_cockpit"):
        assert ergebnis[seite]["status"] == 200, (seite, ergebnis[seite])
        assert ergebnis[seite]["replik"] >= 1, (seite, ergebnis)  # the page's reads there
    # the search's own SQL too (with its planner settings), not only the ORM's reads
    assert ergebnis["suche"]["suche_replik"] >= 3, ergebnis
    assert ergebnis["suche"]["suche_primaer"] == 0, ergebnis
    assert ergebnis["api_suche"]["suche_replik"] >= 3, ergebnis
    assert ergebnis["api_suche"]["suche_primaer"] == 0, ergebnis
    assert ergebnis["andere_seite"]["replik"] == 0  # not a listed view
    # an API key is checked inside the view: key, person and list from the primary
    assert ergebnis["api_mit_schluessel"]["status"] == 200, ergebnis["api_mit_schluessel"]
    assert ergebnis["api_mit_schluessel"]["replik"] == 0, ergebnis
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


def test_replik_mit_zu_grossem_verzug_bekommt_keine_lesezugriffe(primaer_und_replik, installation):
    """Replay paused on the real replica (pg_wal_replay_pause) while the primary writes: the
    lists read from the primary, /health/ready says `verzoegert` without figures and stays 200,
    the Prometheus gauges show the lag; the lag is measured once per interval, not per read.
    Replay resumed: once caught up, the replica reads again."""
    primaer, replik = primaer_und_replik
    umgebung, benutzer = installation
    umgebung = {
        **umgebung,
        "LESEREPLIK_MAX_VERZUG": "1",
        "LESEREPLIK_VERZUG_INTERVALL": "3",
        "METRIKEN_TOKEN": "geheim-fuer-den-test",
    }
    if not replik.laeuft():
        replik.starten()
    _aufgeholt(primaer, replik)
    with psycopg.connect(replik.url("eakte"), autocommit=True) as verbindung:
        verbindung.execute("SELECT pg_wal_replay_pause()")
    try:
        time.sleep(1.5)  # the last replayed commit is older than LESEREPLIK_MAX_VERZUG
        with psycopg.connect(primaer.url("eakte"), autocommit=True) as verbindung:
            verbindung.execute("CREATE TABLE IF NOT EXISTS verzug_probe (n int)")
            verbindung.execute("INSERT INTO verzug_probe VALUES (1)")
        ergebnis = _schritt(umgebung, "verzug", str(benutzer))
    finally:
        with psycopg.connect(replik.url("eakte"), autocommit=True) as verbindung:
            verbindung.execute("SELECT pg_wal_replay_resume()")
    for abruf in ergebnis["zurueck"]:
        assert abruf["status"] == 200 and abruf["replik"] == 0, ergebnis
    # cached: one measurement for both pages (interval 3 s)
    assert sum(a["messungen"] for a in ergebnis["zurueck"]) == 1, ergebnis
    bereit = ergebnis["bereit"]
    assert bereit["http"] == 200 and bereit["lesereplik"] == "verzoegert", bereit
    assert not any(isinstance(w, float) for w in bereit.values())  # no lag figures
    metriken = ergebnis["metriken"]
    assert metriken["eakte_replik_verzug_sekunden"] > 1, metriken
    assert metriken["eakte_replik_verzug_bytes"] > 0 and metriken["eakte_replik_lesen"] == 0
    # caught up again
    assert ergebnis["aufgeholt"]["replik"] >= 1, ergebnis
    assert ergebnis["bereit_danach"]["lesereplik"] == "ok"
    danach = ergebnis["metriken_danach"]
    assert danach["eakte_replik_verzug_sekunden"] == 0 and danach["eakte_replik_lesen"] == 1
