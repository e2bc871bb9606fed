"""Settings fail loudly on bad values and are deployable with production values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    ausgelassen = ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")  # the last one: e2e tests
    umgebung = {k: v for k, v in os.environ.items() if k not in ausgelassen}
    umgebung.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=umgebung,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_besteht_mit_produktionswerten():
    ergebnis = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="p" + os.urandom(32).hex(),
        ALLOWED_HOSTS="eakte.example.org",
        SECURE_SSL_REDIRECT="true",
        STATIC_MANIFEST="true",
    )
    assert ergebnis.returncode == 0, ergebnis.stdout + ergebnis.stderr


def test_ohne_secret_key_startet_produktion_nicht():
    ergebnis = _manage("check", DEBUG="false", SECRET_KEY="")
    assert ergebnis.returncode != 0
    assert "SECRET_KEY must be set" in ergebnis.stderr


def test_nur_postgresql_als_datenbank():
    ergebnis = _manage("check", DEBUG="true", DATABASE_URL="sqlite:///var/eakte.sqlite3")
    assert ergebnis.returncode != 0
    assert "must point to PostgreSQL" in ergebnis.stderr


def test_falscher_wahrheitswert_wird_nicht_still_geschluckt():
    ergebnis = _manage("check", DEBUG="vielleicht")
    assert ergebnis.returncode != 0
    assert "DEBUG" in ergebnis.stderr and "Wahrheitswert" in ergebnis.stderr


@pytest.mark.parametrize("wert", ["Ture", "ja", "1x"])
def test_vertippter_wahrheitswert_stoppt_den_start(wert):
    # DEBUG=true, so that nothing else (SECRET_KEY) stops the start first.
    ergebnis = _manage("check", DEBUG="true", STATIC_MANIFEST=wert)
    assert ergebnis.returncode != 0
    assert "ImproperlyConfigured" in ergebnis.stderr
    assert "STATIC_MANIFEST" in ergebnis.stderr and repr(wert) in ergebnis.stderr


@pytest.mark.parametrize(
    ("wert", "erwartet"),
    [
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("Yes", True),
        ("on", True),
        ("false", False),
        ("0", False),
        ("NO", False),
        ("Off", False),
        ("", None),
    ],
)
def test_wahrheitswerte_werden_verstanden(monkeypatch, wert, erwartet):
    from eakte.settings import env_bool

    monkeypatch.setenv("EAKTE_TEST_SCHALTER", wert)
    assert env_bool("EAKTE_TEST_SCHALTER", default=None) is erwartet


def test_hochgeladene_dateien_sind_nicht_oeffentlich(client, db, settings, tmp_path):
    datei = Path(settings.STORAGES["default"]["OPTIONS"]["location"]) / "geheim.txt"
    datei.parent.mkdir(parents=True, exist_ok=True)
    datei.write_text("vertraulich")
    try:
        antwort = client.get(settings.MEDIA_URL + "geheim.txt")
        assert antwort.status_code in (302, 404)
        assert b"vertraulich" not in b"".join(
            getattr(antwort, "streaming_content", [antwort.content])
        )
    finally:
        datei.unlink()


def test_sicherheitskoepfe(client, db):
    antwort = client.get("/anmelden/")
    csp = antwort["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert antwort["X-Frame-Options"] == "DENY"
    assert antwort["X-Content-Type-Options"] == "nosniff"


def test_falsche_drosselrate_stoppt_den_start():
    ergebnis = _manage("check", DEBUG="true", API_DROSSEL_PERSON="viele")
    assert ergebnis.returncode != 0
    assert "API_DROSSEL_PERSON" in ergebnis.stderr
