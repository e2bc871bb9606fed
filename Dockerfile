# Production image: gunicorn + whitenoise for the web, the same image for Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    OMP_THREAD_LIMIT=1 \
    PIP_NO_CACHE_DIR=1

# OCR tool chain for ocrmypdf (Tesseract with German and English, Ghostscript, unpaper, pngquant,
# qpdf), libmagic, which tells uploaded files by their content, and LibreOffice without GUI, which
# converts office files, text, HTML and e-mails to PDF/A (soffice --headless, one per conversion).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-deu tesseract-ocr-eng ghostscript unpaper pngquant qpdf libmagic1 \
        fonts-dejavu-core \
        libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui \
        libldap-2.5-0 libsasl2-2 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 eakte
WORKDIR /app

COPY pyproject.toml README.md ./
COPY eakte eakte
COPY aktenplan aktenplan
COPY schulung schulung
# python-ldap (directory sign-in) is built against OpenLDAP's headers; the build tools go again
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libldap2-dev libsasl2-dev \
    && pip install . \
    && apt-get purge -y gcc libldap2-dev libsasl2-dev && apt-get autoremove -y \
    && rm -rf /var/lib/apt/lists/*

COPY manage.py ./
COPY templates templates
COPY static static

# collectstatic needs settings but no real database or secret.
RUN DATABASE_URL=postgres://build@localhost/build SECRET_KEY=build-only \
    python manage.py collectstatic --noinput --verbosity 0

RUN mkdir -p /app/var/dateien && chown -R eakte:eakte /app/var
USER eakte

EXPOSE 8000
CMD ["gunicorn", "eakte.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
