"""Verifying the hash chains of the Protokoll."""

from dataclasses import dataclass

from .models import Protokolleintrag
from .services import ANFANGS_HASH


@dataclass(frozen=True)
class Bruch:
    kommune_id: int
    laufnummer: int
    grund: str


def kette_pruefen(kommune_id: int) -> tuple[int, Bruch | None]:
    """(number of entries checked, first broken link or None), streaming in id order."""
    erwartet_nummer, erwarteter_hash, gezaehlt = 1, ANFANGS_HASH, 0
    eintraege = Protokolleintrag.objects.filter(kommune_id=kommune_id).order_by("laufnummer")
    for eintrag in eintraege.iterator(chunk_size=2000):
        gezaehlt += 1
        if eintrag.laufnummer != erwartet_nummer:
            return gezaehlt, Bruch(
                kommune_id, erwartet_nummer, f"Eintrag Nr. {erwartet_nummer} fehlt (gelöscht?)"
            )
        if eintrag.vorheriger_hash != erwarteter_hash:
            return gezaehlt, Bruch(
                kommune_id, eintrag.laufnummer, "Verweis auf den vorigen Eintrag stimmt nicht"
            )
        if eintrag.berechne_hash() != eintrag.hash:
            return gezaehlt, Bruch(
                kommune_id, eintrag.laufnummer, "Inhalt wurde nachträglich verändert"
            )
        erwartet_nummer, erwarteter_hash = eintrag.laufnummer + 1, eintrag.hash
    return gezaehlt, None
