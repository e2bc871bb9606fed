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
        beschreibung="Anmeldung",
    )


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
