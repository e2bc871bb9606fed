"""A file checked in a dry run is kept for a while, so that confirming needs no second upload.

The entry is bound to the person and the object it was checked against (a plan, a Kommune) and
is used once.
"""

import uuid

from django.core.cache import cache

AUFBEWAHRUNG = 30 * 60


def vormerken(*, art: str, inhalt: bytes, benutzer, bezug: int, **weiteres) -> str:
    schluessel = uuid.uuid4().hex
    daten = {"inhalt": inhalt, "benutzer": benutzer.pk, "bezug": bezug, **weiteres}
    cache.set(f"probelauf:{art}:{schluessel}", daten, AUFBEWAHRUNG)
    return schluessel


def ansehen(*, art: str, schluessel: str, benutzer, bezug: int) -> dict | None:
    """The kept entry, left in the cache (to show its pages again); None as in `abholen`."""
    daten = cache.get(f"probelauf:{art}:{schluessel}")
    if not daten or (daten["benutzer"], daten["bezug"]) != (benutzer.pk, bezug):
        return None
    return daten


def abholen(*, art: str, schluessel: str, benutzer, bezug: int) -> dict | None:
    """The kept entry, removed from the cache; None if expired or not this person's."""
    daten = ansehen(art=art, schluessel=schluessel, benutzer=benutzer, bezug=bezug)
    if daten is not None:
        cache.delete(f"probelauf:{art}:{schluessel}")
    return daten
