"""Secrets of an identity source (bind password, client secret) are stored encrypted.

The key is `EAKTE_GEHEIMNIS_SCHLUESSEL` (a Fernet key) or, if unset, derived from SECRET_KEY.
Plain text exists only in memory while a connection is made; it is never shown or logged.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    schluessel = getattr(settings, "EAKTE_GEHEIMNIS_SCHLUESSEL", "")
    if not schluessel:
        roh = hashlib.sha256(("eakte-identitaet:" + settings.SECRET_KEY).encode()).digest()
        schluessel = base64.urlsafe_b64encode(roh).decode()
    return Fernet(schluessel)


def verschluesseln(klartext: str) -> str:
    return _fernet().encrypt(klartext.encode()).decode() if klartext else ""


def entschluesseln(geheim: str) -> str:
    if not geheim:
        return ""
    try:
        return _fernet().decrypt(geheim.encode()).decode()
    except InvalidToken:
        # the key changed: the administrator must enter the secret again
        return ""
