"""Server-side SVG charts (no script, no inline style: a strict CSP holds). Colours from the
Okabe-Ito palette, safe for colour-blind readers; every chart also has a data table on its page
(the SVG carries a <title> and <desc> for screen readers)."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

FARBEN = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
BREITE, HOEHE = 720, 300
RAND_L, RAND_R, RAND_O, RAND_U = 60, 20, 20, 50


def _zahl(wert: float) -> str:
    return f"{wert:,.0f}".replace(",", ".")


def _achse(hoechst: float) -> list[float]:
    hoechst = max(hoechst, 1)
    schritt = 10 ** max(0, len(str(int(hoechst))) - 1)
    while hoechst / schritt > 5:
        schritt *= 2
    return [schritt * i for i in range(int(hoechst // schritt) + 2)]


def _rahmen(titel: str, beschreibung: str, teile: list[str], striche: list[float], y) -> str:
    gitter = []
    for wert in striche:
        py = y(wert)
        gitter.append(
            f'<line x1="{RAND_L}" x2="{BREITE - RAND_R}" y1="{py:.1f}" y2="{py:.1f}" '
            f'stroke="#ddd"/><text x="{RAND_L - 6}" y="{py + 4:.1f}" text-anchor="end" '
            f'font-size="11" fill="#333">{_zahl(wert)}</text>'
        )
    return mark_safe(  # noqa: S308 (every text inside is escaped above)
        f'<svg class="diagramm" viewBox="0 0 {BREITE} {HOEHE}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="t d">'
        f"<title>{escape(titel)}</title><desc>{escape(beschreibung)}</desc>"
        + "".join(gitter)
        + "".join(teile)
        + "</svg>"
    )


def linien(titel: str, reihen: dict[str, list[tuple]], beschreibung: str = "") -> str:
    """One line per series; the x values are labels (dates), the same for every series."""
    alle = [w for reihe in reihen.values() for _, w in reihe]
    striche = _achse(max(alle, default=0))
    oben = striche[-1]
    n = max((len(r) for r in reihen.values()), default=0)
    innen_b, innen_h = BREITE - RAND_L - RAND_R, HOEHE - RAND_O - RAND_U

    def x(i):
        return RAND_L + (innen_b * i / max(n - 1, 1))

    def y(w):
        return RAND_O + innen_h * (1 - w / oben)

    teile = []
    for nummer, (name, reihe) in enumerate(reihen.items()):
        farbe = FARBEN[nummer % len(FARBEN)]
        punkte = " ".join(f"{x(i):.1f},{y(w):.1f}" for i, (_, w) in enumerate(reihe))
        strich = ' stroke-dasharray="6 3"' if nummer % 2 else ""
        teile.append(
            f'<polyline fill="none" stroke="{farbe}" stroke-width="2.5"{strich} '
            f'points="{punkte}"><title>{escape(name)}</title></polyline>'
        )
        teile.append(
            f'<text x="{RAND_L + 8 + 150 * nummer}" y="{HOEHE - 8}" font-size="12" '
            f'fill="{farbe}">■ {escape(name)}</text>'
        )
    if n:
        erste = next(iter(reihen.values()))
        for i in (0, n - 1):
            teile.append(
                f'<text x="{x(i):.1f}" y="{HOEHE - RAND_U + 16}" font-size="11" fill="#333" '
                f'text-anchor="{"start" if i == 0 else "end"}">{escape(erste[i][0])}</text>'
            )
    return _rahmen(titel, beschreibung or titel, teile, striche, y)


def balken(titel: str, werte: list[tuple[str, float]], beschreibung: str = "") -> str:
    striche = _achse(max((w for _, w in werte), default=0))
    oben = striche[-1]
    innen_b, innen_h = BREITE - RAND_L - RAND_R, HOEHE - RAND_O - RAND_U

    def y(w):
        return RAND_O + innen_h * (1 - w / oben)

    breite = innen_b / max(len(werte), 1)
    teile = []
    for i, (name, wert) in enumerate(werte):
        farbe = FARBEN[i % len(FARBEN)]
        links = RAND_L + i * breite + breite * 0.15
        teile.append(
            f'<rect x="{links:.1f}" y="{y(wert):.1f}" width="{breite * 0.7:.1f}" '
            f'height="{y(0) - y(wert):.1f}" fill="{farbe}"><title>{escape(name)}: '
            f"{_zahl(wert)}</title></rect>"
            f'<text x="{links + breite * 0.35:.1f}" y="{HOEHE - RAND_U + 16}" font-size="12" '
            f'text-anchor="middle" fill="#333">{escape(name)}</text>'
            f'<text x="{links + breite * 0.35:.1f}" y="{y(wert) - 4:.1f}" font-size="11" '
            f'text-anchor="middle" fill="#333">{_zahl(wert)}</text>'
        )
    return _rahmen(titel, beschreibung or titel, teile, striche, y)
