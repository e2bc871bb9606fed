"""akten is the lower app: it sets off the OCR and the search by signals and task names, and
never imports them (nor the Posteingang), not even inside a function."""

import ast
from pathlib import Path

import eakte

HOEHER = ("eakte.ocr", "eakte.suche", "eakte.posteingang")


def _importe(pfad: Path) -> set[str]:
    namen = set()
    for knoten in ast.walk(ast.parse(pfad.read_text())):
        if isinstance(knoten, ast.Import):
            namen.update(alias.name for alias in knoten.names)
        elif isinstance(knoten, ast.ImportFrom) and knoten.module and knoten.level == 0:
            namen.add(knoten.module)
            namen.update(f"{knoten.module}.{alias.name}" for alias in knoten.names)
    return namen


def test_akten_importiert_keine_hoeheren_apps():
    wurzel = Path(eakte.__file__).parent / "akten"
    verstoesse = {
        str(pfad.relative_to(wurzel)): sorted(n for n in _importe(pfad) if n.startswith(HOEHER))
        for pfad in wurzel.rglob("*.py")
    }
    assert {pfad: namen for pfad, namen in verstoesse.items() if namen} == {}


def test_ocr_services_und_tasks_importieren_sich_nicht_gegenseitig():
    wurzel = Path(eakte.__file__).parent / "ocr"
    services = ast.parse((wurzel / "services.py").read_text())
    relativ = {
        alias.name
        for knoten in ast.walk(services)
        if isinstance(knoten, ast.ImportFrom) and knoten.level == 1
        for alias in knoten.names
    }
    assert "tasks" not in relativ and "eakte.ocr.tasks" not in _importe(wurzel / "services.py")
