"""Wording helpers: a number with its noun in the right form ("1 Akte", "2 Akten")."""

from django.utils.translation import ngettext


def mit_anzahl(n: int, einzahl: str, mehrzahl: str) -> str:
    """`n` and the noun in singular or plural, chosen by ngettext (no pseudo-plural)."""
    return f"{n} {ngettext(einzahl, mehrzahl, n)}"
