"""deploy/nginx.conf in front of gunicorn with the production settings, both real: nginx with the
project's own configuration file (only the upstream address and the port replaced), gunicorn
on the test database with DEBUG off, a public host name and the redirect to HTTPS."""

import http.client
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import _test_database_url
from tests.hilfen import freier_port, gunicorn_befehl, laufender_prozess

ROOT = Path(__file__).resolve().parents[2]
HOST = "eakte.example.de"
TOKEN = "proxy-test-token"

pytestmark = pytest.mark.django_db


def _nginx() -> str:
    pfad = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(pfad).exists(), "nginx fehlt: scripts/setup.sh test installiert nginx"
    return pfad


def _abruf(port: int, pfad: str, **kopf: str) -> http.client.HTTPResponse:
    verbindung = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    verbindung.request("GET", pfad, headers={"Host": HOST, **kopf})
    antwort = verbindung.getresponse()
    antwort.read()
    verbindung.close()
    return antwort


def _antwortet(port: int, pfad: str) -> bool:
    try:
        return _abruf(port, pfad).status == 200
    except OSError:
        return False


@pytest.fixture
def gunicorn(tmp_path):
    port = freier_port()
    umgebung = dict(
        os.environ,
        DATABASE_URL=_test_database_url(),
        DEBUG="false",
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="true",
        STATIC_MANIFEST="false",
        METRIKEN_TOKEN=TOKEN,
        EAKTE_PROXY_ANZAHL="2",
        MEDIA_ROOT=str(tmp_path / "dateien"),
    )
    with laufender_prozess(
        gunicorn_befehl(port),
        bereit=lambda: _antwortet(port, "/health/live"),
        log=tmp_path / "gunicorn.log",
        cwd=ROOT,
        env=umgebung,
    ):
        yield port


@pytest.fixture
def nginx(tmp_path, gunicorn):
    port = freier_port()
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "server web:8000" in site and "listen 8080;" in site
    site = site.replace("server web:8000", f"server 127.0.0.1:{gunicorn}")
    site = site.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    (tmp_path / "site.conf").write_text(site)
    temp = " ".join(
        f"{art}_temp_path {tmp_path / art};"
        for art in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"daemon off; worker_processes 1; pid {tmp_path / 'nginx.pid'};\n"
        "error_log stderr;\n"
        "events { worker_connections 64; }\n"
        f"http {{ access_log off; {temp} include {tmp_path / 'site.conf'}; }}\n"
    )
    befehl = [_nginx(), "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    pruefung = subprocess.run([*befehl, "-t"], capture_output=True, text=True, check=False)
    assert pruefung.returncode == 0, pruefung.stderr  # the configuration file is valid
    with laufender_prozess(
        befehl, bereit=lambda: _antwortet(port, "/health/live"), log=tmp_path / "nginx.log"
    ):
        yield port


def test_sonden_ohne_oeffentlichen_namen_wie_der_healthcheck_des_containers(gunicorn):
    """docker-compose's health check asks http://localhost:8000/health/ready."""
    verbindung = http.client.HTTPConnection("127.0.0.1", gunicorn, timeout=30)
    verbindung.request("GET", "/health/ready", headers={"Host": "localhost:8000"})
    antwort = verbindung.getresponse()
    assert antwort.status == 200, antwort.read()[:500]


def test_nginx_reicht_das_protokoll_des_tls_proxys_weiter(nginx):
    # the TLS proxy in front says https: the page answers (no redirect to itself)
    assert _abruf(nginx, "/anmelden/", **{"X-Forwarded-Proto": "https"}).status == 200
    # plain http straight to nginx: redirected to https
    umleitung = _abruf(nginx, "/anmelden/")
    assert umleitung.status == 301
    assert umleitung.getheader("Location") == f"https://{HOST}/anmelden/"
    assert _abruf(nginx, "/health/ready").status == 200


def test_metriken_nur_direkt_vom_replikat_nicht_ueber_nginx(nginx, gunicorn):
    kopf = {"Authorization": f"Bearer {TOKEN}"}
    assert _abruf(nginx, "/metrics", **kopf).status == 404
    direkt = http.client.HTTPConnection("127.0.0.1", gunicorn, timeout=30)
    direkt.request("GET", "/metrics", headers={"Host": "10.0.3.7:8000", **kopf})
    assert direkt.getresponse().status == 200
