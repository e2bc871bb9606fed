"""Bringing a Kommune into the Verbund from a description (YAML/JSON file or the browser flow).

The description says what a Kommune, its OEs and its people should look like. `abgleichen`
compares it with the database and applies exactly the differences, all or nothing; run again
with the same description it changes nothing. Things the description does not mention are left
as they are (a roll-out file never deactivates people who were added later in the browser).
"""

import json
import re
from dataclasses import dataclass, field

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import ngettext

from eakte.common.akteur import Akteur
from eakte.common.eingabe import Eingabefehler, daten_pruefen
from eakte.common.regeln import darf
from eakte.kommunen import services
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren

from ..models import AKTENZEICHEN_MUSTER_STANDARD, Benutzer, Kommune, Verbund
from ..rollen import Rolle


@dataclass
class OeBeschreibung:
    kuerzel: str
    name: str
    uebergeordnet: str | None = None


@dataclass
class PersonBeschreibung:
    benutzername: str
    email: str
    vorname: str = ""
    nachname: str = ""
    rollen: list[Rolle] = field(default_factory=list)
    oes: list[str] = field(default_factory=list)
    aktiv: bool = True


@dataclass
class KommuneBeschreibung:
    name: str
    slug: str
    ags: str
    aktenzeichen_praefix: str
    aktenzeichen_muster: str = AKTENZEICHEN_MUSTER_STANDARD
    organisationseinheiten: list[OeBeschreibung] = field(default_factory=list)
    personen: list[PersonBeschreibung] = field(default_factory=list)


@dataclass
class VerbundBeschreibung:
    slug: str
    name: str
    kommunen: list[KommuneBeschreibung] = field(default_factory=list)


class Beschreibungsfehler(Exception):
    """Every problem of a description, each with where it is ("kommunen[2].personen[1]")."""

    def __init__(self, fehler: list[str]):
        super().__init__("\n".join(fehler))
        self.fehler = fehler


# --- reading ---------------------------------------------------------------------------------


def datei_lesen(inhalt: bytes, dateiname: str) -> VerbundBeschreibung:
    try:
        text = inhalt.decode("utf-8-sig")
    except UnicodeDecodeError as fehler:
        raise Beschreibungsfehler(["Die Datei ist nicht UTF-8-kodiert."]) from fehler
    try:
        daten = json.loads(text) if dateiname.endswith(".json") else yaml.safe_load(text)
        daten_pruefen(daten)
    except (json.JSONDecodeError, yaml.YAMLError) as fehler:
        raise Beschreibungsfehler([f"Die Datei ist kein gültiges YAML/JSON: {fehler}"]) from fehler
    except RecursionError as fehler:
        raise Beschreibungsfehler(["Die Datei ist zu tief verschachtelt."]) from fehler
    except Eingabefehler as fehler:
        raise Beschreibungsfehler([str(fehler)]) from fehler
    return aus_daten(daten)


def _text(daten: dict, schluessel: str, ort: str, fehler: list[str], pflicht=True) -> str:
    wert = daten.get(schluessel)
    if wert is None or str(wert).strip() == "":
        if pflicht:
            fehler.append(f"{ort}: „{schluessel}“ fehlt.")
        return ""
    return str(wert).strip()


def _rollen(werte, ort: str, fehler: list[str]) -> list[Rolle]:
    rollen = []
    for wert in werte or []:
        try:
            rollen.append(Rolle(str(wert).strip()))
        except ValueError:
            erlaubt = ", ".join(Rolle.values)
            fehler.append(f"{ort}: unbekannte Rolle „{wert}“ (erlaubt: {erlaubt}).")
    return rollen


def _person(daten, ort, fehler) -> PersonBeschreibung:
    person = PersonBeschreibung(
        benutzername=_text(daten, "benutzername", ort, fehler).lower(),
        email=_text(daten, "email", ort, fehler),
        vorname=_text(daten, "vorname", ort, fehler, pflicht=False),
        nachname=_text(daten, "nachname", ort, fehler, pflicht=False),
        rollen=_rollen(daten.get("rollen"), ort, fehler),
        oes=[str(oe).strip() for oe in daten.get("oes") or []],
        aktiv=daten.get("aktiv", True),
    )
    if not isinstance(person.aktiv, bool):
        fehler.append(f"{ort}: „aktiv“ muss true oder false sein.")
    if person.email:
        try:
            validate_email(person.email)
        except ValidationError:
            fehler.append(f"{ort}: E-Mail-Adresse „{person.email}“ ist ungültig.")
    if person.benutzername and not re.fullmatch(r"[\w.@+-]+", person.benutzername):
        fehler.append(f"{ort}: Benutzername „{person.benutzername}“ enthält unzulässige Zeichen.")
    return person


