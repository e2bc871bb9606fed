from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from .models import Aktion
from .services import ip_aus_anfrage, protokollieren


@receiver(user_logged_in, dispatch_uid="protokoll.angemeldet")
def angemeldet(sender, request, user, **kwargs):
    protokollieren(
        kommune_id=user.kommune_id,
        benutzer=user,
        aktion=Aktion.ANGEMELDET,
        beschreibung="Anmeldung",
        ip=ip_aus_anfrage(request),
    )


@receiver(user_logged_out, dispatch_uid="protokoll.abgemeldet")
def abgemeldet(sender, request, user, **kwargs):
    if user is None:  # the session had already expired
        return
    protokollieren(
        kommune_id=user.kommune_id,
        benutzer=user,
        aktion=Aktion.ABGEMELDET,
        beschreibung="Abmeldung",
        ip=ip_aus_anfrage(request),
    )
