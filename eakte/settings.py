"""Settings of the shared e-file, read from environment variables.

Every value that differs between machines comes from the environment (or a `.env` file in the
project root). A bad value stops the start with a clear message instead of running half-configured.
"""

import re
from pathlib import Path
from urllib.parse import unquote

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _require_postgresql(url: str) -> dict:
    config = environ.Env.db_url_config(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"DATABASE_URL must point to PostgreSQL (the only supported database), got {url!r}"
        )
    # A Unix socket directory is given percent-encoded in the host part: postgres://u@%2Fvar%2Frun/db
    config["HOST"] = unquote(config.get("HOST") or "")
    return config


_WAHR = {"true", "1", "yes", "on"}
_FALSCH = {"false", "0", "no", "off"}


def env_bool(name: str, *, default: bool) -> bool:
    """A boolean from the environment; a misspelt value ("Ture", "1x") stops the start instead of
    silently meaning False."""
    wert = env.str(name, default="").strip()
    if not wert:
        return default
    if wert.lower() in _WAHR:
        return True
    if wert.lower() in _FALSCH:
        return False
    raise ImproperlyConfigured(
        f"Die Umgebungsvariable {name} hat den Wert {wert!r}, erwartet wird ein Wahrheitswert: "
        "true/false, 1/0, yes/no oder on/off."
    )


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="" if not DEBUG else "unsicher-nur-fuer-entwicklung")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
# A query on a Kommune's rows without a Bereich raises (True) or is logged as an ERROR and
# returns nothing (False); see eakte/common/mandantenbereich.py.
MANDANTENBEREICH_STRENG = env.bool("MANDANTENBEREICH_STRENG", default=DEBUG)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

if "DATABASE_URL" not in env:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Start the project with `make run` / `make test`, which start an "
        "embedded PostgreSQL when no server is configured, or set DATABASE_URL=postgres://…"
    )
