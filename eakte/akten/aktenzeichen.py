"""The gap-free running number of Aktenzeichen (the pattern is in kommunen.aktenzeichen_muster).

A number is taken from the counter row of Kommune/Kennzeichen/year, which stays locked until the
transaction ends. A long transaction that creates an Akte (the intake of an application files
documents, indexes them and writes the Protokoll after it) would hold every other creator of the
same unit for all that time; inside `am_ende_vergeben()` the Akte gets a provisional Aktenzeichen
and its number at the end of the block instead, still in the same transaction."""

import contextlib
import threading
import uuid

from django.db import connection
from django.db.models import Value
from django.db.models.functions import Replace

from eakte.kommunen import aktenzeichen_muster
from eakte.protokoll import services as protokoll_services

from . import signale
from .models import Akte, Vorgang

VORLAEUFIG = "vorläufig-"
_offen = threading.local()


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


def vergeben(akte: Akte) -> None:
    """Give the new (unsaved) Akte its number and Aktenzeichen, or, inside
    `am_ende_vergeben()`, a provisional one that the end of that block replaces."""
    offen = getattr(_offen, "akten", None)
    if offen is not None:
        akte.laufende_nummer, akte.aktenzeichen = 0, f"{VORLAEUFIG}{uuid.uuid4().hex}"
        offen.append(akte)
        return
    _nummer_setzen(akte)


def _nummer_setzen(akte: Akte) -> None:
    kommune = akte.kommune
    nummer = naechste_nummer(kommune_id=kommune.pk, kennzeichen=akte.kennzeichen, jahr=akte.jahr)
    akte.laufende_nummer = nummer
    akte.aktenzeichen = aktenzeichen_muster.formatieren(
        kommune.aktenzeichen_muster,
        prefix=kommune.aktenzeichen_praefix,
        kennzeichen=akte.kennzeichen,
        nummer=nummer,
        jahr=akte.jahr,
    )


def vorlaeufig(akte: Akte) -> bool:
    """Whether the Akte's number is still to be given at the end of `am_ende_vergeben()`
    (which then reindexes all its Dokumente)."""
    return akte.aktenzeichen.startswith(VORLAEUFIG)


def nachtragen(*objekte) -> None:
    """Objects that copied a provisional Aktenzeichen (a Vorgang's Vorgangszeichen, another
    instance of the Akte) get the final one at the end of the block as well."""
    offen = getattr(_offen, "objekte", None)
    if offen is not None:
        offen.extend(objekte)


@contextlib.contextmanager
def am_ende_vergeben():
    """Akten created inside the block get their numbers at its end (in the order they were
    created, skipping those of a savepoint rolled back inside): the counter row is then locked
    from there to the commit only. Their Vorgangszeichen, the Protokoll entries collected
    meanwhile (the block collects them, see `protokoll.services.gesammelt`) and their index rows
    are corrected at the same moment, so nothing with the provisional Aktenzeichen is committed.
    Must run inside `transaction.atomic`."""
    if getattr(_offen, "akten", None) is not None:
        yield  # nested: the outer block gives the numbers
        return
    _offen.akten, _offen.objekte = akten, objekte = [], []
    try:
        with protokoll_services.gesammelt():
            yield
            _offen.akten = _offen.objekte = None
            _endgueltig_vergeben(akten, objekte)
    finally:
        _offen.akten = _offen.objekte = None


def _endgueltig_vergeben(akten: list[Akte], objekte: list) -> None:
    bestehend = set(Akte.alle.filter(pk__in=[a.pk for a in akten]).values_list("pk", flat=True))
    for akte in akten:
        if akte.pk not in bestehend:
            continue
        vorlaeufig = akte.aktenzeichen
        _nummer_setzen(akte)
        Akte.alle.filter(pk=akte.pk).update(
            laufende_nummer=akte.laufende_nummer, aktenzeichen=akte.aktenzeichen
        )
        Vorgang.alle.filter(akte_id=akte.pk).update(
            vorgangszeichen=Replace("vorgangszeichen", Value(vorlaeufig), Value(akte.aktenzeichen))
        )
        for objekt in objekte:
            for feld in ("aktenzeichen", "vorgangszeichen"):
                wert = getattr(objekt, feld, None)
                if isinstance(wert, str) and vorlaeufig in wert:
                    setattr(objekt, feld, wert.replace(vorlaeufig, akte.aktenzeichen))
            if isinstance(objekt, Akte) and objekt.pk == akte.pk:
                objekt.laufende_nummer = akte.laufende_nummer
        protokoll_services.gesammelte_ersetzen(vorlaeufig, akte.aktenzeichen)
        signale.akte_geaendert.send(sender=Akte, akte_id=akte.pk)  # index rows carry it
