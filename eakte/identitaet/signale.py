"""Receivers: a directory that cannot be asked is told to the login form (German message),
failed sign-ins go into the Protokoll of the Kommune the login name belongs to."""

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django_auth_ldap.backend import ldap_error

from eakte.common.akteur import client_adresse
from eakte.common.mandantenbereich import systembereich

from . import services
from .verzeichnis import _fehlertext


@receiver(ldap_error, dispatch_uid="identitaet.verzeichnisfehler")
def verzeichnisfehler(sender, context, user=None, request=None, exception=None, **kwargs):
    if request is not None:
        request.eakte_verzeichnisfehler = _fehlertext(exception)


@receiver(user_login_failed, dispatch_uid="identitaet.anmeldung_fehlgeschlagen")
def anmeldung_fehlgeschlagen(sender, credentials, request=None, **kwargs):
    from eakte.kommunen.models import Benutzer

    name = (credentials or {}).get("username") or ""
    if not name:
        return
    quelle = getattr(request, "eakte_anmeldequelle", None)
    if quelle is not None:
        kommune_id, art = quelle
    else:
        with systembereich("Anmeldung fehlgeschlagen"):
            kommune_id = (
                Benutzer.objects.filter(username__iexact=name)
                .values_list("kommune_id", flat=True)
                .first()
            )
        art = "lokal"
    if kommune_id is None:
        return  # a name nobody has: there is no Kommune to write it to
    with systembereich("Anmeldung fehlgeschlagen"):
        services.anmeldung_protokollieren(
            kommune_id=kommune_id,
            benutzername=name,
            quelle=art,
            erfolg=False,
            grund=getattr(request, "eakte_verzeichnisfehler", "") or "abgelehnt",
            ip=client_adresse(request),
        )
