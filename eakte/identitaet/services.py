"""Writes of the identity app: the configuration of a Kommune's source and its group mapping
(by its administrators), and the accounts the sources bring (by the system, at sign-in and in
the nightly sync). Every change goes into the Protokoll of the Kommune."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from eakte.common.akteur import Akteur
from eakte.common.regeln import darf
from eakte.kommunen import services as kommunen_services
from eakte.kommunen.models import Benutzer, Kommune, Organisationseinheit
from eakte.kommunen.rollen import VERBUNDWEITE_ROLLEN, Rolle
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren

from .geheimnis import verschluesseln
from .models import Gruppenzuordnung, Identitaetsquelle, Kontoherkunft, Quellenart

GEHEIME_FELDER = ("ldap_bind_geheimnis", "oidc_client_geheimnis")
EINSTELLBARE_FELDER = (
    "art",
    "ldap_uri",
    "ldap_starttls",
    "ldap_bind_dn",
    "ldap_ca_zertifikat",
    "ldap_benutzer_basis",
    "ldap_benutzer_filter",
    "ldap_gruppen_basis",
    "ldap_gruppen_filter",
    "ldap_gruppentyp",
    "ldap_attr_vorname",
    "ldap_attr_nachname",
    "ldap_attr_email",
    "ldap_attr_oe",
    "oidc_issuer",
    "oidc_client_id",
    "oidc_scopes",
    "oidc_claim_benutzername",
    "oidc_claim_gruppen",
    "oidc_claim_oe",
)


def _pruefe_verwaltung(akteur: Akteur, kommune: Kommune) -> None:
    if akteur.benutzer is None or not darf(akteur.benutzer, "identitaet.quelle_verwalten", kommune):
        raise PermissionDenied("Nur Kommunen-Admins und Verbund-Admins richten die Anmeldung ein.")


def quelle_von(kommune: Kommune) -> Identitaetsquelle:
    """The source of a Kommune (an unsaved 'keine' source when none was configured)."""
    return Identitaetsquelle.alle.filter(kommune=kommune).first() or Identitaetsquelle(
        kommune=kommune
    )


@transaction.atomic
def quelle_speichern(
    *, akteur: Akteur, kommune: Kommune, daten: dict, geheimnisse: dict | None = None
) -> Identitaetsquelle:
    """Save the identity source. `geheimnisse` holds only secrets entered anew (an empty value
    keeps the stored one). The Protokoll names changed fields, never a secret's value."""
    _pruefe_verwaltung(akteur, kommune)
    quelle = quelle_von(kommune)
    geaendert = []
    for feld in EINSTELLBARE_FELDER:
        if feld in daten and getattr(quelle, feld) != daten[feld]:
            setattr(quelle, feld, daten[feld])
            geaendert.append(feld)
    for feld, wert in (geheimnisse or {}).items():
        if feld in GEHEIME_FELDER and wert:
            setattr(quelle, feld, verschluesseln(wert))
            geaendert.append(feld)
    if quelle.art == Quellenart.LDAP and not (quelle.ldap_uri and quelle.ldap_benutzer_basis):
        raise ValidationError("Für LDAP sind Server-URI und Suchbasis für Personen nötig.")
    if quelle.art == Quellenart.LDAP and not quelle.ldap_uri.startswith(("ldap://", "ldaps://")):
        raise ValidationError({"ldap_uri": "Die Server-URI beginnt mit ldap:// oder ldaps://."})
    if quelle.ldap_ca_zertifikat.strip() and not _ist_pem(quelle.ldap_ca_zertifikat):
        raise ValidationError(
            {"ldap_ca_zertifikat": "Das ist kein Zertifikat im PEM-Format (BEGIN CERTIFICATE)."}
        )
    if quelle.art == Quellenart.OIDC and not (quelle.oidc_issuer and quelle.oidc_client_id):
        raise ValidationError("Für OpenID Connect sind Issuer und Client-ID nötig.")
    quelle.full_clean()
    quelle.save()
    if geaendert:
        protokollieren(
            kommune_id=kommune.pk,
            aktion=Aktion.EINSTELLUNG_GEAENDERT,
            akteur=akteur,
            beschreibung=f"Anmeldung eingerichtet: {quelle.get_art_display()}",
            objekt=quelle,
            details={"felder": sorted(geaendert)},
        )
    return quelle


