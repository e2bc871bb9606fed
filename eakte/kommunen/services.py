"""Writes for the tenancy: Verbund, Kommune, OE, Benutzer. Each runs in one transaction."""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .models import AKTENZEICHEN_MUSTER_STANDARD, Benutzer, Kommune, Organisationseinheit, Verbund
from .rollen import Rolle


def verbund_create(*, name: str, slug: str) -> Verbund:
    verbund = Verbund(name=name, slug=slug)
    verbund.full_clean()
    verbund.save()
    return verbund


@transaction.atomic
def kommune_create(
    *,
    verbund: Verbund,
    name: str,
    slug: str,
    ags: str,
    aktenzeichen_praefix: str,
    aktenzeichen_muster: str = AKTENZEICHEN_MUSTER_STANDARD,
) -> Kommune:
    kommune = Kommune(
        verbund=verbund,
        name=name,
        slug=slug,
        ags=ags,
        aktenzeichen_praefix=aktenzeichen_praefix,
        aktenzeichen_muster=aktenzeichen_muster,
    )
    kommune.full_clean()
    kommune.save()
    return kommune


@transaction.atomic
def organisationseinheit_create(
    *,
    kommune: Kommune,
    name: str,
    kuerzel: str,
    parent: Organisationseinheit | None = None,
) -> Organisationseinheit:
    if parent is not None and parent.kommune_id != kommune.pk:
        raise ValidationError(
            {"parent": "Die übergeordnete Einheit gehört zu einer anderen Kommune."}
        )
    oe = Organisationseinheit(kommune=kommune, name=name, kuerzel=kuerzel, parent=parent)
    oe.full_clean()
    oe.save()
    return oe


@transaction.atomic
def benutzer_create(
    *,
    kommune: Kommune,
    username: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
    rollen: Iterable[Rolle] = (),
    organisationseinheiten: Iterable[Organisationseinheit] = (),
) -> Benutzer:
    if Benutzer.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "Dieser Benutzername ist schon vergeben."})
    benutzer = Benutzer(
        kommune=kommune,
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
    )
    if password:
        benutzer.set_password(password)
    else:
        benutzer.set_unusable_password()
    benutzer.full_clean(exclude=["password"])
    benutzer.save()
    benutzer_rollen_update(benutzer=benutzer, rollen=rollen)
    benutzer_oes_update(benutzer=benutzer, organisationseinheiten=organisationseinheiten)
    return benutzer


@transaction.atomic
def benutzer_rollen_update(*, benutzer: Benutzer, rollen: Iterable[Rolle]) -> None:
    names = [Rolle(rolle).value for rolle in rollen]
    benutzer.groups.set(Group.objects.filter(name__in=names))
    benutzer.__dict__.pop("_rollen", None)


@transaction.atomic
def benutzer_oes_update(
    *, benutzer: Benutzer, organisationseinheiten: Iterable[Organisationseinheit]
) -> None:
    einheiten = list(organisationseinheiten)
    if any(oe.kommune_id != benutzer.kommune_id for oe in einheiten):
        raise ValidationError(
            {"organisationseinheiten": "Eine Organisationseinheit gehört zu einer anderen Kommune."}
        )
    benutzer.organisationseinheiten.set(einheiten)


def _pruefe_verwaltungsrecht(akteur: Benutzer | None, kommune: Kommune) -> None:
    from .selectors import darf_benutzer_verwalten

    if akteur is not None and not darf_benutzer_verwalten(akteur, kommune):
        raise PermissionDenied("Nur Kommunen-Admins verwalten die Benutzer ihrer Kommune.")


def _pruefe_rollen(akteur: Benutzer | None, rollen: Iterable[Rolle]) -> None:
    from .selectors import vergebbare_rollen

    if akteur is not None and not set(rollen) <= set(vergebbare_rollen(akteur)):
        raise ValidationError({"rollen": "Die Rolle Verbund-Admin vergibt nur ein Verbund-Admin."})


@transaction.atomic
def benutzer_anlegen_durch(
    *, akteur: Benutzer | None, kommune: Kommune, rollen: Iterable[Rolle] = (), **daten
) -> Benutzer:
    """benutzer_create with the administrator's rights checked (the browser and API path)."""
    rollen = list(rollen)
    _pruefe_verwaltungsrecht(akteur, kommune)
    _pruefe_rollen(akteur, rollen)
    return benutzer_create(kommune=kommune, rollen=rollen, **daten)