def _objekte(daten, schluessel: str, ort: str, fehler: list[str]) -> list[tuple[int, dict]]:
    """The entries of a list of objects, numbered from 1; anything else is reported."""
    liste = daten.get(schluessel) or []
    if not isinstance(liste, list):
        fehler.append(f"{ort}: „{schluessel}“ muss eine Liste sein.")
        return []
    gut = []
    for nr, eintrag in enumerate(liste, start=1):
        if isinstance(eintrag, dict):
            gut.append((nr, eintrag))
        else:
            fehler.append(f"{ort}.{schluessel}[{nr}]: Eintrag ist kein Objekt.")
    return gut


def _kommune(daten, ort, fehler) -> KommuneBeschreibung:
    kommune = KommuneBeschreibung(
        name=_text(daten, "name", ort, fehler),
        slug=_text(daten, "slug", ort, fehler),
        ags=_text(daten, "ags", ort, fehler),
        aktenzeichen_praefix=_text(daten, "aktenzeichen_praefix", ort, fehler),
        aktenzeichen_muster=_text(daten, "aktenzeichen_muster", ort, fehler, pflicht=False)
        or AKTENZEICHEN_MUSTER_STANDARD,
    )
    for nr, oe in _objekte(daten, "organisationseinheiten", ort, fehler):
        oe_ort = f"{ort}.organisationseinheiten[{nr}]"
        kommune.organisationseinheiten.append(
            OeBeschreibung(
                kuerzel=_text(oe, "kuerzel", oe_ort, fehler),
                name=_text(oe, "name", oe_ort, fehler),
                uebergeordnet=_text(oe, "uebergeordnet", oe_ort, fehler, pflicht=False) or None,
            )
        )
    for nr, person in _objekte(daten, "personen", ort, fehler):
        kommune.personen.append(_person(person, f"{ort}.personen[{nr}]", fehler))
    _in_sich_pruefen(kommune, ort, fehler)
    return kommune


def _in_sich_pruefen(kommune: KommuneBeschreibung, ort: str, fehler: list[str]) -> None:
    kuerzel = [oe.kuerzel for oe in kommune.organisationseinheiten]
    for doppelt in sorted({k for k in kuerzel if kuerzel.count(k) > 1}):
        fehler.append(f"{ort}: OE-Kürzel „{doppelt}“ kommt doppelt vor.")
    for oe in kommune.organisationseinheiten:
        if oe.uebergeordnet and oe.uebergeordnet not in kuerzel:
            fehler.append(f"{ort}: übergeordnete OE „{oe.uebergeordnet}“ von „{oe.kuerzel}“ fehlt.")
    namen = [p.benutzername for p in kommune.personen]
    for doppelt in sorted({n for n in namen if namen.count(n) > 1}):
        fehler.append(f"{ort}: Benutzername „{doppelt}“ kommt doppelt vor.")
    for person in kommune.personen:
        for oe in person.oes:
            if oe not in kuerzel:
                fehler.append(
                    f"{ort}: {person.benutzername} ist der unbekannten OE „{oe}“ zugeordnet."
                )


def aus_daten(daten) -> VerbundBeschreibung:
    fehler: list[str] = []
    if not isinstance(daten, dict) or not isinstance(daten.get("verbund"), dict):
        raise Beschreibungsfehler(
            ["Die Beschreibung braucht „verbund“ (slug, name) und „kommunen“."]
        )
    verbund = VerbundBeschreibung(
        slug=_text(daten["verbund"], "slug", "verbund", fehler),
        name=_text(daten["verbund"], "name", "verbund", fehler),
    )
    for nr, kommune in _objekte(daten, "kommunen", "Beschreibung", fehler):
        verbund.kommunen.append(_kommune(kommune, f"kommunen[{nr}]", fehler))
    if fehler:
        raise Beschreibungsfehler(fehler)
    return verbund


# --- comparing and applying ------------------------------------------------------------------