DATABASES = {"default": _require_postgresql(env.str("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Optional streaming replica for the reads of search, lists and the cockpit
# (eakte/common/lesereplik.py, docs/betrieb.md "Read replica").
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replik"] = {
        **_require_postgresql(env.str("DATABASE_REPLICA_URL")),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"connect_timeout": 2},
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["eakte.common.lesereplik.LesereplikRouter"]
# Seconds a person's reads stay on the primary after they wrote; pause after a failed check.
LESEREPLIK_FENSTER = env.int("LESEREPLIK_FENSTER", default=15)
LESEREPLIK_PRUEFPAUSE = env.float("LESEREPLIK_PRUEFPAUSE", default=10.0)
# A replica further behind than this many seconds gets no reads (its lag measured at most every
# LESEREPLIK_VERZUG_INTERVALL seconds per process).
LESEREPLIK_MAX_VERZUG = env.float("LESEREPLIK_MAX_VERZUG", default=5.0)
LESEREPLIK_VERZUG_INTERVALL = env.float("LESEREPLIK_VERZUG_INTERVALL", default=2.0)
LESEREPLIK_VIEWS = frozenset(
    {
        "suche:suche",
        "suche:vorschlaege",
        "akten:meine",
        "akten:freigegeben",
        "start:startseite",
        "cockpit:verbund",
        "cockpit:verbund_csv",
        "cockpit:kommune",
        "cockpit:kommune_csv",
        "cockpit:bericht",
        "api:suche-list",
        "api:akte-list",
        "api:cockpit-verbund",
        "api:cockpit-kommune",
    }
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "csp",
    "django_htmx",
    "rules",
    "eakte.common",
    "eakte.kommunen",
    "eakte.konten",
    "eakte.start",
    "eakte.system",
    "eakte.protokoll",
    "eakte.akten",
    "eakte.ocr",
    "eakte.suche",  # search (issue 6)
    "eakte.posteingang",
    # sign-in through LDAP/AD or OpenID Connect per Kommune, TOTP (issue 20)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "eakte.identitaet",
    "eakte.aussonderung",  # Aussonderung, Löschung, DSGVO (issue 18)
    "eakte.eingang",  # Antragseingang der Plattformen (issue 19)
    "eakte.geschaeftsgang",  # Geschäftsgang, Postkorb, Vertretung (issue 17)
    "eakte.einsicht",  # Akteneinsicht (issue 21)
    "eakte.cockpit",  # Digitalisierungs-Cockpit (issue 21)
    "eakte.signatur",  # elektronische Signatur bei der Schlusszeichnung (issue 17)
    "eakte.betrieb",  # operations: file store moves, backup, restore (issue 22)
    "aktenplan",
    "schulung",
]

MIDDLEWARE = [
    "eakte.common.anfrage.AnfrageIdMiddleware",  # request id for logs and tasks (docs/betrieb.md)
    "eakte.betrieb.sonden.SondenMiddleware",  # /health/*, /metrics: before host check and HTTPS
    "eakte.betrieb.metriken.MetrikenMiddleware",  # request latency per view (Prometheus)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "eakte.common.lesereplik.LesereplikMiddleware",  # reads on the replica, if configured
    "eakte.common.mandantenbereich.MandantenbereichMiddleware",
    "eakte.common.middleware.KeinCacheFuerAngemeldeteMiddleware",
    "eakte.common.eingabe.NullzeichenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "eakte.identitaet.middleware.ZweiFaktorMiddleware",
]

ROOT_URLCONF = "eakte.urls"
WSGI_APPLICATION = "eakte.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "eakte.common.context_processors.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "kommunen.Benutzer"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "eakte.konten.backends.BenutzerBackend",
    "eakte.identitaet.verzeichnis.VerzeichnisBackend",  # name@kommune: the Kommune's LDAP/AD
    "eakte.identitaet.oidc.OidcBackend",  # the callback of a Kommune's OpenID Connect provider
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "konten:anmelden"
LOGIN_REDIRECT_URL = "start:startseite"
LOGOUT_REDIRECT_URL = "konten:anmelden"

# Brute-force protection: five failed attempts per user name and address lock for 30 minutes.
# Number of trusted reverse proxies in front of the web server (0: none). Behind them the
# client's address is read from X-Forwarded-For (eakte/common/akteur.py:client_adresse).
EAKTE_PROXY_ANZAHL = env.int("EAKTE_PROXY_ANZAHL", default=0)

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# One lock per account, whatever the spelling of the (case-insensitive) login name, and the same
# client address as the Protokoll records (behind trusted proxies: from X-Forwarded-For).
AXES_USERNAME_CALLABLE = "eakte.konten.sperre.axes_benutzername"
AXES_CLIENT_IP_CALLABLE = "eakte.common.akteur.client_adresse"
AXES_LOCKOUT_TEMPLATE = "konten/gesperrt.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Sign-in (issue 20): secrets of identity sources are encrypted with this Fernet key (default:
# derived from SECRET_KEY); a second factor for local admin accounts unless the Verbund's
# Anmelderichtlinie says otherwise.
EAKTE_GEHEIMNIS_SCHLUESSEL = env.str("EAKTE_GEHEIMNIS_SCHLUESSEL", default="")
EAKTE_ZWEI_FAKTOR_PFLICHT = env.bool("EAKTE_ZWEI_FAKTOR_PFLICHT", default=True)
OTP_TOTP_ISSUER = "eAkte"

# django-guardian: no anonymous user (every user belongs to a Kommune).
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Read always (also with DEBUG), so that a misspelt value stops every start.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", default=True)
# Stored files: a local folder (MEDIA_ROOT) or S3-compatible object storage (docs/betrieb.md).
# Both are described here, so that `manage.py dateien_umziehen` can move files between them.
SPEICHERARTEN = {
    "ordner": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(env.path("MEDIA_ROOT", default=VAR_DIR / "dateien"))},
    },
    "s3": {
        "BACKEND": "eakte.common.objektspeicher.Objektspeicher",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET", default=""),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("S3_PREFIX", default=""),
        },
    },
}
DATEISPEICHER = env.str("DATEISPEICHER", default="ordner")
if DATEISPEICHER not in SPEICHERARTEN:
    raise ImproperlyConfigured(
        f"DATEISPEICHER={DATEISPEICHER!r} ist unbekannt; erlaubt sind: " + ", ".join(SPEICHERARTEN)
    )
