"""The deployment files stay consistent with the code (docker compose itself cannot run here)."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_docker_compose_beschreibt_alle_dienste():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    dienste = compose["services"]
    assert set(dienste) == {"postgres", "redis", "migrate", "web", "worker", "worker-ocr", "beat"}
    for name, queues in (("worker", ["default"]), ("worker-ocr", ["ocr"])):
        befehl = dienste[name]["command"]
        assert befehl[befehl.index("-Q") + 1].split(",") == queues
    # all services share one file store: the OCR worker reads what web stored
    assert "dateien:/app/var/dateien" in dienste["worker-ocr"]["volumes"]
    for name in ("web", "worker", "worker-ocr", "beat", "migrate"):
        assert dienste[name]["build"] == "."
        assert "DATABASE_URL" in dienste[name]["environment"]


def test_dockerfile_installiert_die_ocr_werkzeuge():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for paket in ["tesseract-ocr-deu", "ghostscript", "unpaper", "pngquant", "qpdf", "libmagic1"]:
        assert paket in dockerfile
    assert "gunicorn" in dockerfile


def test_libreoffice_wird_fuer_den_worker_ueberall_installiert():
    """The OCR worker converts office files with soffice: the image and `make run`/`make test`
    (scripts/setup.sh, both modes) install the same LibreOffice packages."""
    pakete = ["libreoffice-writer-nogui", "libreoffice-calc-nogui", "libreoffice-impress-nogui"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    grundpakete = setup.split('if [ "$mode" = test ]')[0]
    for paket in pakete:
        assert paket in dockerfile and paket in grundpakete, paket


def test_ci_ruft_den_testbefehl_des_readme():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text()
