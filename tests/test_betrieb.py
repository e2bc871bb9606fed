"""The deployment files stay consistent with the code (docker compose itself cannot run here)."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_docker_compose_beschreibt_alle_dienste():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    dienste = compose["services"]
    assert set(dienste) == {
        "postgres",
        "redis",
        "minio",
        "minio-bucket",
        "migrate",
        "web",
        "proxy",
        "worker",
        "worker-ocr",
        "beat",
    }
    for name, queues in (("worker", ["default"]), ("worker-ocr", ["ocr"])):
        befehl = dienste[name]["command"]
        assert befehl[befehl.index("-Q") + 1].split(",") == queues
    # all services share one file store: the OCR worker reads what web stored
    assert "dateien:/app/var/dateien" in dienste["worker-ocr"]["volumes"]
    for name in ("web", "worker", "worker-ocr", "beat", "migrate"):
        assert dienste[name]["build"] == "."
        assert "DATABASE_URL" in dienste[name]["environment"]
        # several hosts: files in S3, sessions in Redis unless .env says otherwise
        assert dienste[name]["environment"]["DATEISPEICHER"] == "${DATEISPEICHER:-s3}"
        assert dienste[name]["environment"]["SITZUNGEN_SPEICHER"] == "${SITZUNGEN_SPEICHER:-redis}"
    # the others start after migrate, which waits for the database, Redis and the bucket
    assert set(dienste["migrate"]["depends_on"]) == {"postgres", "redis", "minio-bucket"}


def test_mehrere_hosts_replikate_proxy_und_beat():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    dienste = compose["services"]
    web, proxy = dienste["web"], dienste["proxy"]
    assert "ports" not in web and web["deploy"]["replicas"] == "${WEB_REPLIKEN:-2}"
    assert "/health/ready" in " ".join(web["healthcheck"]["test"])
    assert web["environment"]["PROMETHEUS_MULTIPROC_DIR"] in web["tmpfs"]
    assert proxy["ports"] == ["${PROXY_PORT:-8000}:8080"]
    konf_quelle = proxy["volumes"][0].split(":")[0]
    konf = (ROOT / konf_quelle).read_text()
    assert "server web:8000" in konf and "listen 8080" in konf
    assert "X-Request-ID $request_id" in konf
    assert dienste["worker-ocr"]["deploy"]["replicas"] == "${OCR_REPLIKEN:-1}"
    # two beats are safe only because of the lock of the configured scheduler
    assert dienste["beat"]["deploy"]["replicas"] == 2
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULER == "eakte.common.beat:EinmalScheduler"
    assert "--scheduler" not in dienste["beat"]["command"]  # the setting is not overridden


def _env_beispiel() -> set[str]:
    namen = set()
    for zeile in (ROOT / ".env.example").read_text().splitlines():
        treffer = re.match(r"^#?([A-Z][A-Z0-9_]*)=", zeile)
        if treffer:
            namen.add(treffer.group(1))
    return namen


def test_env_beispiel_nennt_jede_variable_der_einstellungen():
    quelle = (ROOT / "eakte" / "settings.py").read_text()
    gelesen = set(
        re.findall(r'(?:\benv(?:\.\w+)?|env_bool|_drossel)\(\s*"([A-Z][A-Z0-9_]*)"', quelle)
    )
    assert len(gelesen) > 40  # the pattern still finds the reads
    assert gelesen - _env_beispiel() == set()


def test_env_beispiel_nennt_jede_variable_von_docker_compose():
    compose = (ROOT / "docker-compose.yml").read_text()
    genutzt = {n for n in re.findall(r"\$\{([A-Z][A-Z0-9_]*)", compose)}
    assert genutzt - _env_beispiel() == set()


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
