"""Writes for the tenancy: Verbund, Kommune, OE, Benutzer. Each runs in one transaction.

The package also holds the bulk writes: `aufnahme` (onboarding Kommunen from a description) and
`benutzerimport` (people from CSV).

`verbund_anlegen`, the `*_anlegen_ungeprueft` functions and `benutzer_rollen_setzen` /
`benutzer_oes_setzen` are building blocks without checks or Protokoll (fixtures, demo data, the
onboarding service, which checks and logs itself); their names say so. Views and the API never
call them: what people do goes through the services that take the actor, ask the rules and write
the Protokoll (`benutzer_anlegen`, `benutzer_aendern`, `organisationseinheit_anlegen`, …).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from celery import current_app
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from eakte.common.akteur import Akteur
from eakte.common.regeln import darf
from eakte.protokoll.darstellung import feldnamen
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren

from ..models import AKTENZEICHEN_MUSTER_STANDARD, Benutzer, Kommune, Organisationseinheit, Verbund
from ..rollen import NUR_VERBUND_ADMIN_AENDERT, Rolle
from ..signale import oe_zusammengelegt


def verbund_anlegen(*, name: str, slug: str) -> Verbund:
    verbund = Verbund(name=name, slug=slug)
    verbund.full_clean()
    verbund.save()
    return verbund


@transaction.atomic
def kommune_anlegen_ungeprueft(
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
def organisationseinheit_anlegen_ungeprueft(
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


def benutzername_in_kommune(kommune: Kommune, name: str) -> str:
    """New accounts created by a Kommune's administration are named `<name>@<kommune>`: unique
    in the Verbund, and whether a name is taken only ever concerns the own Kommune (a name of
    another Kommune can never collide, so the answer tells nothing about its people)."""
    name = name.strip()
    endung = "@" + kommune.slug
    if not name:
        return name
    if name.lower().endswith(endung):
        return name[: -len(endung)] + endung
    if "@" in name:
        raise ValidationError(
            {"username": f"Ein Benutzername mit „@“ endet auf „{endung}“ (Ihre Kommune)."}
        )
    return name + endung


@transaction.atomic
def benutzer_anlegen_ungeprueft(
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
    benutzer_rollen_setzen(benutzer=benutzer, rollen=rollen)
    benutzer_oes_setzen(benutzer=benutzer, organisationseinheiten=organisationseinheiten)
    return benutzer


@transaction.atomic
def benutzer_rollen_setzen(*, benutzer: Benutzer, rollen: Iterable[Rolle]) -> None:
    names = [Rolle(rolle).value for rolle in rollen]
    benutzer.groups.set(Group.objects.filter(name__in=names))
    benutzer.__dict__.pop("_rollen", None)


@transaction.atomic
def benutzer_oes_setzen(
    *, benutzer: Benutzer, organisationseinheiten: Iterable[Organisationseinheit]
) -> None:
    einheiten = list(organisationseinheiten)
    if any(oe.kommune_id != benutzer.kommune_id for oe in einheiten):
        raise ValidationError(
            {"organisationseinheiten": "Eine Organisationseinheit gehört zu einer anderen Kommune."}
        )
    benutzer.organisationseinheiten.set(einheiten)


def _person(akteur: Akteur):
    """The acting person. Administration of people and OEs is always done by a person: the
    system changes them only through the onboarding service (`aufnahme`)."""
    if akteur.benutzer is None:
        raise PermissionDenied("Diese Verwaltung erledigt immer eine Person, nicht das System.")
    return akteur.benutzer


def _pruefe_verwaltungsrecht(akteur: Akteur, kommune: Kommune) -> None:
    if not darf(_person(akteur), "kommunen.kommune_verwalten", kommune):
        raise PermissionDenied("Nur Kommunen-Admins verwalten die Benutzer ihrer Kommune.")


def _pruefe_personenrecht(akteur: Akteur, benutzer: Benutzer) -> None:
    _pruefe_verwaltungsrecht(akteur, benutzer.kommune)
    if not darf(akteur.benutzer, "kommunen.benutzer_bearbeiten", benutzer):
        raise PermissionDenied(NUR_VERBUND_ADMIN_AENDERT)


def _nicht_vergebbar(akteur: Akteur, rollen: Iterable[Rolle]) -> set[Rolle]:
    return {Rolle(r) for r in rollen if not darf(akteur.benutzer, "kommunen.rolle_vergeben", r)}


def _rollenfehler(rollen: set[Rolle]) -> ValidationError:
    namen = ", ".join(sorted(rolle.label for rolle in rollen))
    return ValidationError({"rollen": f"Diese Rollen vergibt nur ein Verbund-Admin: {namen}."})


def _rollen_text(rollen: Iterable[Rolle]) -> list[str]:
    return sorted(Rolle(r).value for r in rollen)


def _log(akteur: Akteur, kommune_id: int, aktion: Aktion, beschreibung: str, objekt, details=None):
    protokollieren(
        kommune_id=kommune_id,
        aktion=aktion,
        akteur=akteur,
        beschreibung=beschreibung,
        objekt=objekt,
        details=details,
    )


@transaction.atomic
def benutzer_anlegen(
    *, akteur: Akteur, kommune: Kommune, rollen: Iterable[Rolle] = (), **daten
) -> Benutzer:
    """benutzer_anlegen_ungeprueft with the administrator's rights checked (browser and API)."""
    rollen = [Rolle(r) for r in rollen]
    _pruefe_verwaltungsrecht(akteur, kommune)
    verboten = _nicht_vergebbar(akteur, rollen)
    if verboten:
        raise _rollenfehler(verboten)
    daten.pop("password", None)  # people set their own password (link)
    daten["username"] = benutzername_in_kommune(kommune, daten.get("username") or "")
    benutzer = benutzer_anlegen_ungeprueft(kommune=kommune, rollen=rollen, **daten)
    _log(
        akteur,
        kommune.pk,
        Aktion.ANGELEGT,
        f"Person {benutzer.username} angelegt",
        benutzer,
        details={
            "benutzername": benutzer.username,
            "vorname": benutzer.first_name,
            "nachname": benutzer.last_name,
            "email": benutzer.email,
            "rollen": _rollen_text(rollen),
            "organisationseinheiten": sorted(
                oe.kuerzel for oe in benutzer.organisationseinheiten.all()
            ),
        },
    )
    return benutzer


