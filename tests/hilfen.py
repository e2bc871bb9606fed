"""Small helpers shared by the tests (plain functions, no fixtures)."""

import time
from collections.abc import Callable
from typing import TypeVar

from eakte.common.akteur import Akteur, Anmeldeart

T = TypeVar("T")


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
