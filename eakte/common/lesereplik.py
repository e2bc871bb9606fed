"""Reads of search, lists and the cockpit on a PostgreSQL streaming replica, when one is
configured (`DATABASE_REPLICA_URL`); everything else, and every write, on the primary.

- Only the views named in `LESEREPLIK_VIEWS` read from the replica, and only for GET/HEAD of a
  browser session (an API key is checked inside the view, later: those requests read from the
  primary).
- A person's own writes are read back from the primary: after a request of that person that
  wrote (any non-GET request, or any write during a GET), a marker in the cache (Redis, shared
  by all web hosts) sends their reads to the primary for `LESEREPLIK_FENSTER` seconds, longer
  than the replica usually lags. Within a request, reads after a write go to the primary too.
- A replica that does not answer is left alone for `LESEREPLIK_PRUEFPAUSE` seconds: reads go to
  the primary (checked with a short connect timeout, at most once per pause and process).
- A replica that lags more than `LESEREPLIK_MAX_VERZUG` seconds behind the primary gets no reads
  until it has caught up. Its lag is measured at most every `LESEREPLIK_VERZUG_INTERVALL`
  seconds per process (one query on each server, see `verzug_messen`); between two measurements
  the last result holds.
"""

import contextvars
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router

logger = logging.getLogger(__name__)

REPLIK = "replik"
SICHER = frozenset({"GET", "HEAD", "OPTIONS"})

_lesen = contextvars.ContextVar("replik_lesen", default=False)
_geschrieben = contextvars.ContextVar("replik_geschrieben", default=False)
# inside auf_einer_verbindung(): the database every read goes to
_festgelegt: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "lesen_festgelegt", default=None
)


class _Zustand:
    geprueft = float("-inf")
    erreichbar = False
    bereit = False
    verzug: "Verzug | None" = None


_zustand = _Zustand()


@dataclass(frozen=True)
class Verzug:
    """How far the replica is behind the primary."""

    sekunden: float  # 0 when it has replayed everything the primary wrote; inf: unknown
    bytes: int  # WAL the primary wrote that the replica has not replayed yet


def _lsn(text: str | None) -> int | None:
    """'16/B374D848' → its position in bytes."""
    if not text:
        return None
    hoch, niedrig = text.split("/")
    return (int(hoch, 16) << 32) + int(niedrig, 16)


def verzug_messen() -> Verzug:
    """The replica's lag: the primary's flushed WAL position first (what a standby can have
    received), then on the replica the position it has replayed and the commit time of the last
    transaction it replayed. Caught up (replayed at least that position): 0 seconds. Behind: the
    time since the last replayed commit (a replica whose replay stopped, or whose connection to
    the primary broke, grows older every second). Raises DatabaseError if a server does not
    answer.

    After a long quiet time on the primary, its next commit can, for the few milliseconds
    until the replica has replayed it, look like a large lag; the replica then misses reads
    for one interval (the primary answers them), nothing worse."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_flush_lsn()::text")
        (primaer,) = cursor.fetchone()
    with connections[REPLIK].cursor() as cursor:
        cursor.execute(
            "SELECT pg_last_wal_replay_lsn()::text, "
            "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8"
        )
        replay, alter = cursor.fetchone()
    primaer_lsn, replay_lsn = _lsn(primaer), _lsn(replay)
    if replay_lsn is None:  # not a standby (or it never replayed anything)
        return Verzug(float("inf"), 0)
    rueckstand = max(0, primaer_lsn - replay_lsn)
    if rueckstand == 0:
        return Verzug(0.0, 0)
    return Verzug(max(0.0, alter) if alter is not None else float("inf"), rueckstand)


def konfiguriert() -> bool:
    return REPLIK in settings.DATABASES


def replik_bereit() -> bool:
    """May reads go to the replica now? It answers and lags at most LESEREPLIK_MAX_VERZUG
    seconds. Measured at most every LESEREPLIK_VERZUG_INTERVALL seconds, after a failure only
    every LESEREPLIK_PRUEFPAUSE seconds."""
    if not konfiguriert():
        return False
    jetzt = time.monotonic()
    pause = (
        settings.LESEREPLIK_VERZUG_INTERVALL
        if _zustand.erreichbar
        else settings.LESEREPLIK_PRUEFPAUSE
    )
    if jetzt - _zustand.geprueft < pause:
        return _zustand.bereit
    zuerst = _zustand.geprueft == float("-inf")
    try:
        verzug = verzug_messen()
        erreichbar = True
    except DatabaseError as fehler:
        verzug, erreichbar = None, False
        try:
            connections[REPLIK].close()
        except DatabaseError:
            pass
        if _zustand.erreichbar or zuerst:
            logger.warning("Lese-Replik nicht erreichbar, lese vom Primärserver: %s", fehler)
    bereit = erreichbar and verzug.sekunden <= settings.LESEREPLIK_MAX_VERZUG
    if erreichbar and not bereit and (_zustand.bereit or zuerst):
        logger.warning(
            "Lese-Replik %.1f s (%d Bytes WAL) hinter dem Primärserver (erlaubt: %s s), lese "
            "vom Primärserver",
            verzug.sekunden,
            verzug.bytes,
            settings.LESEREPLIK_MAX_VERZUG,
        )
    elif bereit and not _zustand.bereit and not zuerst:
        logger.info("Lese-Replik wieder aufgeholt, lese wieder von ihr")
    _zustand.geprueft, _zustand.erreichbar, _zustand.bereit = jetzt, erreichbar, bereit
    _zustand.verzug = verzug
    return bereit


def zustand() -> str | None:
    """For /health/ready: None (no replica configured), "ok", "verzoegert" (lags more than
    allowed: reads on the primary) or "fehler" (does not answer). No figures."""
    if not konfiguriert():
        return None
    if replik_bereit():
        return "ok"
    return "verzoegert" if _zustand.erreichbar else "fehler"


def _marke(benutzer_id) -> str:
    return f"eakte:primaer-lesen:{benutzer_id}"


def kuerzlich_geschrieben(benutzer) -> bool:
    return bool(benutzer.is_authenticated and cache.get(_marke(benutzer.pk)))


@contextmanager
def auf_einer_verbindung(model):
    """A read of several statements, e.g. a search, on one server: the one the router picks
    for `model` now. Inside, the ORM reads there too, and `lesende_verbindung` is its connection
    for the caller's own SQL, so the planner settings of its transaction apply to every statement
    and a replica that becomes ready or lags in between does not split the read. For reads
    only: a write inside would not be read back from the primary."""
    alias = router.db_for_read(model) or DEFAULT_DB_ALIAS
    marke = _festgelegt.set(alias)
    try:
        yield connections[alias]
    finally:
        _festgelegt.reset(marke)


class _LesendeVerbindung:
    """Like django.db.connection, but the connection of `auf_einer_verbindung` (outside it,
    the default one)."""

    def __getattr__(self, name):
        return getattr(connections[_festgelegt.get() or DEFAULT_DB_ALIAS], name)


lesende_verbindung = _LesendeVerbindung()


class LesereplikRouter:
    def db_for_read(self, model, **hints):
        if (festgelegt := _festgelegt.get()) is not None:
            return festgelegt
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
        if "HTTP_AUTHORIZATION" in request.META:
            # An API key is checked by DRF inside the view, after this: request.user is still
            # anonymous here, so the person's recent writes could not be asked for, and the key
            # and the person (revoked? deactivated?) would be read on a replica that may lag.
            return None
        if kuerzlich_geschrieben(request.user):
            return None
        request._replik_marke = _lesen.set(True)
        return None
