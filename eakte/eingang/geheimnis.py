"""The platform secrets and the request signatures.

Why encrypted and not hashed: the platform signs each request with HMAC-SHA256 keyed by its
secret, and we must compute the same HMAC to check it; a one-way hash of the secret cannot do
that. So the secret is stored encrypted (Fernet: AES-128-CBC + HMAC) with a key derived (HKDF)
from `EINGANG_SCHLUESSEL` (defaults to SECRET_KEY). A database dump alone does not reveal it; it
is shown once, when the platform is registered (docs/eingang.md).

Signature of a request: header `X-Eingang-Signatur: v1=<hex>` with
HMAC-SHA256(secret, "<timestamp>.<nonce>.<METHOD>.<path>.".encode() + body);
`X-Eingang-Zeitstempel` is the Unix time in seconds and must lie within EINGANG_ZEITFENSTER
seconds of ours; `X-Eingang-Nonce` (16–128 characters, fresh for every request) seen twice within
the window is a replay.
The webhooks we send are signed the same way (path: the receiver's path).
"""

import base64
import hashlib
import hmac
import secrets
import time

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.cache import cache

VERSION = "v1"


def _fernet() -> Fernet:
    roh = getattr(settings, "EINGANG_SCHLUESSEL", "") or settings.SECRET_KEY
    schluessel = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"eakte-eingang", info=b"plattform-geheimnis"
    ).derive(roh.encode())
    return Fernet(base64.urlsafe_b64encode(schluessel))


def neues_geheimnis() -> str:
    return secrets.token_urlsafe(32)


def verschluesseln(geheimnis: str) -> str:
    return _fernet().encrypt(geheimnis.encode()).decode()


def entschluesseln(verschluesselt: str) -> str:
    try:
        return _fernet().decrypt(verschluesselt.encode()).decode()
    except InvalidToken as fehler:
        raise RuntimeError(
            "Das Geheimnis der Plattform lässt sich nicht entschlüsseln (EINGANG_SCHLUESSEL "
            "geändert?)."
        ) from fehler


def signieren(
    geheimnis: str, *, zeitstempel: str, nonce: str, methode: str, pfad: str, body: bytes
) -> str:
    nachricht = f"{zeitstempel}.{nonce}.{methode.upper()}.{pfad}.".encode() + body
    return f"{VERSION}=" + hmac.new(geheimnis.encode(), nachricht, hashlib.sha256).hexdigest()


def kopfzeilen(geheimnis: str, *, methode: str, pfad: str, body: bytes) -> dict[str, str]:
    """The headers a signed request carries (used by our webhooks and by test clients)."""
    zeitstempel, nonce = str(int(time.time())), secrets.token_urlsafe(18)
    return {
        "X-Eingang-Zeitstempel": zeitstempel,
        "X-Eingang-Nonce": nonce,
        "X-Eingang-Signatur": signieren(
            geheimnis, zeitstempel=zeitstempel, nonce=nonce, methode=methode, pfad=pfad, body=body
        ),
    }


class Signaturfehler(Exception):
    """A German reason why a request's signature is not accepted."""


def pruefen(
    geheimnis: str, *, kennung: str, zeitstempel: str, nonce: str, signatur: str, methode: str,
    pfad: str, body: bytes,
) -> None:  # fmt: skip
    fenster = settings.EINGANG_ZEITFENSTER
    try:
        zeit = int(zeitstempel)
    except (TypeError, ValueError) as fehler:
        raise Signaturfehler(
            "Der Zeitstempel (X-Eingang-Zeitstempel) fehlt oder ist keine Unix-Zeit in Sekunden."
        ) from fehler
    if abs(time.time() - zeit) > fenster:
        raise Signaturfehler(
            f"Der Zeitstempel liegt mehr als {fenster} Sekunden von unserer Uhrzeit entfernt; "
            "die Anfrage wird als Wiederholung abgelehnt. Bitte neu signieren."
        )
    if not 16 <= len(nonce or "") <= 128 or not nonce.isascii():
        raise Signaturfehler(
            "Die Nonce (X-Eingang-Nonce) fehlt; sie muss 16 bis 128 ASCII-Zeichen lang und für "
            "jede Anfrage neu sein."
        )
    erwartet = signieren(
        geheimnis, zeitstempel=zeitstempel, nonce=nonce, methode=methode, pfad=pfad, body=body
    )
    if not hmac.compare_digest(erwartet.encode(), (signatur or "").encode()):
        raise Signaturfehler(
            "Die Signatur (X-Eingang-Signatur) stimmt nicht: erwartet wird "
            "v1=HMAC-SHA256(Geheimnis, Zeitstempel.Nonce.METHODE.Pfad. + Body) als Hex."
        )
    # a nonce is accepted once in the window (the timestamp check covers the time after it)
    if not cache.add(f"eingang:nonce:{kennung}:{nonce}", 1, timeout=2 * fenster + 5):
        raise Signaturfehler(
            "Diese signierte Anfrage wurde bereits empfangen (Wiederholung). Eine erneute "
            "Zustellung braucht einen neuen Zeitstempel und eine neue Signatur; derselbe Antrag "
            "wird dabei nicht doppelt angelegt."
        )