_NICHT_GESENDET = object()


def _neue_rollen(
    akteur: Akteur, benutzer: Benutzer, alte_rollen: set[Rolle], gewuenscht: set[Rolle]
) -> set[Rolle]:
    """The roles after an update: what the actor may not grant stays as it was; adding such a
    role is refused, and so is any change of one's own roles."""
    gesperrt = _nicht_vergebbar(akteur, gewuenscht | alte_rollen)
    if (gewuenscht - alte_rollen) & gesperrt:
        raise _rollenfehler((gewuenscht - alte_rollen) & gesperrt)
    neue_rollen = (gewuenscht - gesperrt) | (alte_rollen & gesperrt)
    if akteur.benutzer.pk == benutzer.pk:
        if not alte_rollen <= neue_rollen:
            raise ValidationError({"rollen": "Ihre eigenen Rollen können Sie nicht entziehen."})
        if neue_rollen - alte_rollen:
            raise ValidationError({"rollen": "Sich selbst Rollen zu geben ist nicht möglich."})
    return neue_rollen


@transaction.atomic
def benutzer_aendern(
    *,
    akteur: Akteur,
    benutzer: Benutzer,
    first_name: str = _NICHT_GESENDET,
    last_name: str = _NICHT_GESENDET,
    email: str = _NICHT_GESENDET,
    rollen: Iterable[Rolle] = _NICHT_GESENDET,
    organisationseinheiten: Iterable[Organisationseinheit] = _NICHT_GESENDET,
) -> Benutzer:
    """Change what is given; what is not given stays as it is (PATCH semantics).

    Roles the actor may not grant stay as they are, whatever is sent: the browser form offers
    only the grantable ones, and an omitted Verbund-wide role is therefore not a removal. Adding
    one is refused. Nobody adds roles to themselves or removes their own."""
    _pruefe_personenrecht(akteur, benutzer)
    alt = {
        "vorname": benutzer.first_name,
        "nachname": benutzer.last_name,
        "email": benutzer.email,
    }
    alte_rollen = set(benutzer.rollen)
    alte_oes = {oe.kuerzel for oe in benutzer.organisationseinheiten.all()}
    gesendet = {"first_name": first_name, "last_name": last_name, "email": email}
    for feld, wert in gesendet.items():
        if wert is not _NICHT_GESENDET:
            setattr(benutzer, feld, wert)
    neue_rollen = alte_rollen
    if rollen is not _NICHT_GESENDET:
        neue_rollen = _neue_rollen(akteur, benutzer, alte_rollen, {Rolle(r) for r in rollen})
    benutzer.full_clean(exclude=["password"])
    benutzer.save()
    if neue_rollen != alte_rollen:
        benutzer_rollen_setzen(benutzer=benutzer, rollen=neue_rollen)
    if organisationseinheiten is not _NICHT_GESENDET:
        benutzer_oes_setzen(benutzer=benutzer, organisationseinheiten=organisationseinheiten)
    neu = {"vorname": benutzer.first_name, "nachname": benutzer.last_name, "email": benutzer.email}
    geaendert = {
        feld: {"vorher": alt[feld], "nachher": neu[feld]} for feld in alt if alt[feld] != neu[feld]
    }
    neue_oes = {oe.kuerzel for oe in benutzer.organisationseinheiten.all()}
    if neue_oes != alte_oes:
        geaendert["organisationseinheiten"] = {
            "vorher": sorted(alte_oes),
            "nachher": sorted(neue_oes),
        }
    if geaendert:
        _log(
            akteur,
            benutzer.kommune_id,
            Aktion.GEAENDERT,
            f"Person {benutzer.username} geändert: {feldnamen(geaendert)}",
            benutzer,
            details=geaendert,
        )
    if neue_rollen != alte_rollen:
        _log(
            akteur,
            benutzer.kommune_id,
            Aktion.ROLLEN_GEAENDERT,
            f"Rollen von {benutzer.username}: {', '.join(_rollen_text(alte_rollen)) or '–'} → "
            f"{', '.join(_rollen_text(neue_rollen)) or '–'}",
            benutzer,
            details={"vorher": _rollen_text(alte_rollen), "nachher": _rollen_text(neue_rollen)},
        )
    return benutzer


