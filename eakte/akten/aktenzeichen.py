"""The gap-free running number of Aktenzeichen (the pattern is in kommunen.aktenzeichen_muster)."""

from django.db import connection


def naechste_nummer(*, kommune_id: int, kennzeichen: str, jahr: int) -> int:
    """Count up inside the caller's transaction.

    The upsert locks the counter row until the transaction ends: concurrent creators of the same
    Kommune/Kennzeichen/year wait for each other, and a rolled-back creation gives its number back,
    so numbers have no gaps and are never given twice.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO akten_aktenzeichenzaehler (kommune_id, kennzeichen, jahr, letzte_nummer)
            VALUES (%s, %s, %s, 1)
            ON CONFLICT (kommune_id, kennzeichen, jahr)
            DO UPDATE SET letzte_nummer = akten_aktenzeichenzaehler.letzte_nummer + 1
            RETURNING letzte_nummer
            """,
            [kommune_id, kennzeichen, jahr],
        )
        return cursor.fetchone()[0]
