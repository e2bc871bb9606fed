"""The Aktenzeichen pattern of a Kommune, e.g. {prefix}-{kennzeichen}-{nummer:04d}/{jahr}."""

import string

from django.core.exceptions import ValidationError

FELDER = {"prefix", "kennzeichen", "nummer", "jahr"}
BEISPIEL = {"prefix": "MIC", "kennzeichen": "02.1", "nummer": 7, "jahr": 2026}


def aktenzeichen_muster_pruefen(muster: str) -> None:
    """A pattern must contain {nummer} and {kennzeichen}, and only the four known fields."""
    try:
        felder = {name for _, name, _, _ in string.Formatter().parse(muster) if name is not None}
    except ValueError as fehler:
        raise _ungueltig(fehler) from fehler
    unbekannt = felder - FELDER
    if unbekannt:
        raise ValidationError(
            "Unbekannte Platzhalter im Aktenzeichen-Muster: "
            + ", ".join(sorted(unbekannt))
            + ". Erlaubt sind {prefix}, {kennzeichen}, {nummer} und {jahr}."
        )
    try:
        muster.format(**BEISPIEL)
    except (ValueError, KeyError, IndexError) as fehler:
        raise _ungueltig(fehler) from fehler
    if not {"nummer", "kennzeichen"} <= felder:
        raise ValidationError(
            "Das Aktenzeichen-Muster braucht {kennzeichen} und {nummer}, sonst wären "
            "Aktenzeichen nicht eindeutig."
        )


def _ungueltig(fehler) -> ValidationError:
    return ValidationError(
        f"Das Aktenzeichen-Muster ist ungültig ({fehler}). Beispiel: "
        "{prefix}-{kennzeichen}-{nummer:04d}/{jahr}"
    )


def formatieren(muster: str, *, prefix: str, kennzeichen: str, nummer: int, jahr: int) -> str:
    return muster.format(prefix=prefix, kennzeichen=kennzeichen, nummer=nummer, jahr=jahr)
