from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from eakte.common.akteur import Akteur, Anmeldeart, client_adresse

from .models import Aktion
from .services import protokollieren


def _akteur(request, user) -> Akteur:
    # Signing in and out happens in the browser session, from the client's real address.
    return Akteur(benutzer=user, art=Anmeldeart.SITZUNG, ip=client_adresse(request))


@receiver(user_logged_in, dispatch_uid="protokoll.angemeldet")
def angemeldet(sender, request, user, **kwargs):
    protokollieren(
        kommune_id=user.kommune_id,
        akteur=_akteur(request, user),
        aktion=Aktion.ANGEMELDET,
        beschreibung=f"Anmeldung ({_quelle(user)})",
        details={"quelle": _quelle(user)},
    )


def _quelle(user) -> str:
    """Where the person signed in: the name of the backend that let them in."""
    backend = getattr(user, "backend", "") or ""
    if "Verzeichnis" in backend:
        return "ldap"
    if "Oidc" in backend:
        return "oidc"
    return "lokal"


@receiver(user_logged_out, dispatch_uid="protokoll.abgemeldet")
def abgemeldet(sender, request, user, **kwargs):
    if user is None:  # the session had already expired
        return
    protokollieren(
        kommune_id=user.kommune_id,
        akteur=_akteur(request, user),
        aktion=Aktion.ABGEMELDET,
        beschreibung="Abmeldung",
    )
