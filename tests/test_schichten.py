"""The layers of the apps: a lower app imports nothing from an app built on it (at module or
function level), so that the apps above can change without touching the ones below."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

APPS = {
    "common": "eakte/common",
    "kommunen": "eakte/kommunen",
    "konten": "eakte/konten",
    "protokoll": "eakte/protokoll",
    "aktenplan": "aktenplan",
    "akten": "eakte/akten",
    "ocr": "eakte/ocr",
    "suche": "eakte/suche",
    "posteingang": "eakte/posteingang",
    "schulung": "schulung",
}
OBEN = {"akten", "ocr", "suche", "posteingang", "aktenplan", "schulung"}
VERBOTEN = {
    "common": OBEN,
    "kommunen": OBEN,
    "konten": OBEN,
    "protokoll": OBEN,
    "aktenplan": OBEN - {"aktenplan"},
}
# Exceptions (file, module) allowed for now: none. Add one only with the reason beside it.
BEKANNT: set[tuple[str, str]] = set()


def _app(modul: str) -> str | None:
    for name, pfad in APPS.items():
        gepunktet = pfad.replace("/", ".")
        if modul == gepunktet or modul.startswith(gepunktet + "."):
            return name
    return None


def _importe(datei: Path):
    paket = ".".join(datei.relative_to(ROOT).with_suffix("").parts)
    for knoten in ast.walk(ast.parse(datei.read_text())):
        if isinstance(knoten, ast.Import):
            yield from (alias.name for alias in knoten.names)
        elif isinstance(knoten, ast.ImportFrom):
            if knoten.level:
                basis = paket.split(".")[: -knoten.level]
                yield ".".join(basis + ([knoten.module] if knoten.module else []))
            else:
                yield knoten.module


def test_untere_apps_importieren_nichts_von_oben():
    gefunden = set()
    for app, verboten in VERBOTEN.items():
        for datei in (ROOT / APPS[app]).rglob("*.py"):
            if "migrations" in datei.parts:
                continue
            for modul in _importe(datei):
                if _app(modul) in verboten:
                    gefunden.add((str(datei.relative_to(ROOT)), modul))
    assert gefunden - BEKANNT == set()