@transaction.atomic
def benutzer_update(
    *,
    akteur: Benutzer | None,
    benutzer: Benutzer,
    first_name: str,
    last_name: str,
    email: str,
    rollen: Iterable[Rolle],
    organisationseinheiten: Iterable[Organisationseinheit],
) -> Benutzer:
    rollen = list(rollen)
    _pruefe_verwaltungsrecht(akteur, benutzer.kommune)
    _pruefe_rollen(akteur, rollen)
    if akteur is not None and akteur.pk == benutzer.pk and not set(akteur.rollen) <= set(rollen):
        raise ValidationError({"rollen": "Ihre eigenen Rollen können Sie nicht entziehen."})
    benutzer.first_name, benutzer.last_name, benutzer.email = first_name, last_name, email
    benutzer.full_clean(exclude=["password"])
    benutzer.save()
    benutzer_rollen_update(benutzer=benutzer, rollen=rollen)
    benutzer_oes_update(benutzer=benutzer, organisationseinheiten=organisationseinheiten)
    return benutzer


@transaction.atomic
def benutzer_deactivate(*, akteur: Benutzer | None, benutzer: Benutzer) -> Benutzer:
    """Never delete: the audit log keeps naming the person. Login and API tokens stop working."""
    _pruefe_verwaltungsrecht(akteur, benutzer.kommune)
    if akteur is not None and akteur.pk == benutzer.pk:
        raise ValidationError("Sie können sich nicht selbst deaktivieren.")
    benutzer.is_active = False
    benutzer.save(update_fields=["is_active"])
    return benutzer


@transaction.atomic
def benutzer_reactivate(*, akteur: Benutzer | None, benutzer: Benutzer) -> Benutzer:
    _pruefe_verwaltungsrecht(akteur, benutzer.kommune)
    benutzer.is_active = True
    benutzer.save(update_fields=["is_active"])
    return benutzer


def passwort_link_anfordern(*, akteur: Benutzer | None, benutzer: Benutzer, basis_url: str) -> None:
    """Send the person a link to set a new password (by Celery, after the transaction)."""
    from .tasks import passwort_link_senden

    _pruefe_verwaltungsrecht(akteur, benutzer.kommune)
    if not benutzer.email:
        raise ValidationError("Für diese Person ist keine E-Mail-Adresse hinterlegt.")
    transaction.on_commit(lambda: passwort_link_senden.delay(benutzer.pk, basis_url))


def _teilbaum_ids(oe: Organisationseinheit) -> set[int]:
    ids, rand = {oe.pk}, [oe.pk]
    while rand:
        rand = list(
            Organisationseinheit.objects.filter(parent_id__in=rand).values_list("pk", flat=True)
        )
        ids.update(rand)
    return ids


@transaction.atomic
def organisationseinheit_anlegen_durch(
    *,
    akteur: Benutzer | None,
    kommune: Kommune,
    name: str,
    kuerzel: str,
    parent: Organisationseinheit | None = None,
) -> Organisationseinheit:
    _pruefe_verwaltungsrecht(akteur, kommune)
    return organisationseinheit_create(kommune=kommune, name=name, kuerzel=kuerzel, parent=parent)


@transaction.atomic
def organisationseinheit_update(
    *,
    akteur: Benutzer | None,
    oe: Organisationseinheit,
    name: str,
    kuerzel: str,
    parent: Organisationseinheit | None,
) -> Organisationseinheit:
    _pruefe_verwaltungsrecht(akteur, oe.kommune)
    if parent is not None:
        if parent.kommune_id != oe.kommune_id:
            raise ValidationError(
                {"parent": "Die übergeordnete Einheit gehört zu einer anderen Kommune."}
            )
        if parent.pk in _teilbaum_ids(oe):
            raise ValidationError({"parent": "Eine OE kann nicht unter sich selbst stehen."})
    oe.name, oe.kuerzel, oe.parent = name, kuerzel, parent
    oe.full_clean()
    oe.save()
    return oe


@transaction.atomic
def organisationseinheiten_zusammenlegen(
    *, akteur: Benutzer | None, quelle: Organisationseinheit, ziel: Organisationseinheit
) -> Organisationseinheit:
    """Merge `quelle` into `ziel`: its members, sub-units and Akten (with what was shared with
    it) move, `quelle` is deactivated.

    OEs are never deleted: older Protokoll entries keep pointing at them.
    """
    from eakte.akten import services as akten_services  # akten builds on kommunen
    from eakte.common.akteur import Akteur

    _pruefe_verwaltungsrecht(akteur, quelle.kommune)
    if ziel.kommune_id != quelle.kommune_id:
        raise ValidationError({"ziel": "Die Ziel-OE gehört zu einer anderen Kommune."})
    if ziel.pk in _teilbaum_ids(quelle):
        raise ValidationError(
            {"ziel": "Eine OE kann nicht mit einer ihrer Untereinheiten zusammengelegt werden."}
        )
    for mitglied in quelle.mitglieder.all():
        mitglied.organisationseinheiten.add(ziel)
        mitglied.organisationseinheiten.remove(quelle)
    quelle.untereinheiten.update(parent=ziel)
    akten_services.akten_der_oe_uebernehmen(
        akteur=Akteur.person(akteur) if akteur is not None else Akteur.system("OE zusammenlegen"),
        quelle=quelle,
        ziel=ziel,
    )
    quelle.aktiv = False
    quelle.save(update_fields=["aktiv"])
    return ziel
