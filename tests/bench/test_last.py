"""bench/last.py's evaluation of a Locust run and its message when Locust is missing (the load
run itself is a benchmark, not a test)."""

import json
import sys

import pytest

from bench import last


def test_stufen_aus_den_aufgezeichneten_anfragen(tmp_path):
    eintraege = [
        # stage 0 (2 clerks): logins in the settling time, then the pages
        (0, 0.5, "Anmelden", 900.0, None),
        (0, 1.0, "Startseite", 5000.0, None),  # settling time: not in the figures
        *[(0, 11.0 + i, "Startseite", float(10 + i), None) for i in range(20)],
        (0, 12.0, "Suche", 40.0, None),
        # stage 1 (4 clerks): one failed upload
        (1, 0.2, "Anmelden", 1200.0, None),
        *[(1, 15.0 + i, "Akte", float(100 + 10 * i), None) for i in range(10)],
        (1, 20.0, "Hochladen", 300.0, "Hochladen: 500"),
    ]
    datei = tmp_path / "anfragen.jsonl"
    datei.write_text("".join(json.dumps(e) + "\n" for e in eintraege))
    stufen, anmelden = last._stufen_auswerten(datei, [(2, 30), (4, 30)], einschwingen=10)
    erste, zweite = stufen
    assert erste["anfragen"] == 21 and erste["fehler"] == 0
    assert erste["p95_ms"]["Startseite"] == 28.0  # nearest rank: the 19th of 10 … 29
    assert erste["p50_ms"]["Startseite"] == 19.0
    assert erste["p95_seiten_ms"] == 28.0 and erste["p95_suche_ms"] == 40.0
    assert erste["durchsatz_rps"] == round(21 / 20, 1)  # 21 requests in the 20 measured seconds
    assert zweite["fehler"] == 1 and zweite["fehlerarten"] == ["Hochladen: Hochladen: 500 (1×)"]
    assert zweite["p95_seiten_ms"] == 190.0
    assert anmelden == {"anzahl": 2, "fehler": 0, "p50_ms": 900.0, "p95_ms": 1200.0}


def test_ohne_locust_sagt_der_lasttest_was_zu_installieren_ist(monkeypatch):
    monkeypatch.setitem(sys.modules, "locust", None)  # import locust → ImportError
    with pytest.raises(SystemExit) as ende:
        last._locust_pruefen()
    assert 'pip install -e ".[last]"' in str(ende.value)
    assert "Locust" in str(ende.value)