if DATEISPEICHER == "s3" and not SPEICHERARTEN["s3"]["OPTIONS"]["bucket_name"]:
    raise ImproperlyConfigured("DATEISPEICHER=s3 braucht S3_BUCKET (den Namen des Buckets).")
STORAGES = {
    # Dokumente are never served from a public URL: MEDIA_URL is deliberately not routed.
    "default": SPEICHERARTEN[DATEISPEICHER],
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or not STATIC_MANIFEST
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
MEDIA_URL = "/dateien-nicht-oeffentlich/"
# Stored files are written once and never changed: read-only for the service user.
FILE_UPLOAD_PERMISSIONS = 0o440
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# Uploads: the largest file accepted, and the content types (by libmagic, not by file name).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=200) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("UPLOAD_MAX_DATEIEN", default=50)
# The largest picture (width x height) accepted: an A4 page scanned at 600 dpi has 35 megapixels.
UPLOAD_BILD_MAX_PIXEL = env.int("UPLOAD_BILD_MAX_MEGAPIXEL", default=150) * 1_000_000
UPLOAD_ERLAUBTE_TYPEN = env.list(
    "UPLOAD_ERLAUBTE_TYPEN",
    default=[
        "application/pdf",
        "image/tiff",
        "image/jpeg",
        "image/png",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument",
        "application/vnd.oasis.opendocument",
        "text/rtf",
        "application/rtf",
        "text/plain",
        "text/csv",
        "text/html",
        "message/rfc822",
        "application/vnd.ms-outlook",
        # password-protected Office files (an OLE container, "CDFV2 Encrypted"): stored, and the
        # processing explains that it cannot read them
        "application/encrypted",
    ],
)

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
# Sessions in the database (default) or in Redis (several web hosts, less database load).
SITZUNGEN_SPEICHER = env.str("SITZUNGEN_SPEICHER", default="datenbank")
if SITZUNGEN_SPEICHER not in {"datenbank", "redis"}:
    raise ImproperlyConfigured("SITZUNGEN_SPEICHER muss „datenbank“ oder „redis“ sein.")
if SITZUNGEN_SPEICHER == "redis":
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _SSL_REDIRECT
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _HSTS_PRELOAD

# A strict policy: no inline scripts or styles anywhere, no third-party origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="eakte@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Feedback contact of the Barrierefreiheitserklärung (BITV 2.0 § 7): where people report barriers.
BARRIEREFREIHEIT_KONTAKT = env.str("BARRIEREFREIHEIT_KONTAKT", default=DEFAULT_FROM_EMAIL)
# The public address of the site, for links in e-mails sent without a request (Celery tasks).
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="eakte"),
    }
}

