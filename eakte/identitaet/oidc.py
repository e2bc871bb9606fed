"""OpenID Connect per Kommune with mozilla-django-oidc.

mozilla-django-oidc reads one provider from settings; its views and backend ask every value
through `get_settings`, so here that method answers from the Kommune's source: the start view
takes the Kommune from the URL and remembers it in the session beside state and nonce, the
callback and backend read it from there. The provider's endpoints come from its discovery
document (cached). State and nonce are checked by the library; the ID token's signature
(JWKS, RS256), issuer, audience and expiry here.
"""

import logging

import jwt
import requests
from django.contrib import auth, messages
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from eakte.common.akteur import Akteur, client_adresse
from eakte.common.mandantenbereich import systembereich
from eakte.konten.backends import BenutzerBackend

from . import services
from .geheimnis import entschluesseln
from .models import Identitaetsquelle, Quellenart

logger = logging.getLogger("eakte.identitaet")

SITZUNG_KOMMUNE = "eakte_oidc_kommune"
ZEITLIMIT = 10


class Anbieterfehler(Exception):
    """The provider could not be asked or answered something unusable."""


def oidc_quelle(slug: str | None) -> Identitaetsquelle | None:
    if not slug:
        return None
    with systembereich("Anmeldung: OpenID-Connect-Anbieter finden"):
        return (
            Identitaetsquelle.objects.select_related("kommune")
            .filter(kommune__slug=slug, kommune__aktiv=True, art=Quellenart.OIDC)
            .first()
        )


def entdeckung(issuer: str) -> dict:
    """The provider's discovery document (/.well-known/openid-configuration), cached 10 min."""
    adresse = issuer.rstrip("/") + "/.well-known/openid-configuration"
    schluessel = "eakte-oidc-entdeckung:" + adresse
    dokument = cache.get(schluessel)
    if dokument is None:
        try:
            antwort = requests.get(adresse, timeout=ZEITLIMIT)
            antwort.raise_for_status()
            dokument = antwort.json()
        except (requests.RequestException, ValueError) as fehler:
            raise Anbieterfehler("Der Anmeldedienst ist nicht erreichbar.") from fehler
        cache.set(schluessel, dokument, 600)
    return dokument


def einstellungen(quelle: Identitaetsquelle) -> dict:
    dokument = entdeckung(quelle.oidc_issuer)
    return {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": dokument["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": dokument["token_endpoint"],
        "OIDC_OP_USER_ENDPOINT": dokument["userinfo_endpoint"],
        "OIDC_OP_JWKS_ENDPOINT": dokument["jwks_uri"],
        "OIDC_ISSUER": dokument.get("issuer", quelle.oidc_issuer),
        "OIDC_RP_CLIENT_ID": quelle.oidc_client_id,
        "OIDC_RP_CLIENT_SECRET": entschluesseln(quelle.oidc_client_geheimnis),
        "OIDC_RP_SIGN_ALGO": "RS256",
        "OIDC_RP_SCOPES": quelle.oidc_scopes,
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": True,
        "OIDC_TIMEOUT": ZEITLIMIT,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "identitaet:oidc_rueckkehr",
        "OIDC_CREATE_USER": True,
        "LOGIN_REDIRECT_URL": "/",
        "LOGIN_REDIRECT_URL_FAILURE": "/anmelden/",
    }


class _ProKommune:
    """get_settings from the Kommune's source (None where the library asks before it is known)."""

    _oidc: dict | None = None

    def get_settings(self, attr, *args):
        if self._oidc and attr in self._oidc:
            return self._oidc[attr]
        return args[0] if args else None


class AnmeldungStarten(_ProKommune, OIDCAuthenticationRequestView):
    def get(self, request, slug):
        quelle = oidc_quelle(slug)
        if quelle is None:
            raise Http404("Für diese Kommune gibt es keine Anmeldung über OpenID Connect.")
        try:
            self._oidc = einstellungen(quelle)
        except Anbieterfehler as fehler:
            messages.error(request, f"{fehler} Bitte versuchen Sie es später noch einmal.")
            return HttpResponseRedirect(reverse("konten:anmelden"))
        self.OIDC_OP_AUTH_ENDPOINT = self._oidc["OIDC_OP_AUTHORIZATION_ENDPOINT"]
        self.OIDC_RP_CLIENT_ID = self._oidc["OIDC_RP_CLIENT_ID"]
        request.session[SITZUNG_KOMMUNE] = quelle.kommune.slug
        return super().get(request)


