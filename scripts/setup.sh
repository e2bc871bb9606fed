#!/usr/bin/env bash
# Prepares this machine for `make run` / `make test`: Debian packages (OCR tools, LibreOffice
# without GUI for converting office files and e-mails, and Chromium for the browser tests), a virtual environment in .venv and the project with its Python packages.
# Safe to run again: it only installs what is missing or changed.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
pakete=(tesseract-ocr tesseract-ocr-deu tesseract-ocr-eng ghostscript unpaper pngquant qpdf libmagic1 fonts-dejavu-core)
# the worker converts DOCX/XLSX/PPTX/ODF/RTF/text/HTML/e-mails to PDF/A with soffice --headless
pakete+=(libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui)
# python-ldap (django-auth-ldap) is built against OpenLDAP's client library
pakete+=(libldap2-dev libsasl2-dev gcc python3.11-dev)
if [ "$mode" = test ] || [ "$mode" = uhrzeiten ]; then
  # slapd: the real directory the sign-in tests start (tests/identitaet/verzeichnis.py)
  pakete+=(chromium slapd ldap-utils)
  # the e-mail intake tests start a throw-away Dovecot (IMAP with TLS) on a free port (issue 19)
  pakete+=(dovecot-imapd)
  # deploy/nginx.conf is tested in front of a real gunicorn (tests/betrieb/test_proxy.py)
  pakete+=(nginx)
fi
if [ "$mode" = uhrzeiten ]; then
  # `make test-uhrzeiten` runs the suite at chosen instants (scripts/dev.py uhrzeiten)
  pakete+=(faketime)
fi

fehlend=()
for paket in "${pakete[@]}"; do
  dpkg-query -W -f='${Status}' "$paket" 2>/dev/null | grep -q "install ok installed" || fehlend+=("$paket")
done

if [ ${#fehlend[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> Installiere Systempakete: ${fehlend[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${fehlend[@]}"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    echo "==> Installiere Systempakete mit sudo: ${fehlend[*]}"
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${fehlend[@]}"
  else
    echo "FEHLER: Es fehlen Systempakete. Bitte als Administrator installieren:" >&2
    echo "  sudo apt-get install ${fehlend[*]}" >&2
    exit 1
  fi
fi

python=${PYTHON:-python3.11}
if ! command -v "$python" >/dev/null; then
  echo "FEHLER: $python wurde nicht gefunden. Die E-Akte braucht Python 3.11." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "==> Lege virtuelle Umgebung .venv an"
  "$python" -m venv .venv
fi

stempel=.venv/.installiert
if [ ! -f "$stempel" ] || [ pyproject.toml -nt "$stempel" ]; then
  echo "==> Installiere Python-Pakete"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[lokal,test]"
  touch "$stempel"
fi