def _verbund(beschreibung: VerbundBeschreibung, bericht: list[str]) -> Verbund:
    verbund = Verbund.objects.filter(slug=beschreibung.slug).first()
    if verbund is None:
        bericht.append(f"Verbund {beschreibung.name} angelegt")
        return services.verbund_anlegen(name=beschreibung.name, slug=beschreibung.slug)
    if verbund.name != beschreibung.name:
        bericht.append(f"Verbund {verbund.slug}: Name „{verbund.name}“ → „{beschreibung.name}“")
        verbund.name = beschreibung.name
        verbund.full_clean()
        verbund.save()
    return verbund


def _kommune_abgleichen(verbund, beschreibung: KommuneBeschreibung, bericht) -> Kommune:
    kommune = Kommune.objects.filter(slug=beschreibung.slug).first()
    felder = ["name", "ags", "aktenzeichen_praefix", "aktenzeichen_muster"]
    if kommune is None:
        bericht.append(f"Kommune {beschreibung.name} angelegt")
        return services.kommune_anlegen_ungeprueft(
            verbund=verbund, slug=beschreibung.slug, **{f: getattr(beschreibung, f) for f in felder}
        )
    if kommune.verbund_id != verbund.pk:
        raise ValidationError(f"Die Kommune „{kommune.slug}“ gehört zu einem anderen Verbund.")
    for feld in felder:
        if getattr(kommune, feld) != getattr(beschreibung, feld):
            bericht.append(
                f"{kommune.name}: {feld} „{getattr(kommune, feld)}“ → "
                f"„{getattr(beschreibung, feld)}“"
            )
            setattr(kommune, feld, getattr(beschreibung, feld))
    kommune.full_clean()
    kommune.save()
    return kommune


def _oes_abgleichen(kommune, beschreibung: KommuneBeschreibung, bericht) -> dict:
    vorhanden = {oe.kuerzel: oe for oe in kommune.organisationseinheiten.select_related("parent")}
    for oe in _eltern_zuerst(beschreibung.organisationseinheiten):
        eltern = vorhanden.get(oe.uebergeordnet) if oe.uebergeordnet else None
        einheit = vorhanden.get(oe.kuerzel)
        if einheit is None:
            vorhanden[oe.kuerzel] = services.organisationseinheit_anlegen_ungeprueft(
                kommune=kommune, name=oe.name, kuerzel=oe.kuerzel, parent=eltern
            )
            bericht.append(f"{kommune.name}: OE {oe.kuerzel} ({oe.name}) angelegt")
            continue
        if einheit.name != oe.name or einheit.parent_id != (eltern.pk if eltern else None):
            bericht.append(f"{kommune.name}: OE {oe.kuerzel} geändert")
            einheit.name, einheit.parent = oe.name, eltern
            einheit.full_clean()
            einheit.save()
    return vorhanden


def _eltern_zuerst(oes: list[OeBeschreibung]) -> list[OeBeschreibung]:
    ordnung, erledigt, offen = [], set(), list(oes)
    while offen:
        bereit = [oe for oe in offen if not oe.uebergeordnet or oe.uebergeordnet in erledigt]
        if not bereit:  # a cycle; _in_sich_pruefen has reported it already
            raise ValidationError("Die übergeordneten OEs bilden einen Zyklus.")
        for oe in bereit:
            ordnung.append(oe)
            erledigt.add(oe.kuerzel)
            offen.remove(oe)
    return ordnung


def _nicht_sich_selbst(akteur, benutzer: Benutzer, person: PersonBeschreibung) -> None:
    """As in benutzer_aendern / benutzer_deaktivieren: nobody changes their own roles or
    deactivates themselves, also not through a description."""
    selbst = (
        akteur is not None and akteur.benutzer is not None and akteur.benutzer.pk == benutzer.pk
    )
    if selbst and (set(benutzer.rollen) != set(person.rollen) or not person.aktiv):
        raise ValidationError(
            f"{person.benutzername}: Ihre eigenen Rollen ändern oder Ihr Konto deaktivieren "
            "können Sie nicht über eine Beschreibung."
        )


