"""The change history of a unit in words: German field names and values, never raw ones."""

from datetime import date

from django import template

from ..austausch import FELDNAMEN

register = template.Library()


def _wert(feld: str, wert) -> str:
    if feld == "aufbewahrungsfrist":
        if wert is None:
            return "unbefristet"
        return f"{wert} Jahr" + ("" if wert == 1 else "e")
    if wert is None or wert == "":
        return "–"
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    if feld.startswith("gueltig_"):
        try:
            return date.fromisoformat(str(wert)).strftime("%d.%m.%Y")
        except ValueError:
            return str(wert)
    return f"„{wert}“" if feld in ("titel", "beschreibung") else str(wert)


@register.filter
def aenderungstext(eintrag) -> str:
    """ "Titel: „Wahlen“ → „Wahlen und Abstimmungen“; gültig ab: – → 01.01.2026" (only what
    changed)."""
    alt, neu = eintrag.alt or {}, eintrag.neu or {}
    teile = []
    for feld, neuer_wert in neu.items():
        alter_wert = alt.get(feld)
        if alter_wert == neuer_wert:
            continue
        name = FELDNAMEN.get(feld, feld)
        teile.append(f"{name}: {_wert(feld, alter_wert)} → {_wert(feld, neuer_wert)}")
    return "; ".join(teile) or "–"
