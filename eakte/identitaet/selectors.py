"""Reads of the identity app."""

from eakte.common.regeln import darf
from eakte.kommunen.models import Benutzer, Kommune
from eakte.kommunen.rollen import Rolle

from .models import Gruppenzuordnung, Kontoherkunft, Quellenart


def oidc_kommunen():
    """The Kommunen whose people sign in through OpenID Connect (their names are public)."""
    return Kommune.objects.filter(aktiv=True, identitaetsquelle__art=Quellenart.OIDC).order_by(
        "name"
    )


def zuordnungen_fuer(user, kommune: Kommune):
    if not darf(user, "identitaet.quelle_verwalten", kommune):
        return Gruppenzuordnung.objects.none()
    return Gruppenzuordnung.objects.filter(kommune=kommune).select_related("organisationseinheit")


def notfallzugaenge_fuer(user, kommune: Kommune):
    """Local accounts of a Kommune (in a Kommune with a directory: the break-glass accounts)."""
    if not darf(user, "identitaet.quelle_verwalten", kommune):
        return Benutzer.objects.none()
    herkunft = Kontoherkunft.objects.filter(kommune=kommune).values("benutzer_id")
    return Benutzer.objects.filter(kommune=kommune, is_active=True).exclude(pk__in=herkunft)


def ansprechpersonen(benutzer: Benutzer):
    """Whom a person without a role asks: the Kommunen-Admins of their Kommune."""
    return Benutzer.objects.filter(
        kommune_id=benutzer.kommune_id, is_active=True, groups__name=Rolle.KOMMUNEN_ADMIN.value
    ).order_by("last_name", "first_name")