def _ist_pem(text: str) -> bool:
    from cryptography import x509

    try:
        x509.load_pem_x509_certificates(text.strip().encode())
    except ValueError:
        return False
    return True


def _zuordnung_pruefen(akteur, quelle, gruppe, rolle, oe) -> None:
    if not gruppe.strip():
        raise ValidationError({"gruppe": "Bitte geben Sie die Gruppe an."})
    if not rolle and oe is None:
        raise ValidationError("Eine Zuordnung gibt eine Rolle, eine OE oder beides.")
    if oe is not None and oe.kommune_id != quelle.kommune_id:
        raise ValidationError(
            {"organisationseinheit": "Diese Organisationseinheit gehört nicht zu dieser Kommune."}
        )
    if rolle and not darf(akteur.benutzer, "kommunen.rolle_vergeben", Rolle(rolle)):
        raise ValidationError(
            {"rolle": f"Die Rolle „{Rolle(rolle).label}“ ordnet nur ein Verbund-Admin zu."}
        )
    basis = quelle.ldap_gruppen_basis.strip().lower()
    if quelle.art == Quellenart.LDAP and basis and not gruppe.strip().lower().endswith(basis):
        # a group outside this Kommune's directory (another Kommune's) cannot give roles here
        raise ValidationError(
            {"gruppe": "Diese Gruppe liegt nicht unter der Gruppen-Suchbasis dieser Kommune."}
        )


@transaction.atomic
def zuordnung_anlegen(
    *,
    akteur: Akteur,
    kommune: Kommune,
    gruppe: str,
    rolle: str = "",
    organisationseinheit: Organisationseinheit | None = None,
) -> Gruppenzuordnung:
    _pruefe_verwaltung(akteur, kommune)
    quelle = quelle_von(kommune)
    _zuordnung_pruefen(akteur, quelle, gruppe, rolle, organisationseinheit)
    zuordnung = Gruppenzuordnung.alle.create(
        kommune=kommune,
        gruppe=gruppe.strip(),
        rolle=rolle,
        organisationseinheit=organisationseinheit,
    )
    protokollieren(
        kommune_id=kommune.pk,
        aktion=Aktion.EINSTELLUNG_GEAENDERT,
        akteur=akteur,
        beschreibung=f"Gruppenzuordnung angelegt: {zuordnung.gruppe}",
        objekt=zuordnung,
        details={
            "gruppe": zuordnung.gruppe,
            "rolle": rolle,
            "oe": organisationseinheit.kuerzel if organisationseinheit else "",
        },
    )
    return zuordnung


@transaction.atomic
def zuordnung_loeschen(*, akteur: Akteur, zuordnung: Gruppenzuordnung) -> None:
    _pruefe_verwaltung(akteur, zuordnung.kommune)
    if zuordnung.rolle in VERBUNDWEITE_ROLLEN and not darf(
        akteur.benutzer, "kommunen.rolle_vergeben", Rolle(zuordnung.rolle)
    ):
        raise PermissionDenied("Diese Zuordnung entfernt nur ein Verbund-Admin.")
    protokollieren(
        kommune_id=zuordnung.kommune_id,
        aktion=Aktion.EINSTELLUNG_GEAENDERT,
        akteur=akteur,
        beschreibung=f"Gruppenzuordnung entfernt: {zuordnung.gruppe}",
        objekt=zuordnung,
        details={"gruppe": zuordnung.gruppe, "rolle": zuordnung.rolle},
    )
    zuordnung.delete()


@dataclass(frozen=True)
class Kontodaten:
    """What a source says about a person at sign-in or in the sync."""

    extern_id: str
    benutzername: str  # without the Kommune suffix
    vorname: str = ""
    nachname: str = ""
    email: str = ""
    gruppen: frozenset[str] = frozenset()
    oe_kuerzel: frozenset[str] = frozenset()


