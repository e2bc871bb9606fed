"""Prepared statements for a few hot read paths (the search).

Django binds parameters on the client (psycopg's ClientCursor): each statement travels as text,
and PostgreSQL parses and plans it anew every time. For the search that costs about as much as
running its cheap statements: planning the visible Akten alone takes about a millisecond, and a
search sends eight statements. Inside `vorbereitet()`, every statement
Django or the caller sends on the reading connection (`lesereplik.lesende_verbindung`: the
default one, or the replica a search was put on) is bound on the server and prepared once
per connection (psycopg keeps up to `prepared_max` per connection and deallocates the least
recently used); later executions skip parsing, and with `plan_cache_mode = force_generic_plan`
(set by the caller for its transaction) planning too.

Only for statements whose plan does not depend on the values: a generic plan cannot use a
B-tree for `LIKE %s`, for example. Prepared statements live in the database session: behind
a connection pooler in transaction mode they need PgBouncer 1.22 or newer with
`max_prepared_statements` (psycopg sends DEALLOCATE ALL after a ROLLBACK).
"""

from contextlib import contextmanager

from django.db.backends.postgresql.base import ServerBindingCursor

from eakte.common.lesereplik import lesende_verbindung

# psycopg prepares nothing while a connection's threshold is None (Django's default); with this
# one it prepares only what is asked for with prepare=True: Django's own cursors bind on the
# client and are never prepared.
_NUR_AUF_WUNSCH = 2**31 - 1


class _VorbereitenderCursor(ServerBindingCursor):
    _umgewandelt = None

    def execute(self, query, params=None, *, prepare=None, binary=None):
        self._umgewandelt = None
        try:
            return super().execute(query, params, prepare=True, binary=binary)
        finally:
            # psycopg keeps the statement text only for statements it did not prepare; Django's
            # query log (DEBUG, CaptureQueriesContext) reads it from there (with $1, $2 …), for
            # a statement that failed too.
            if self._query is None and self._umgewandelt is not None:
                self._query = self._umgewandelt

    def _convert_query(self, query, params=None):
        self._umgewandelt = super()._convert_query(query, params)
        return self._umgewandelt


@contextmanager
def vorbereitet():
    """Statements sent on the reading connection inside, the ORM's too, are bound on the
    server and prepared (Django's execute wrappers and query log see them as usual)."""
    lesende_verbindung.ensure_connection()
    roh = lesende_verbindung.connection
    if roh.prepare_threshold is None:
        # Kept for the life of the connection, so psycopg's bookkeeping of what is prepared
        # stays on (it deallocates everything after a ROLLBACK, for example).
        roh.prepare_threshold = _NUR_AUF_WUNSCH
    vorher = roh.cursor_factory
    roh.cursor_factory = _VorbereitenderCursor
    try:
        yield
    finally:
        roh.cursor_factory = vorher


@contextmanager
def vorbereiteter_cursor():
    """A cursor whose statements are prepared (see `vorbereitet`)."""
    with vorbereitet():
        cursor = lesende_verbindung.cursor()
    with cursor:
        yield cursor
