"""A small second Django project: a real OpenID Connect provider (django-oauth-toolkit) that
the sign-in tests run on a free port, like a Kommune's Keycloak. Configured by environment
variables set by tests/oidc_anbieter/start.py."""

import os
from pathlib import Path

HIER = Path(__file__).resolve().parent
SECRET_KEY = "nur-fuer-den-test-anbieter-" + "y" * 30
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "tests.oidc_anbieter.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HIER / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ["ANBIETER_DATENBANK"],
        "HOST": os.environ.get("ANBIETER_DB_HOST", ""),
        "PORT": os.environ.get("ANBIETER_DB_PORT", ""),
        "USER": os.environ.get("ANBIETER_DB_BENUTZER", ""),
        "PASSWORD": os.environ.get("ANBIETER_DB_PASSWORT", ""),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "/anmelden/"
USE_TZ = True
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": Path(os.environ["ANBIETER_SCHLUESSEL"]).read_text(),
    "OIDC_ISS_ENDPOINT": os.environ["ANBIETER_ISSUER"],
    "ID_TOKEN_EXPIRE_SECONDS": int(os.environ.get("ANBIETER_ABLAUF", "300")),
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_anbieter.validator.Validator",
    "SCOPES": {"openid": "OpenID Connect", "profile": "Profil", "email": "E-Mail"},
    "PKCE_REQUIRED": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http"],
}