def anmeldename(kommune: Kommune, name: str) -> str:
    """Accounts from a source are named `<name>@<kommune>`: unique in the Verbund, and a name
    in one Kommune's directory never meets an account of another."""
    return f"{name.strip().lower()}@{kommune.slug}"


def _rollen_und_oes(kommune: Kommune, daten: Kontodaten):
    gruppen = {g.lower() for g in daten.gruppen}
    rollen: set[Rolle] = set()
    oes: dict[int, Organisationseinheit] = {}
    for zuordnung in Gruppenzuordnung.alle.filter(kommune=kommune).select_related(
        "organisationseinheit"
    ):
        if zuordnung.gruppe.lower() in gruppen:
            if zuordnung.rolle:
                rollen.add(Rolle(zuordnung.rolle))
            if zuordnung.organisationseinheit and zuordnung.organisationseinheit.aktiv:
                oes[zuordnung.organisationseinheit.pk] = zuordnung.organisationseinheit
    if daten.oe_kuerzel:
        for oe in Organisationseinheit.alle.filter(
            kommune=kommune, kuerzel__in=daten.oe_kuerzel, aktiv=True
        ):
            oes[oe.pk] = oe
    return rollen, list(oes.values())


def konto_finden(kommune: Kommune, art: str, extern_id: str) -> Benutzer | None:
    herkunft = (
        Kontoherkunft.alle.filter(kommune=kommune, art=art, extern_id=extern_id.lower())
        .select_related("benutzer")
        .first()
    )
    return herkunft.benutzer if herkunft else None


@transaction.atomic
def konto_abgleichen(
    *, akteur: Akteur, kommune: Kommune, art: str, daten: Kontodaten, benutzer=None
) -> Benutzer:
    """Create the account on first sign-in (just in time) or bring name, e-mail, roles and OEs
    up to date from the source. Role changes are written to the Protokoll."""
    if benutzer is None:
        benutzer = konto_finden(kommune, art, daten.extern_id)
    name = anmeldename(kommune, daten.benutzername)
    rollen, oes = _rollen_und_oes(kommune, daten)
    if benutzer is None:
        if Benutzer.objects.filter(username__iexact=name).exists():
            raise ValidationError("Für diesen Anmeldenamen gibt es schon ein lokales Konto.")
        benutzer = Benutzer(kommune=kommune, username=name)
        benutzer.set_unusable_password()
        neu = True
    else:
        neu = False
        if benutzer.kommune_id != kommune.pk:
            raise ValidationError("Dieses Konto gehört zu einer anderen Kommune.")
    for feld, wert in (
        ("first_name", daten.vorname),
        ("last_name", daten.nachname),
        ("email", daten.email),
    ):
        setattr(benutzer, feld, wert[:150])
    benutzer.save()
    jetzt = timezone.now()
    Kontoherkunft.alle.update_or_create(
        benutzer=benutzer,
        defaults={
            "kommune": kommune,
            "art": art,
            "extern_id": daten.extern_id.lower(),
            "zuletzt_abgeglichen_am": jetzt,
        },
    )
    if neu:
        protokollieren(
            kommune_id=kommune.pk,
            aktion=Aktion.ANGELEGT,
            akteur=akteur,
            beschreibung=f"Person {name} bei der ersten Anmeldung angelegt ({art})",
            objekt=benutzer,
            details={"quelle": art},
        )
    vorher = set(benutzer.rollen)
    if vorher != rollen:
        kommunen_services.benutzer_rollen_setzen(benutzer=benutzer, rollen=rollen)
        protokollieren(
            kommune_id=kommune.pk,
            aktion=Aktion.ROLLEN_GEAENDERT,
            akteur=akteur,
            beschreibung=f"Rollen von {name} aus der Quelle übernommen",
            objekt=benutzer,
            details={
                "quelle": art,
                "vorher": sorted(r.value for r in vorher),
                "nachher": sorted(r.value for r in rollen),
            },
        )
    if set(benutzer.organisationseinheiten.values_list("pk", flat=True)) != {o.pk for o in oes}:
        kommunen_services.benutzer_oes_setzen(benutzer=benutzer, organisationseinheiten=oes)
    return benutzer


