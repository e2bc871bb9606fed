"""Beat exactly once: two real `celery beat` processes, one sends, the other waits and takes
over when the first dies. And the lock itself, taken by two processes at once."""

import multiprocessing
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from redis import Redis

from eakte.common.beat import SCHLUESSEL, Sperre
from tests.hilfen import warten_bis

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_frei():
    verbindung = Redis.from_url(settings.REDIS_URL)
    verbindung.delete(SCHLUESSEL)
    yield verbindung
    verbindung.delete(SCHLUESSEL)


def _versuchen(url, nummer, ergebnisse):
    sperre = Sperre(url, 5, kennung=f"prozess-{nummer}")
    gehalten = 0
    frist = time.monotonic() + 2
    while time.monotonic() < frist:
        gehalten += sperre.halten()
        time.sleep(0.01)
    ergebnisse[nummer] = gehalten


def test_sperre_mit_zwei_prozessen(redis_frei):
    with multiprocessing.Manager() as manager:
        ergebnisse = manager.dict()
        prozesse = [
            multiprocessing.Process(target=_versuchen, args=(settings.REDIS_URL, n, ergebnisse))
            for n in (1, 2)
        ]
        for p in prozesse:
            p.start()
        for p in prozesse:
            p.join(30)
        gehalten = dict(ergebnisse)
    assert sorted(gehalten) == [1, 2]
    assert sorted(v > 0 for v in gehalten.values()) == [False, True], gehalten  # one, always


def _beat(tmp_path: Path, name: str) -> tuple[subprocess.Popen, Path]:
    log = tmp_path / f"{name}.log"
    umgebung = dict(
        os.environ,
        BEAT_SPERRE_SEKUNDEN="6",
        CELERY_DEFAULT_QUEUE=f"beat-test-{uuid.uuid4().hex[:6]}",
    )
    with log.open("wb") as ausgabe:
        prozess = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "eakte", "beat", "-l", "info"]
            + ["--schedule", str(tmp_path / f"{name}.schedule")],
            cwd=ROOT,
            env=umgebung,
            stdout=ausgabe,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return prozess, log


def test_zwei_beat_prozesse_senden_nie_zugleich(redis_frei, tmp_path):
    erster, erster_log = _beat(tmp_path, "erster")
    zweiter, zweiter_log = _beat(tmp_path, "zweiter")
    try:

        def sendet(log):
            return "hält die Beat-Sperre" in log.read_text()

        def wartet(log):
            return "wartet: ein anderer Beat sendet" in log.read_text()

        warten_bis(
            lambda: (
                (sendet(erster_log) and wartet(zweiter_log))
                or (sendet(zweiter_log) and wartet(erster_log))
            ),
            sekunden=60,
            was=lambda: erster_log.read_text()[-2000:] + zweiter_log.read_text()[-2000:],
        )
        halter, halter_log, anderer, anderer_log = (
            (erster, erster_log, zweiter, zweiter_log)
            if sendet(erster_log)
            else (zweiter, zweiter_log, erster, erster_log)
        )
        assert str(halter.pid) in redis_frei.get(SCHLUESSEL).decode()
        time.sleep(7)  # longer than the lock's lifetime: the holder renews it, the other waits
        assert not sendet(anderer_log)
        # the holder's host dies: the other takes over within the lock's lifetime
        os.killpg(halter.pid, signal.SIGKILL)
        halter.wait()
        warten_bis(lambda: sendet(anderer_log), sekunden=30, was=lambda: anderer_log.read_text())
        assert str(anderer.pid) in redis_frei.get(SCHLUESSEL).decode()
    finally:
        for prozess in (erster, zweiter):
            if prozess.poll() is None:
                os.killpg(prozess.pid, signal.SIGTERM)
                prozess.wait(20)