def _person_abgleichen(kommune, oes, person: PersonBeschreibung, bericht, akteur=None) -> None:
    einheiten = [oes[k] for k in person.oes]
    benutzer = Benutzer.objects.filter(username__iexact=person.benutzername).first()
    if benutzer is None:
        benutzer = services.benutzer_anlegen_ungeprueft(
            kommune=kommune,
            username=person.benutzername,
            email=person.email,
            first_name=person.vorname,
            last_name=person.nachname,
            rollen=person.rollen,
            organisationseinheiten=einheiten,
        )
        if not person.aktiv:
            benutzer.is_active = False
            benutzer.save(update_fields=["is_active"])
        bericht.append(f"{kommune.name}: Benutzer {person.benutzername} angelegt")
        return
    if benutzer.kommune_id != kommune.pk:
        raise ValidationError(
            f"Der Benutzername „{person.benutzername}“ ist in einer anderen Kommune vergeben."
        )
    _nicht_sich_selbst(akteur, benutzer, person)
    aenderungen = []
    for feld, name, wert in (
        ("email", "E-Mail-Adresse", person.email),
        ("first_name", "Vorname", person.vorname),
        ("last_name", "Nachname", person.nachname),
        ("is_active", "aktiv", person.aktiv),
    ):
        if getattr(benutzer, feld) != wert:
            setattr(benutzer, feld, wert)
            aenderungen.append(name)
    if aenderungen:
        benutzer.full_clean(exclude=["password"])
        benutzer.save()
    if set(benutzer.rollen) != set(person.rollen):
        services.benutzer_rollen_setzen(benutzer=benutzer, rollen=person.rollen)
        aenderungen.append("Rollen")
    if {oe.pk for oe in benutzer.organisationseinheiten.all()} != {oe.pk for oe in einheiten}:
        services.benutzer_oes_setzen(benutzer=benutzer, organisationseinheiten=einheiten)
        aenderungen.append("Organisationseinheiten")
    if aenderungen:
        bericht.append(
            f"{kommune.name}: Benutzer {person.benutzername} geändert ({', '.join(aenderungen)})"
        )


class _Probelauf(Exception):
    pass


def _darf_aufnehmen(akteur: Akteur, beschreibung: VerbundBeschreibung) -> None:
    """The system may apply any description (`kommunen_einspielen`, the roll-out file is the
    operator's); a person only as Verbund-Admin and only into their own Verbund."""
    if akteur.ist_system:
        return
    person = akteur.benutzer
    if not darf(person, "kommunen.verbund_verwalten"):
        raise PermissionDenied("Nur Verbund-Admins nehmen Kommunen auf.")
    if person.kommune.verbund.slug != beschreibung.slug:
        raise PermissionDenied("Kommunen nehmen Sie nur in Ihren eigenen Verbund auf.")


def _protokollieren(akteur: Akteur, kommune: Kommune, neu: bool, zeilen: list[str]) -> None:
    if not zeilen:
        return
    protokollieren(
        kommune_id=kommune.pk,
        aktion=Aktion.KOMMUNE_AUFGENOMMEN if neu else Aktion.GEAENDERT,
        akteur=akteur,
        beschreibung=(
            f"Kommune {kommune.name} in den Verbund aufgenommen"
            if neu
            else f"Kommune {kommune.name} nach Beschreibung abgeglichen ({len(zeilen)} "
            f"{ngettext('Änderung', 'Änderungen', len(zeilen))})"
        ),
        objekt=kommune,
        details={"aenderungen": zeilen},
    )


def abgleichen(
    beschreibung: VerbundBeschreibung, *, akteur: Akteur, probelauf: bool = False
) -> list[str]:
    """Apply the description; return one German line per change. All or nothing. Each Kommune
    that changed gets one entry in its Protokoll naming the actor (a person or the system)."""
    _darf_aufnehmen(akteur, beschreibung)
    bericht: list[str] = []
    try:
        with transaction.atomic():
            verbund = _verbund(beschreibung, bericht)
            for kommune_beschreibung in beschreibung.kommunen:
                neu = not Kommune.objects.filter(slug=kommune_beschreibung.slug).exists()
                anfang = len(bericht)
                kommune = _kommune_abgleichen(verbund, kommune_beschreibung, bericht)
                oes = _oes_abgleichen(kommune, kommune_beschreibung, bericht)
                for person in kommune_beschreibung.personen:
                    _person_abgleichen(kommune, oes, person, bericht, akteur)
                _protokollieren(akteur, kommune, neu, bericht[anfang:])
            if probelauf:
                raise _Probelauf
    except _Probelauf:
        pass
    except ValidationError as fehler:
        raise Beschreibungsfehler(fehler.messages) from fehler
    return bericht