@transaction.atomic
def konto_deaktivieren(*, akteur: Akteur, benutzer: Benutzer, grund: str) -> None:
    """The source no longer knows the person: sign-in stops; their open Wiedervorlagen and
    shares appear for hand-over on their page in the user administration."""
    if not benutzer.is_active:
        return
    benutzer.is_active = False
    benutzer.save(update_fields=["is_active"])
    protokollieren(
        kommune_id=benutzer.kommune_id,
        aktion=Aktion.DEAKTIVIERT,
        akteur=akteur,
        beschreibung=f"Person {benutzer.username} deaktiviert: {grund}",
        objekt=benutzer,
        details={"grund": grund},
    )


def anmeldung_protokollieren(
    *, kommune_id: int, benutzername: str, quelle: str, erfolg: bool, grund: str = "", ip=None
) -> None:
    """A failed sign-in (successful ones are written by protokoll's user_logged_in receiver)."""
    protokollieren(
        kommune_id=kommune_id,
        aktion=Aktion.ANMELDUNG_FEHLGESCHLAGEN,
        akteur=Akteur.system("Anmeldung"),
        beschreibung=f"Anmeldung von {benutzername[:150]} fehlgeschlagen ({quelle})",
        details={"benutzername": benutzername[:150], "quelle": quelle, "grund": grund, "ip": ip},
    )


def zwei_faktor_pflicht(benutzer: Benutzer) -> bool:
    """Whether this person must confirm a second factor: local accounts holding an admin role,
    when their Verbund asks for it (directory/OIDC accounts use the provider's MFA). Reads what
    konten's backend loaded with the person (no query of its own)."""
    from django.core.exceptions import ObjectDoesNotExist

    if not darf(benutzer, "identitaet.zweiter_faktor_noetig"):
        return False
    try:
        benutzer.kontoherkunft  # noqa: B018 - an account from a source: the provider's MFA
        return False
    except ObjectDoesNotExist:
        pass
    try:
        return benutzer.kommune.verbund.anmelderichtlinie.zwei_faktor_fuer_admins
    except ObjectDoesNotExist:
        return settings.EAKTE_ZWEI_FAKTOR_PFLICHT


def zwei_faktor_gefordert(benutzer: Benutzer) -> bool:
    """The rule of the person's Verbund (or the installation's default)."""
    from .models import Anmelderichtlinie

    richtlinie = Anmelderichtlinie.objects.filter(verbund_id=benutzer.kommune.verbund_id).first()
    return richtlinie.zwei_faktor_fuer_admins if richtlinie else settings.EAKTE_ZWEI_FAKTOR_PFLICHT


@transaction.atomic
def anmelderichtlinie_setzen(*, akteur: Akteur, zwei_faktor_fuer_admins: bool):
    from .models import Anmelderichtlinie

    if akteur.benutzer is None or not darf(akteur.benutzer, "kommunen.verbund_verwalten"):
        raise PermissionDenied("Nur ein Verbund-Admin ändert die Anmelderichtlinie.")
    richtlinie, _ = Anmelderichtlinie.objects.update_or_create(
        verbund_id=akteur.benutzer.kommune.verbund_id,
        defaults={"zwei_faktor_fuer_admins": zwei_faktor_fuer_admins},
    )
    protokollieren(
        kommune_id=akteur.benutzer.kommune_id,
        aktion=Aktion.EINSTELLUNG_GEAENDERT,
        akteur=akteur,
        beschreibung="Anmelderichtlinie des Verbunds geändert",
        details={"zwei_faktor_fuer_admins": zwei_faktor_fuer_admins},
    )
    return richtlinie


def rollen_text(rollen: Iterable[Rolle]) -> str:
    return ", ".join(sorted(Rolle(r).label for r in rollen)) or "keine"