@transaction.atomic
def benutzer_deaktivieren(*, akteur: Akteur, benutzer: Benutzer) -> Benutzer:
    """Never delete: the audit log keeps naming the person. Login and API tokens stop working."""
    _pruefe_personenrecht(akteur, benutzer)
    if akteur.benutzer.pk == benutzer.pk:
        raise ValidationError("Sie können sich nicht selbst deaktivieren.")
    benutzer.is_active = False
    benutzer.save(update_fields=["is_active"])
    _log(
        akteur,
        benutzer.kommune_id,
        Aktion.DEAKTIVIERT,
        f"Person {benutzer.username} deaktiviert",
        benutzer,
    )
    return benutzer


@transaction.atomic
def benutzer_reaktivieren(*, akteur: Akteur, benutzer: Benutzer) -> Benutzer:
    _pruefe_personenrecht(akteur, benutzer)
    benutzer.is_active = True
    benutzer.save(update_fields=["is_active"])
    _log(
        akteur,
        benutzer.kommune_id,
        Aktion.AKTIVIERT,
        f"Person {benutzer.username} wieder aktiviert",
        benutzer,
    )
    return benutzer


@transaction.atomic
def passwort_link_anfordern(*, akteur: Akteur, benutzer: Benutzer, basis_url: str) -> None:
    """Send the person a link to set a new password (by Celery, after the transaction)."""
    _pruefe_personenrecht(akteur, benutzer)
    if not benutzer.email:
        raise ValidationError("Für diese Person ist keine E-Mail-Adresse hinterlegt.")
    _log(
        akteur,
        benutzer.kommune_id,
        Aktion.PASSWORT_LINK,
        f"Link zum Setzen des Passworts an {benutzer.username} gesendet",
        benutzer,
        details={"email": benutzer.email},
    )
    transaction.on_commit(
        lambda: current_app.send_task(
            "eakte.kommunen.passwort_link_senden", args=[benutzer.pk, basis_url]
        )
    )


@dataclass
class Einladungen:
    gesendet: list[Benutzer] = field(default_factory=list)
    ohne_email: list[Benutzer] = field(default_factory=list)
    inaktiv: list[Benutzer] = field(default_factory=list)


