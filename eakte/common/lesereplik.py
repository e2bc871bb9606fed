"""Reads of search, lists and the cockpit on a PostgreSQL streaming replica, when one is
configured (`DATABASE_REPLICA_URL`); everything else, and every write, on the primary.

- Only the views named in `LESEREPLIK_VIEWS` read from the replica, and only for GET/HEAD.
- A person's own writes are read back from the primary: after a request of that person that
  wrote (any non-GET request, or any write during a GET), a marker in the cache (Redis, shared
  by all web hosts) sends their reads to the primary for `LESEREPLIK_FENSTER` seconds, longer
  than the replica usually lags. Within a request, reads after a write go to the primary too.
- A replica that does not answer is left alone for `LESEREPLIK_PRUEFPAUSE` seconds: reads go to
  the primary (checked with a short connect timeout, at most once per pause and process).
"""

import contextvars
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLIK = "replik"
SICHER = frozenset({"GET", "HEAD", "OPTIONS"})

_lesen = contextvars.ContextVar("replik_lesen", default=False)
_geschrieben = contextvars.ContextVar("replik_geschrieben", default=False)


class _Zustand:
    geprueft = float("-inf")
    bereit = False


_zustand = _Zustand()


def konfiguriert() -> bool:
    return REPLIK in settings.DATABASES


def replik_bereit() -> bool:
    if not konfiguriert():
        return False
    jetzt = time.monotonic()
    if jetzt - _zustand.geprueft < settings.LESEREPLIK_PRUEFPAUSE:
        return _zustand.bereit
    verbindung = connections[REPLIK]
    try:
        with verbindung.cursor() as cursor:
            cursor.execute("SELECT 1")
        bereit = True
    except DatabaseError as fehler:
        bereit = False
        try:
            verbindung.close()
        except DatabaseError:
            pass
        if _zustand.bereit or _zustand.geprueft == float("-inf"):
            logger.warning("Lese-Replik nicht erreichbar, lese vom Primärserver: %s", fehler)
    _zustand.geprueft, _zustand.bereit = jetzt, bereit
    return bereit


def _marke(benutzer_id) -> str:
    return f"eakte:primaer-lesen:{benutzer_id}"


def kuerzlich_geschrieben(benutzer) -> bool:
    return bool(benutzer.is_authenticated and cache.get(_marke(benutzer.pk)))


class LesereplikRouter:
    def db_for_read(self, model, **hints):
        if _lesen.get() and not _geschrieben.get() and replik_bereit():
            return REPLIK
        return None

    def db_for_write(self, model, **hints):
        if not _geschrieben.get():
            _geschrieben.set(True)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, **hints):
        return db != REPLIK


class LesereplikMiddleware:
    """After AuthenticationMiddleware: decides per request whether its reads may go to the
    replica, and marks a person who wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not konfiguriert():
            return self.get_response(request)
        marke_geschrieben = _geschrieben.set(False)
        request._replik_marke = None
        try:
            antwort = self.get_response(request)
            geschrieben = _geschrieben.get() or request.method not in SICHER
        finally:
            if request._replik_marke is not None:
                _lesen.reset(request._replik_marke)
            _geschrieben.reset(marke_geschrieben)
        benutzer = getattr(request, "user", None)
        if geschrieben and benutzer is not None and benutzer.is_authenticated:
            cache.set(_marke(benutzer.pk), 1, timeout=settings.LESEREPLIK_FENSTER)
        return antwort

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not konfiguriert() or request.method not in SICHER:
            return None
        treffer = request.resolver_match
        if treffer is None or treffer.view_name not in settings.LESEREPLIK_VIEWS:
            return None
        if kuerzlich_geschrieben(request.user):
            return None
        request._replik_marke = _lesen.set(True)
        return None
