"""Writing to the Protokoll. Every service that reads or changes records calls `protokollieren`."""

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
    with transaction.atomic():
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
        eintrag = Protokolleintrag(
            kommune_id=kommune_id,
            laufnummer=(letzter["laufnummer"] + 1) if letzter else 1,
            zeitpunkt=timezone.now(),
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
            vorheriger_hash=letzter["hash"] if letzter else ANFANGS_HASH,
        )
        eintrag.hash = eintrag.berechne_hash()
        eintrag.save()
        return eintrag


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