@transaction.atomic
def einladungen_senden(
    *, akteur: Akteur, personen: Iterable[Benutzer], basis_url: str
) -> Einladungen:
    """Invite people (new or again): a welcome e-mail with their user name and a link to set
    their own password, sent by Celery after the transaction. The actor must be allowed to
    manage every one of them (else nothing is sent); people without an e-mail address or
    deactivated ones are reported, not invited."""
    personen = list(personen)
    for person in personen:
        _pruefe_personenrecht(akteur, person)
    ergebnis = Einladungen()
    for person in personen:
        if not person.is_active:
            ergebnis.inaktiv.append(person)
            continue
        if not person.email:
            ergebnis.ohne_email.append(person)
            continue
        _log(
            akteur,
            person.kommune_id,
            Aktion.PASSWORT_LINK,
            f"Einladung an {person.username} gesendet",
            person,
            details={"email": person.email, "art": "einladung"},
        )
        ergebnis.gesendet.append(person)
    if ergebnis.gesendet:
        ids = [person.pk for person in ergebnis.gesendet]
        transaction.on_commit(
            lambda: current_app.send_task(
                "eakte.kommunen.einladungen_senden", args=[ids, basis_url]
            )
        )
    return ergebnis


def _teilbaum_ids(oe: Organisationseinheit) -> set[int]:
    ids, rand = {oe.pk}, [oe.pk]
    while rand:
        rand = list(
            Organisationseinheit.objects.filter(parent_id__in=rand).values_list("pk", flat=True)
        )
        ids.update(rand)
    return ids


def _oe_daten(oe: Organisationseinheit) -> dict:
    return {
        "name": oe.name,
        "kuerzel": oe.kuerzel,
        "uebergeordnet": oe.parent.kuerzel if oe.parent_id else None,
    }


@transaction.atomic
def organisationseinheit_anlegen(
    *,
    akteur: Akteur,
    kommune: Kommune,
    name: str,
    kuerzel: str,
    parent: Organisationseinheit | None = None,
) -> Organisationseinheit:
    _pruefe_verwaltungsrecht(akteur, kommune)
    oe = organisationseinheit_anlegen_ungeprueft(
        kommune=kommune, name=name, kuerzel=kuerzel, parent=parent
    )
    _log(akteur, kommune.pk, Aktion.ANGELEGT, f"OE {oe} angelegt", oe, details=_oe_daten(oe))
    return oe


@transaction.atomic
def organisationseinheit_aendern(
    *,
    akteur: Akteur,
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
    vorher = _oe_daten(oe)
    oe.name, oe.kuerzel, oe.parent = name, kuerzel, parent
    oe.full_clean()
    oe.save()
    nachher = _oe_daten(oe)
    geaendert = {
        feld: {"vorher": vorher[feld], "nachher": nachher[feld]}
        for feld in vorher
        if vorher[feld] != nachher[feld]
    }
    if geaendert:
        _log(
            akteur,
            oe.kommune_id,
            Aktion.GEAENDERT,
            f"OE {oe} geändert: {feldnamen(geaendert)}",
            oe,
            details=geaendert,
        )
    return oe


@transaction.atomic
def organisationseinheiten_zusammenlegen(
    *, akteur: Akteur, quelle: Organisationseinheit, ziel: Organisationseinheit
) -> Organisationseinheit:
    """Merge `quelle` into `ziel`: its members and sub-units move, `quelle` is deactivated; the
    signal `oe_zusammengelegt` (sent inside the transaction) lets the apps above move what else
    belongs to the OE (the Akten and what was shared with it, in eakte.akten).

    OEs are never deleted: older Protokoll entries keep pointing at them.
    """
    _pruefe_verwaltungsrecht(akteur, quelle.kommune)
    if ziel.kommune_id != quelle.kommune_id:
        raise ValidationError({"ziel": "Die Ziel-OE gehört zu einer anderen Kommune."})
    if ziel.pk in _teilbaum_ids(quelle):
        raise ValidationError(
            {"ziel": "Eine OE kann nicht mit einer ihrer Untereinheiten zusammengelegt werden."}
        )
    mitglieder = list(quelle.mitglieder.all())
    for mitglied in mitglieder:
        mitglied.organisationseinheiten.add(ziel)
        mitglied.organisationseinheiten.remove(quelle)
    untereinheiten = list(quelle.untereinheiten.values_list("kuerzel", flat=True))
    quelle.untereinheiten.update(parent=ziel)
    oe_zusammengelegt.send(sender=Organisationseinheit, akteur=akteur, quelle=quelle, ziel=ziel)
    quelle.aktiv = False
    quelle.save(update_fields=["aktiv"])
    _log(
        akteur,
        quelle.kommune_id,
        Aktion.ZUSAMMENGELEGT,
        f"OE {quelle} in {ziel} aufgegangen",
        quelle,
        details={
            "quelle": quelle.kuerzel,
            "ziel": ziel.kuerzel,
            "mitglieder": sorted(m.username for m in mitglieder),
            "untereinheiten": sorted(untereinheiten),
        },
    )
    return ziel
