"""The layers of the apps: an app imports only apps of lower layers (at module or function
level), so that the apps above can change without touching the ones below. Where a lower app
must set off a higher one it sends a signal or a Celery task by name (docs/architektur.md).

And inside an app: services never import the app's tasks (tasks call services, services send
tasks by name), so there is no import cycle between them."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# (layer, folder). The base layer's apps may import each other (common reads the models of
# kommunen/konten lazily to know the person); every other app only imports lower layers.
APPS = {
    "common": (0, "eakte/common"),
    "kommunen": (0, "eakte/kommunen"),
    "konten": (0, "eakte/konten"),
    "protokoll": (0, "eakte/protokoll"),
    "aktenplan": (1, "aktenplan"),
    "system": (1, "eakte/system"),
    "identitaet": (1, "eakte/identitaet"),
    "akten": (2, "eakte/akten"),
    "suche": (3, "eakte/suche"),
    "schulung": (3, "schulung"),
    "geschaeftsgang": (3, "eakte/geschaeftsgang"),
    "ocr": (4, "eakte/ocr"),
    "posteingang": (5, "eakte/posteingang"),
    "einsicht": (5, "eakte/einsicht"),
    "cockpit": (5, "eakte/cockpit"),
    "aussonderung": (6, "eakte/aussonderung"),
    "eingang": (6, "eakte/eingang"),  # files unroutable submissions into the Posteingang
    "start": (7, "eakte/start"),
}
# Exceptions (file, module) allowed for now: none. Add one only with the reason beside it.
BEKANNT: set[tuple[str, str]] = set()


def _app(modul: str) -> str | None:
    for name, (_, pfad) in APPS.items():
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
                modul = ".".join(basis + ([knoten.module] if knoten.module else []))
            else:
                modul = knoten.module or ""
            yield modul
            yield from (f"{modul}.{alias.name}" for alias in knoten.names)


def _dateien(pfad: str):
    return (d for d in (ROOT / pfad).rglob("*.py") if "migrations" not in d.parts)


def test_jede_app_importiert_nur_tiefere_schichten():
    gefunden = set()
    for app, (schicht, pfad) in APPS.items():
        for datei in _dateien(pfad):
            for modul in _importe(datei):
                ziel = _app(modul)
                if ziel is None or ziel == app:
                    continue
                ziel_schicht = APPS[ziel][0]
                if ziel_schicht > schicht or (ziel_schicht == schicht and schicht > 0):
                    gefunden.add((str(datei.relative_to(ROOT)), modul))
    assert gefunden - BEKANNT == set()


def test_jede_app_ist_eingeordnet():
    """A new app gets a layer here, or this test names it."""
    bekannt = {pfad for _, pfad in APPS.values()}
    kandidaten = {
        str(p.parent.relative_to(ROOT))
        for p in [*ROOT.glob("eakte/*/apps.py"), *ROOT.glob("*/apps.py")]
    }
    assert kandidaten - bekannt == set()


@pytest.mark.parametrize(
    "app", [a for a, (_, p) in APPS.items() if (ROOT / p / "tasks.py").exists()]
)
def test_services_importieren_die_tasks_nicht(app):
    pfad = APPS[app][1]
    tasks = pfad.replace("/", ".") + ".tasks"
    services = [ROOT / pfad / "services.py", *(ROOT / pfad / "services").glob("*.py")]
    verstoesse = {
        str(datei.relative_to(ROOT))
        for datei in services
        if datei.exists() and any(m == tasks or m.startswith(tasks + ".") for m in _importe(datei))
    }
    assert verstoesse == set()