# Celery: JSON only, late acknowledgement so that a killed worker's job is delivered again.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_DEFAULT_QUEUE", default="default")
OCR_QUEUE = env.str("CELERY_OCR_QUEUE", default="ocr")
CELERY_TASK_ROUTES = {
    # the watchdog must not wait behind long OCR jobs
    "eakte.ocr.verwaiste_aufnehmen": {"queue": CELERY_TASK_DEFAULT_QUEUE},
    "eakte.ocr.*": {"queue": OCR_QUEUE},
}
# A job whose worker died unacknowledged is handed out again after this many seconds; it must be
# longer than the longest OCR time limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60 * 2),
    # How often a worker looks for such jobs: every interval x throttle seconds (kombu's
    # defaults 10 x 10); the worker-kill test shortens both to see the hand-over quickly.
    "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_RESTORE_THROTTLE", default=10),
}
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TIMEZONE = TIME_ZONE
# OCR: one Tesseract thread per worker child (concurrency = cores); time per document.
OCR_ZEITLIMIT_BASIS = env.int("OCR_ZEITLIMIT_BASIS", default=120)
OCR_ZEITLIMIT_JE_SEITE = env.int("OCR_ZEITLIMIT_JE_SEITE", default=60)
# A running job writes a sign of life every OCR_LEBENSZEICHEN seconds; one without any for
# OCR_VERWAIST_NACH seconds lost its worker and is requeued by the beat task
# eakte.ocr.verwaiste_aufnehmen (every minute), at most OCR_MAX_ABBRUECHE times in all.
OCR_LEBENSZEICHEN = env.int("OCR_LEBENSZEICHEN", default=20)
OCR_VERWAIST_NACH = env.int("OCR_VERWAIST_NACH", default=120)
OCR_MAX_ABBRUECHE = env.int("OCR_MAX_ABBRUECHE", default=3)
# Larger files are stored, but not recognised: a split batch is faster and safer to check.
OCR_MAX_SEITEN = env.int("OCR_MAX_SEITEN", default=500)
# Pixels of one page at the OCR resolution; larger pages fail at once with a German message
# instead of running into the time limit (Tesseract and the rendering hold the page in memory).
OCR_MAX_SEITENPIXEL = env.int("OCR_MAX_SEITENPIXEL", default=50_000_000)
# Office files, text and e-mails become PDF/A with LibreOffice (one soffice per conversion).
OFFICE_SOFFICE = env.str("OFFICE_SOFFICE", default="soffice")
OFFICE_ZEITLIMIT = env.int("OFFICE_ZEITLIMIT", default=180)  # seconds per conversion
# ZIP-based files (DOCX, XLSX, ODT, …) are checked before conversion: unpacked size and ratio.
OFFICE_MAX_ENTPACKT_MB = env.int("OFFICE_MAX_ENTPACKT_MB", default=500)
OFFICE_MAX_KOMPRESSION = env.int("OFFICE_MAX_KOMPRESSION", default=100)
# E-mails: attachments taken as Dokumente per message, and how deep attached mails are unpacked.
MAIL_MAX_ANLAGEN = env.int("MAIL_MAX_ANLAGEN", default=100)
MAIL_MAX_TIEFE = env.int("MAIL_MAX_TIEFE", default=3)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_MAX_TASKS_PER_CHILD", default=200)
CELERY_BEAT_SCHEDULE = {
    "system-heartbeat": {"task": "eakte.system.heartbeat", "schedule": 60.0},
    # jobs whose worker is gone are taken up again (see OCR_VERWAIST_NACH)
    "ocr-verwaiste-aufnehmen": {
        "task": "eakte.ocr.verwaiste_aufnehmen",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "wiedervorlagen-melden": {
        "task": "eakte.akten.wiedervorlagen_melden",
        "schedule": crontab(hour=6, minute=30),
    },
    "schulungstermine-erinnern": {
        "task": "schulung.termine_erinnern",
        "schedule": crontab(hour=7, minute=0),
    },
    "verzeichnisse-abgleichen": {
        "task": "eakte.identitaet.verzeichnisse_abgleichen",
        # not between 2 and 3 o'clock: that hour is skipped in March and runs twice in October
        "schedule": crontab(hour=3, minute=15),
    },
    # E-mail intake: poll the functional mailboxes (issue 19)
    "postfaecher-abrufen": {
        "task": "eakte.eingang.postfaecher_abrufen",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # FIT-Connect: fetch the submissions of the Zustellpunkte (issue 19)
    "zustellpunkte-abholen": {
        "task": "eakte.eingang.zustellpunkte_abholen",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Geschäftsgang: the daily summary of new Postkorb items (issue 17)
    "postkorb-zusammenfassung": {
        "task": "geschaeftsgang.postkorb_zusammenfassen",
        "schedule": crontab(hour=6, minute=45),
    },
    # Cockpit (issue 21): yesterday's and today's roll-ups, idempotent
    "cockpit-verdichten": {
        "task": "eakte.cockpit.verdichten",
        "schedule": crontab(minute=15),
    },
    # OCR jobs whose message never reached Redis (broker down at upload): sent again.
    "ocr-liegengebliebene-einreihen": {
        "task": "eakte.ocr.liegengebliebene_einreihen",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    # Posteingang: pick up scanned files from the intake folders (expires: no pile-up).
    "posteingang-abholen": {
        "task": "eakte.posteingang.abholen",
        "schedule": 30.0,
        "options": {"expires": 25},
    },
}
CELERY_BEAT_SCHEDULE["aussonderung-erinnern"] = {
    "task": "eakte.aussonderung.erinnern",
    "schedule": crontab(day_of_month=1, hour=7, minute=15),
}

CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Beat exactly once: only the beat holding a Redis lock sends (eakte/common/beat.py); a second
# beat on another host waits and takes over within BEAT_SPERRE_SEKUNDEN if the first dies.
CELERY_BEAT_SCHEDULER = "eakte.common.beat:EinmalScheduler"
BEAT_SPERRE_SEKUNDEN = env.float("BEAT_SPERRE_SEKUNDEN", default=30.0)

# Prometheus metrics at /metrics with "Authorization: Bearer <token>"; unset: no endpoint (404).
METRIKEN_TOKEN = env.str("METRIKEN_TOKEN", default="")
# Backups (manage.py sicherung / sicherung_probe), docs/betrieb.md
SICHERUNG_ORDNER = env.path("SICHERUNG_ORDNER", default=VAR_DIR / "sicherungen")

# --- Akteneinsicht (issue 21) ---
# Rasterised (redacted) pages of a released copy get a new text layer by OCR (searchable, without
# the redacted words); off: those pages are pictures only.
EINSICHT_NEU_ERKENNEN = env.bool("EINSICHT_NEU_ERKENNEN", default=True)

# --- Posteingang (scan stations) ---
# One subfolder per Kommune slug: <POSTEINGANG_ORDNER>/<slug>/. A file is picked up when its last
# change is at least POSTEINGANG_RUHEZEIT seconds old and its size and mtime did not change
# across two looks POSTEINGANG_PRUEFPAUSE seconds apart.
POSTEINGANG_ORDNER = env.path("POSTEINGANG_ORDNER", default=VAR_DIR / "eingang")
POSTEINGANG_RUHEZEIT = env.float("POSTEINGANG_RUHEZEIT", default=10.0)
POSTEINGANG_PRUEFPAUSE = env.float("POSTEINGANG_PRUEFPAUSE", default=2.0)

# --- Antragseingang (issue 19, docs/eingang.md) ---
# Key for the platform secrets (Fernet, derived by HKDF); defaults to SECRET_KEY.
EINGANG_SCHLUESSEL = env.str("EINGANG_SCHLUESSEL", default="")
EINGANG_ZEITFENSTER = env.int("EINGANG_ZEITFENSTER", default=300)  # seconds, replay window
EINGANG_MAX_BYTES = env.int("EINGANG_MAX_MB", default=300) * 1024 * 1024  # one request
EINGANG_MAX_ANLAGE_BYTES = env.int("EINGANG_MAX_ANLAGE_MB", default=50) * 1024 * 1024
EINGANG_MAX_ANLAGEN = env.int("EINGANG_MAX_ANLAGEN", default=50)
EINGANG_WEBHOOK_BASIS = env.float("EINGANG_WEBHOOK_BASIS", default=30.0)  # first retry, seconds
EINGANG_WEBHOOK_VERSUCHE = env.int("EINGANG_WEBHOOK_VERSUCHE", default=8)
EINGANG_WEBHOOK_TIMEOUT = env.float("EINGANG_WEBHOOK_TIMEOUT", default=15.0)
# E-mail intake: functional mailboxes over IMAP+TLS; CA file for a private CA (empty: system CAs)
EINGANG_MAIL_MAX_BYTES = env.int("EINGANG_MAIL_MAX_MB", default=25) * 1024 * 1024
EINGANG_IMAP_CA_DATEI = env.str("EINGANG_IMAP_CA_DATEI", default="")

# API rate limits per person (browser session) and per API key, e.g. "600/min" (s, min, h, day).
# Generous by default: normal work and the test suite never reach them.
_DROSSEL = re.compile(r"^\d+/(s|sec|m|min|h|hour|d|day)$")


def _drossel(name: str, standard: str) -> str:
    wert = env.str(name, default=standard).strip()
    if not _DROSSEL.match(wert):
        raise ImproperlyConfigured(
            f"Die Umgebungsvariable {name} hat den Wert {wert!r}, erwartet wird eine Rate wie "
            "„600/min“ (Anzahl/s, /min, /h oder /day)."
        )
    return wert


API_DROSSEL_PERSON = _drossel("API_DROSSEL_PERSON", "600/min")
API_DROSSEL_SCHLUESSEL = _drossel("API_DROSSEL_SCHLUESSEL", "600/min")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a failed token answers 401 with WWW-Authenticate, as API clients expect.
        "eakte.konten.authentifizierung.ApiSchluesselAuthentifizierung",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # A JSON body must be an object, not too deep, no value may hold NUL (common/eingabe.py).
    "DEFAULT_PARSER_CLASSES": [
        "eakte.common.eingabe.JsonObjektParser",
        "eakte.common.eingabe.FormularParser",
        "eakte.common.eingabe.MultipartParser",
    ],
    "EXCEPTION_HANDLER": "eakte.common.eingabe.ausnahme_behandeln",
    "DEFAULT_THROTTLE_CLASSES": [
        "eakte.common.drosseln.PersonDrossel",
        "eakte.common.drosseln.SchluesselDrossel",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "eAkte IKZ – API",
    "DESCRIPTION": "Schnittstelle der gemeinsamen E-Akte der interkommunalen Zusammenarbeit.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "DokumentartEnum": "schulung.models.Dokumentart",
        "AenderungsartEnum": "aktenplan.models.Aenderungsart",
        "DokumenttypEnum": "eakte.akten.models.Dokumenttyp",
        "VertraulichkeitEnum": "eakte.akten.models.Vertraulichkeit",
        "RolleEnum": "eakte.kommunen.rollen.Rolle",
        "EmpfaengerartEnum": "eakte.geschaeftsgang.models.Empfaengerart",
        "AntragsstatusEnum": "eakte.eingang.models.Antragsstatus",
    },
}

# LOG_FORMAT=json: one JSON object per line (for a log collector); every line carries the
# request id (eakte/common/anfrage.py), also in the Celery tasks a request sent.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"anfrage_id": {"()": "eakte.common.anfrage.AnfrageIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "eakte.common.anfrage.JsonFormat"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["anfrage_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Demo data may only be loaded on development machines unless forced.
DEMO_PASSWORT = "Demo-Passwort-2026"

# --- Aussonderung (issue 18) ---
# The official xdomea schemas (<dir>/3.0.0/xdomea.xsd, <dir>/xoev/); beside the checkout by default.
XDOMEA_SCHEMA_DIR = env.path("XDOMEA_SCHEMA_DIR", default=BASE_DIR.parent / "shared" / "xdomea")
# Four eyes for deletion runs: the roles that may propose and approve (two different people).
LOESCHUNG_VORSCHLAGEN_ROLLEN = env.list("LOESCHUNG_VORSCHLAGEN_ROLLEN", default=["Kommunen-Admin"])
LOESCHUNG_GENEHMIGEN_ROLLEN = env.list(
    "LOESCHUNG_GENEHMIGEN_ROLLEN", default=["Kommunen-Admin", "Datenschutz"]
)