class AnmeldungRueckkehr(_ProKommune, OIDCAuthenticationCallbackView):
    """The provider sends the person back here with code and state."""

    def get(self, request):
        quelle = oidc_quelle(request.session.get(SITZUNG_KOMMUNE))
        if quelle is None:
            messages.error(request, "Die Anmeldung ist abgelaufen. Bitte beginnen Sie neu.")
            return HttpResponseRedirect(reverse("konten:anmelden"))
        try:
            self._oidc = einstellungen(quelle)
            return super().get(request)
        except (
            SuspiciousOperation,
            Anbieterfehler,
            ValidationError,
            requests.RequestException,
        ) as fehler:
            grund = _grund(fehler)
            logger.warning("OIDC-Anmeldung für %s abgelehnt: %s", quelle.kommune.slug, grund)
            services.anmeldung_protokollieren(
                kommune_id=quelle.kommune_id,
                benutzername="(OpenID Connect)",
                quelle="oidc",
                erfolg=False,
                grund=grund,
                ip=client_adresse(request),
            )
            if request.user.is_authenticated:
                auth.logout(request)
            messages.error(request, f"Die Anmeldung ist fehlgeschlagen: {grund}")
            return HttpResponseRedirect(reverse("konten:anmelden"))

    def login_failure(self):
        messages.error(self.request, "Die Anmeldung beim Anmeldedienst ist fehlgeschlagen.")
        return HttpResponseRedirect(reverse("konten:anmelden"))

    @property
    def success_url(self):
        from .views import ziel_nach_anmeldung

        return ziel_nach_anmeldung(self.request, super().success_url)


def _grund(fehler: Exception) -> str:
    text = str(fehler)
    if "state" in text.lower():
        return "Die Sitzung passt nicht zur Antwort des Anmeldedienstes (state)."
    if "nonce" in text.lower():
        return "Die Antwort des Anmeldedienstes gehört nicht zu dieser Anmeldung (nonce)."
    if "abgelaufen" in text:
        return "Das Anmeldetoken ist abgelaufen."
    if isinstance(fehler, Anbieterfehler | requests.RequestException):
        return "Der Anmeldedienst ist nicht erreichbar."
    return "Das Anmeldetoken ist ungültig."


class OidcBackend(_ProKommune, OIDCAuthenticationBackend):
    """Authentication backend for the callback: one provider per Kommune."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.OIDC_RP_SIGN_ALGO = "RS256"

    def authenticate(self, request, **kwargs):
        if request is None or "code" not in request.GET or "nonce" not in kwargs:
            return None
        quelle = oidc_quelle(request.session.get(SITZUNG_KOMMUNE))
        if quelle is None:
            return None
        self.quelle = quelle
        self._oidc = einstellungen(quelle)
        for name in (
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
            "OIDC_RP_CLIENT_ID",
            "OIDC_RP_CLIENT_SECRET",
        ):
            setattr(self, name, self._oidc[name])
        request.eakte_anmeldequelle = (quelle.kommune_id, "oidc")
        with systembereich("Anmeldung über OpenID Connect"):
            return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=["RS256"],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self._oidc["OIDC_ISSUER"],
                options={"require": ["exp", "iat", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise SuspiciousOperation("Token abgelaufen") from None
        except jwt.InvalidTokenError as fehler:
            raise SuspiciousOperation(f"Token ungültig: {type(fehler).__name__}") from None

    def _daten(self, claims: dict) -> services.Kontodaten:
        quelle = self.quelle
        gruppen = claims.get(quelle.oidc_claim_gruppen) or []
        if isinstance(gruppen, str):
            gruppen = [gruppen]
        oe = claims.get(quelle.oidc_claim_oe) if quelle.oidc_claim_oe else ""
        name = claims.get(quelle.oidc_claim_benutzername) or claims["sub"]
        return services.Kontodaten(
            extern_id=str(claims["sub"]),
            benutzername=str(name),
            vorname=str(claims.get("given_name", "")),
            nachname=str(claims.get("family_name", "")),
            email=str(claims.get("email", "")),
            gruppen=frozenset(str(g) for g in gruppen),
            oe_kuerzel=frozenset({str(oe)}) if oe else frozenset(),
        )

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if str(claims.get("sub")) != str(payload.get("sub")):
            raise SuspiciousOperation("Token ungültig: sub passt nicht")
        claims = {**payload, **claims}
        return services.konto_abgleichen(
            akteur=Akteur.system("Anmeldung über OpenID Connect"),
            kommune=self.quelle.kommune,
            art=Quellenart.OIDC,
            daten=self._daten(claims),
        )

    def get_user(self, user_id):
        return BenutzerBackend().get_user(user_id)
