"""API authentication: `Authorization: Token <key>` as DRF's TokenAuthentication expects it,
checked against the stored hash of the key (konten.models.ApiSchluessel)."""

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from . import services


class ApiSchluesselAuthentifizierung(TokenAuthentication):
    def authenticate_credentials(self, key):
        eintrag = services.api_schluessel_pruefen(key)
        if eintrag is None:
            raise AuthenticationFailed("Ungültiger API-Schlüssel.")
        if not eintrag.benutzer.is_active:
            raise AuthenticationFailed("Dieses Benutzerkonto ist deaktiviert.")
        return (eintrag.benutzer, eintrag)
