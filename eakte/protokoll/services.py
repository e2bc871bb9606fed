"""Writing to the Protokoll. Every service that reads or changes records calls `protokollieren`."""

import contextlib
import threading

from django.db import connection, transaction
from django.utils import timezone

from eakte.common.akteur import Akteur

from .models import Aktion, Protokolleintrag

ANFANGS_HASH = "0" * 64


def protokollieren(
    *,
    kommune_id: int,
    aktion: Aktion,
    akteur: Akteur,
    beschreibung: str,
    objekt=None,
    akte=None,
    details: dict | None = None,
) -> Protokolleintrag:
    """Append one entry to the chain of `kommune_id` (the Kommune whose data was touched).

    `akteur` says who acted and how (a person by session or API key, or the system with its
    reason): name, address and kind of sign-in are copied into the entry.
    A transaction-scoped advisory lock per Kommune serialises writers, so that the chain has no
    forks; it is held until the surrounding transaction ends, which is why services call this last.
    """
    if not isinstance(akteur, Akteur):
        raise TypeError("Das Protokoll braucht einen Akteur (Person oder System).")
    benutzer = akteur.benutzer
    eintrag = Protokolleintrag(
        kommune_id=kommune_id,
        benutzer=benutzer if benutzer is not None and benutzer.pk else None,
        benutzer_name=akteur.name,
        aktion=aktion,
        objekt_typ=type(objekt).__name__ if objekt is not None else "",
        objekt_uuid=getattr(objekt, "uuid", None),
        akte_uuid=akte.uuid if akte is not None else None,
        aktenzeichen=akte.aktenzeichen if akte is not None else "",
        beschreibung=beschreibung[:1000],
        details=details or {},
        ip_adresse=akteur.ip or None,
        anmeldeart=akteur.art,
        systemgrund=akteur.grund[:200] if akteur.ist_system else "",
    )
    sammlung = getattr(_gesammelt, "eintraege", None)
    if sammlung is not None:
        # written by `gesammelt()` at its end; the marker tells whether the savepoint this
        # entry was made in still stands then (Django drops a rolled-back savepoint's
        # on-commit callbacks)
        marke = _marke()
        transaction.on_commit(marke)
        sammlung.append((marke, eintrag))
        return eintrag
    with transaction.atomic():
        _anhaengen(kommune_id, [eintrag])
    return eintrag


_gesammelt = threading.local()


def _marke():
    def marke() -> None:
        pass

    return marke


def _anhaengen(kommune_id: int, eintraege: list[Protokolleintrag]) -> None:
    """Chain `eintraege` onto the Protokoll of `kommune_id` under its lock (the caller's
    transaction holds it until it ends)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [4711, kommune_id])
    # The chain of the touched Kommune, whatever the reader's Bereich (a share's reader
    # writes into the owner's chain).
    letzter = (
        Protokolleintrag.alle.filter(kommune_id=kommune_id)
        .order_by("-laufnummer")
        .values("laufnummer", "hash")
        .first()
    )
    laufnummer = letzter["laufnummer"] if letzter else 0
    vorheriger = letzter["hash"] if letzter else ANFANGS_HASH
    jetzt = timezone.now()
    for eintrag in eintraege:
        laufnummer += 1
        eintrag.laufnummer, eintrag.zeitpunkt = laufnummer, jetzt
        eintrag.vorheriger_hash = vorheriger
        eintrag.hash = vorheriger = eintrag.berechne_hash()
    if len(eintraege) == 1:
        eintraege[0].save()
    else:
        Protokolleintrag.alle.bulk_create(eintraege)


@contextlib.contextmanager
def gesammelt():
    """Collect the entries written inside the block and chain them at its end, in the same
    transaction: the Kommune's Protokoll lock is then held only from the end of the block to
    the commit instead of from the first entry on (the intake of a submission writes half a
    dozen entries and does much work between them). Must run inside `transaction.atomic`;
    entries of a savepoint rolled back inside the block are dropped, an exception drops all
    (the transaction is rolled back too). The entries get their number, time and hash at the
    end of the block; until then they are unsaved objects."""
    if not connection.in_atomic_block:
        raise RuntimeError("gesammelt() braucht eine Transaktion (transaction.atomic).")
    if getattr(_gesammelt, "eintraege", None) is not None:
        yield  # nested: the outer block writes
        return
    _gesammelt.eintraege = sammlung = []
    try:
        yield
    finally:
        _gesammelt.eintraege = None
    bestehend = {id(funktion) for _, funktion, _ in connection.run_on_commit}
    je_kommune: dict[int, list[Protokolleintrag]] = {}
    for marke, eintrag in sammlung:
        if id(marke) in bestehend:
            je_kommune.setdefault(eintrag.kommune_id, []).append(eintrag)
    for kommune_id in sorted(je_kommune):  # one lock order for every writer
        _anhaengen(kommune_id, je_kommune[kommune_id])


def gesammelte_ersetzen(alt: str, neu: str) -> None:
    """Replace a text in the entries collected so far by `gesammelt()` (not yet chained): a
    provisional Aktenzeichen becomes the final one (akten.aktenzeichen.am_ende_vergeben)."""
    for _, eintrag in getattr(_gesammelt, "eintraege", None) or []:
        eintrag.aktenzeichen = eintrag.aktenzeichen.replace(alt, neu)
        eintrag.beschreibung = eintrag.beschreibung.replace(alt, neu)[:1000]
        eintrag.details = _ersetzt(eintrag.details, alt, neu)


def _ersetzt(wert, alt: str, neu: str):
    if isinstance(wert, str):
        return wert.replace(alt, neu)
    if isinstance(wert, dict):
        return {schluessel: _ersetzt(w, alt, neu) for schluessel, w in wert.items()}
    if isinstance(wert, list):
        return [_ersetzt(w, alt, neu) for w in wert]
    return wert


class Protokoll:
    """The Protokoll of one Kommune as the object of an entry (`objekt_typ` "Protokoll")."""

    def __init__(self, kommune) -> None:
        self.uuid = kommune.uuid


def protokoll_gelesen(
    *,
    akteur: Akteur,
    aktion: Aktion,
    beschreibung: str,
    details: dict | None = None,
) -> Protokolleintrag:
    """Reading or exporting the Protokoll is itself written to it (who looked at what, when)."""
    benutzer = akteur.benutzer
    return protokollieren(
        kommune_id=benutzer.kommune_id,
        akteur=akteur,
        aktion=aktion,
        beschreibung=beschreibung,
        objekt=Protokoll(benutzer.kommune),
        details=details,
    )
