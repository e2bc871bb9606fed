"""Small helpers shared by the tests (plain functions, no fixtures)."""

import random
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from eakte.common.akteur import Akteur, Anmeldeart

T = TypeVar("T")

_PORTE_VERGEBEN: set[int] = set()
_ZUFALL = random.SystemRandom()  # not the seeded `random` of the tests


def _ab_hier_vergibt_der_kern() -> int:
    """Lower end of the kernel's range for the local ports of outgoing connections."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def freier_port() -> int:
    """A free TCP port on 127.0.0.1 for a server that a test starts.

    Taken below the kernel's range for outgoing connections: a port from that range (port 0)
    could be taken by any client connection in the seconds before the server binds it (a
    throw-away PostgreSQL runs initdb first). Never the same port twice in one test run.
    """
    grenze = _ab_hier_vergibt_der_kern()
    for _ in range(1000):
        port = _ZUFALL.randrange(20000, grenze) if grenze > 21000 else 0
        if port in _PORTE_VERGEBEN:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            port = probe.getsockname()[1]
        _PORTE_VERGEBEN.add(port)
        return port
    raise RuntimeError("Kein freier Port gefunden.")


def akteur_von(benutzer, *, ip: str | None = None, api: bool = False) -> Akteur:
    """The actor of a service call in a test: the person, by browser session unless `api`."""
    art = Anmeldeart.API_SCHLUESSEL if api else Anmeldeart.SITZUNG
    return Akteur(benutzer=benutzer, art=art, ip=ip)


def warten_bis(
    bedingung: Callable[[], T],
    *,
    sekunden: float = 60,
    takt: float = 0.2,
    was: str | Callable[[], str] = "",
) -> T:
    """Poll `bedingung` until it returns something truthy and return that; fail after `sekunden`.

    For work done by another process (the Celery worker, the scan folder pickup): the test waits
    only as long as needed and says what it waited for when it gives up (`was` may be a function,
    e.g. one that reads the worker's log at that moment).
    """
    frist = time.monotonic() + sekunden
    while True:
        ergebnis = bedingung()
        if ergebnis:
            return ergebnis
        if time.monotonic() > frist:
            beschreibung = was() if callable(was) else (was or repr(bedingung))
            raise AssertionError(f"Nach {sekunden} s nicht eingetreten: {beschreibung}")
        time.sleep(takt)


def gunicorn_befehl(port: int) -> list[str]:
    """gunicorn as in production (one worker), on the loopback address."""
    return [sys.executable, "-m", "gunicorn", "eakte.wsgi:application", "--bind",
            f"127.0.0.1:{port}", "--workers", "1"]  # fmt: skip


@contextmanager
def laufender_prozess(
    befehl: list[str], *, bereit: Callable[[], object], log: Path, **popen
) -> Iterator[subprocess.Popen]:
    """A server process (its stderr in `log`), handed over once `bereit()` holds, stopped at the
    end (killed if it does not stop); if it exits or never gets ready, the failure shows the end
    of its log at once."""
    with log.open("wb") as ausgabe:
        prozess = subprocess.Popen(befehl, stdout=subprocess.DEVNULL, stderr=ausgabe, **popen)
    try:

        def laeuft_und_bereit():
            assert prozess.poll() is None, (
                f"beendet ({prozess.returncode}): {log.read_text()[-2000:]}"
            )
            return bereit()

        warten_bis(laeuft_und_bereit, sekunden=60, was=lambda: log.read_text()[-2000:])
        yield prozess
    finally:
        prozess.terminate()
        try:
            prozess.wait(20)
        except subprocess.TimeoutExpired:
            prozess.kill()
            prozess.wait()
