"""German spellings for searching: shared by the document search (eakte/suche) and the
Aktenplan search, so that both read "Buergermeister" and "Bürgermeister" alike."""

_UMLAUT_AUS = (("ae", "ä"), ("oe", "ö"), ("ue", "ü"))


def schreibweisen(wort: str) -> list[str]:
    wort = wort.lower()
    varianten = [wort]
    mit_umlaut = wort
    for aus, ein in _UMLAUT_AUS:
        mit_umlaut = mit_umlaut.replace(aus, ein)
    ohne_umlaut = wort
    for aus, ein in _UMLAUT_AUS:
        ohne_umlaut = ohne_umlaut.replace(ein, aus)
    for variante in (mit_umlaut, ohne_umlaut.replace("ß", "ss")):
        if variante not in varianten:
            varianten.append(variante)
    return varianten
