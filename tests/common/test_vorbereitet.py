"""eakte.common.vorbereitet: statements bound on the server and prepared, still in Django's
query log (with $1 …), also when they fail."""

import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from eakte.common.vorbereitet import vorbereiteter_cursor

pytestmark = pytest.mark.django_db


def _vorbereitet() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [zeile[0] for zeile in cursor.fetchall()]


def test_die_anweisung_wird_vorbereitet_und_protokolliert():
    with CaptureQueriesContext(connection) as erfasst, vorbereiteter_cursor() as cursor:
        cursor.execute("SELECT %s::int + 41", [1])
        assert cursor.fetchone() == (42,)
    assert "SELECT $1::int + 41" in _vorbereitet()
    assert erfasst.captured_queries[-1]["sql"] == "SELECT $1::int + 41"
    # Django's own cursors stay as they were: bound on the client, never prepared
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::int + 43", [1])
    assert not [text for text in _vorbereitet() if "43" in text]


def test_auch_eine_fehlgeschlagene_anweisung_steht_im_protokoll():
    with CaptureQueriesContext(connection) as erfasst, pytest.raises(DataError):
        with transaction.atomic(), vorbereiteter_cursor() as cursor:
            cursor.execute("SELECT 1 / %s::int", [0])
    texte = [abfrage["sql"] for abfrage in erfasst.captured_queries]
    assert "SELECT 1 / $1::int" in texte
    assert None not in texte
