"""Every write to Akten, Vorgänge, Dokumente and Wiedervorlagen; each one writes the Protokoll.

Every service takes the actor (`akteur`, eakte.common.akteur): the person and how they signed in,
or the system. Checks ask the named rules (regeln.py) for `akteur.benutzer` and raise
PermissionDenied (views answer 404 for what the person cannot see at all, so these only fire for
visible objects; the system is no person and passes no rule); rule violations raise a German
ValidationError.

The OCR and the search are set off by signals (signale.py), not imported: akten is the lower app.
Lock order of every write: the Akte row first (FOR UPDATE), then the Dokument, then rows that are
inserted (Datei, Version, Verarbeitung, counters), the Protokoll (advisory lock) last; see
docs/architektur.md.
"""

from datetime import date

from celery import current_app
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from aktenplan import selectors as aktenplan_selectors
from aktenplan.models import Aktenplaneinheit
from eakte.common.akteur import Akteur
from eakte.common.regeln import darf, pruefen
from eakte.kommunen.models import Benutzer, Organisationseinheit
from eakte.protokoll.darstellung import feldnamen
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren

from .. import aktenzeichen, dateien, selectors, signale
from ..models import (
    Akte,
    AkteGruppenfreigabe,
    Datei,
    Dokument,
    Dokumenttyp,
    Freigabegruppe,
    Version,
    Vorgang,
    Wiedervorlage,
)

ZDA_MELDUNG = "Die Akte ist zu den Akten verfügt (zdA) und kann nicht mehr geändert werden."
NUR_LESEN = "Sie dürfen diese Akte nur lesen."
NUR_FEDERFUEHRUNG = "Nur die federführende Organisationseinheit verwaltet Freigaben."


def _heute() -> date:
    return timezone.localdate()


def _log(akteur: Akteur, aktion, beschreibung, *, akte, objekt=None, details=None):
    protokollieren(
        kommune_id=akte.kommune_id,
        akteur=akteur,
        aktion=aktion,
        beschreibung=beschreibung,
        objekt=objekt or akte,
        akte=akte,
        details=details,
    )


def ausgesondert_pruefen(akte: Akte) -> None:
    """A handed-over or deleted Akte is a read-only stub (German reason, before any rule)."""
    if akte.ist_ausgesondert:
        raise ValidationError(akte.ausgesondert_meldung)


def _schreibrecht_pruefen(akteur: Akteur, akte: Akte) -> None:
    ausgesondert_pruefen(akte)
    pruefen(akteur.benutzer, "akten.schreiben", akte, meldung=NUR_LESEN)


def _person(akteur: Akteur) -> Benutzer:
    """The person acting; the system creates no records of its own."""
    if akteur.benutzer is None:
        raise PermissionDenied("Das System legt keine Akten oder Dokumente in eigenem Namen an.")
    return akteur.benutzer


def offen_pruefen(akte: Akte, vorgang: Vorgang | None = None) -> None:
    ausgesondert_pruefen(akte)
    if akte.ist_zda:
        raise ValidationError(ZDA_MELDUNG)
    if vorgang is not None and vorgang.ist_zda:
        raise ValidationError(
            "Der Vorgang ist zu den Akten verfügt (zdA) und kann nicht mehr geändert werden."
        )


def _gesperrt(akte: Akte) -> Akte:
    """The Akte row locked for this transaction (zdA, numbering and uploads wait for each other)."""
    return Akte.objects.select_for_update().get(pk=akte.pk)


# --- Akten ---------------------------------------------------------------------------------


def _oe_pruefen(kommune_id: int, oe: Organisationseinheit, feld: str) -> None:
    """The OE must be active and belong to the Kommune that owns the Akte (a grantee from
    another Kommune must not hand an Akte to an OE of their own Kommune)."""
    if oe.kommune_id != kommune_id or not oe.aktiv:
        raise ValidationError(
            {feld: "Bitte eine aktive Organisationseinheit Ihrer Kommune wählen."}
        )


def _einheit_pruefen(benutzer: Benutzer | None, einheit: Aktenplaneinheit) -> None:
    ablagefaehig = aktenplan_selectors.ablagefaehig(aktenplan_selectors.einheiten_fuer(benutzer))
    if not ablagefaehig.filter(pk=einheit.pk).exists():
        raise ValidationError(
            {
                "aktenplaneinheit": (
                    f"Unter „{einheit}“ können keine Akten angelegt werden: bitte eine aktive "
                    "Einheit der untersten Ebene des Aktenplans wählen."
                )
            }
        )


@transaction.atomic
def akte_anlegen(
    *,
    akteur: Akteur,
    aktenplaneinheit: Aktenplaneinheit,
    betreff: str,
    federfuehrende_oe: Organisationseinheit,
    aktenfuehrende_oe: Organisationseinheit | None = None,
    vertraulichkeit: str = "offen",
    beginn: date | None = None,
) -> Akte:
    benutzer = _person(akteur)
    aktenfuehrende_oe = aktenfuehrende_oe or federfuehrende_oe
    _einheit_pruefen(benutzer, aktenplaneinheit)
    _oe_pruefen(benutzer.kommune_id, federfuehrende_oe, "federfuehrende_oe")
    _oe_pruefen(benutzer.kommune_id, aktenfuehrende_oe, "aktenfuehrende_oe")
    if not darf(benutzer, "akten.anlegen_fuer", federfuehrende_oe):
        raise ValidationError(
            {
                "federfuehrende_oe": (
                    "Sie können Akten nur für Ihre eigene Organisationseinheit anlegen."
                )
            }
        )
    betreff = betreff.strip()
    if not betreff:
        raise ValidationError({"betreff": "Bitte einen Betreff angeben."})
    jahr = _heute().year
    akte = Akte(
        kommune=benutzer.kommune,
        aktenplaneinheit=aktenplaneinheit,
        betreff=betreff,
        federfuehrende_oe=federfuehrende_oe,
        aktenfuehrende_oe=aktenfuehrende_oe,
        kennzeichen=aktenplaneinheit.kennzeichen,
        jahr=jahr,
        vertraulichkeit=vertraulichkeit,
        beginn=beginn or _heute(),
        angelegt_von=benutzer,
    )
    aktenzeichen.vergeben(akte)
    akte.save(force_insert=True)
    _log(akteur, Aktion.ANGELEGT, f"Akte „{akte.betreff}“ angelegt", akte=akte)
    return akte


AKTE_AENDERBAR = ("betreff", "vertraulichkeit", "federfuehrende_oe", "aktenfuehrende_oe")


@transaction.atomic
def akte_aendern(*, akteur: Akteur, akte: Akte, **neu) -> Akte:
    """Change Betreff, Vertraulichkeit, OEs or (a move) the Aktenplaneinheit of an open Akte.

    The Aktenzeichen never changes: it was given once and is cited in letters.
    """
    akte = _gesperrt(akte)
    _schreibrecht_pruefen(akteur, akte)
    offen_pruefen(akte)
    _aenderung_pruefen(akteur, akte, neu)
    vorher, nachher = {}, {}
    for feld, wert in neu.items():
        alt = getattr(akte, feld)
        if alt != wert:
            vorher[feld], nachher[feld] = str(alt), str(wert)
            setattr(akte, feld, wert)
    if not nachher:
        return akte
    akte.save()
    signale.akte_geaendert.send(sender=Akte, akte_id=akte.pk)
    aktion = Aktion.VERSCHOBEN if "aktenplaneinheit" in nachher else Aktion.GEAENDERT
    text = "Akte umgehängt" if aktion == Aktion.VERSCHOBEN else "Akte geändert"
    _log(
        akteur,
        aktion,
        f"{text}: {feldnamen(nachher)}",
        akte=akte,
        details={"vorher": vorher, "nachher": nachher},
    )
    return akte


def _aenderung_pruefen(akteur: Akteur, akte: Akte, neu: dict) -> None:
    """Refuse unknown fields, a change of Zuständigkeit by others than the federführende OE,
    OEs of another Kommune, an inactive Aktenplan unit and an empty Betreff (strips it)."""
    unbekannt = set(neu) - {*AKTE_AENDERBAR, "aktenplaneinheit"}
    if unbekannt:
        raise ValueError(f"nicht änderbar: {unbekannt}")
    for feld in ("federfuehrende_oe", "aktenfuehrende_oe"):
        if feld in neu and neu[feld].pk != getattr(akte, f"{feld}_id"):
            if not darf(akteur.benutzer, "akten.zustaendigkeit_aendern", akte):
                raise PermissionDenied(
                    "Die Zuständigkeit ändert nur die federführende Organisationseinheit."
                )
            _oe_pruefen(akte.kommune_id, neu[feld], feld)
    if "aktenplaneinheit" in neu and neu["aktenplaneinheit"].pk != akte.aktenplaneinheit_id:
        _einheit_pruefen(akteur.benutzer, neu["aktenplaneinheit"])
    if "betreff" in neu:
        neu["betreff"] = neu["betreff"].strip()
        if not neu["betreff"]:
            raise ValidationError({"betreff": "Bitte einen Betreff angeben."})


def aufbewahrung_bis(akte: Akte, zda_am: date) -> date | None:
    """31.12. of the closing year plus the unit's Frist; None for unbefristet."""
    frist = akte.aktenplaneinheit.aufbewahrungsfrist
    return None if frist is None else date(zda_am.year + frist, 12, 31)


@transaction.atomic
def akte_zda(*, akteur: Akteur, akte: Akte) -> Akte:
    akte = _gesperrt(akte)
    _schreibrecht_pruefen(akteur, akte)
    if akte.ist_zda:
        raise ValidationError("Die Akte ist bereits zu den Akten verfügt.")
    signale.zda_pruefen.send(sender=Akte, akte=akte, vorgang=None)
    heute = _heute()
    akte.zda_am, akte.zda_durch, akte.ende = heute, akteur.benutzer, heute
    akte.aufbewahrung_bis = aufbewahrung_bis(akte, heute)
    akte.save()
    signale.akte_geaendert.send(sender=Akte, akte_id=akte.pk)
    _log(
        akteur,
        Aktion.ZDA,
        "Akte zu den Akten verfügt (zdA)",
        akte=akte,
        details={"aufbewahrung_bis": str(akte.aufbewahrung_bis or "unbefristet")},
    )
    return akte


@transaction.atomic
def akte_wiedereroeffnen(*, akteur: Akteur, akte: Akte, grund: str) -> Akte:
    akte = _gesperrt(akte)
    ausgesondert_pruefen(akte)
    pruefen(
        akteur.benutzer,
        "akten.wiedereroeffnen",
        akte,
        meldung="Nur Kommunen-Admins können Akten wieder eröffnen.",
    )
    if not akte.ist_zda:
        raise ValidationError("Die Akte ist nicht zu den Akten verfügt.")
    if not grund.strip():
        raise ValidationError({"grund": "Bitte einen Grund für die Wiedereröffnung angeben."})
    vorher = str(akte.zda_am)
    akte.zda_am = akte.zda_durch = akte.ende = akte.aufbewahrung_bis = None
    akte.save()
    signale.akte_geaendert.send(sender=Akte, akte_id=akte.pk)
    _log(
        akteur,
        Aktion.WIEDEREROEFFNET,
        f"Akte wieder eröffnet: {grund.strip()}",
        akte=akte,
        details={"zda_am_vorher": vorher},
    )
    return akte


# --- Freigaben -----------------------------------------------------------------------------


def _nur_federfuehrung(akteur: Akteur, akte: Akte) -> None:
    ausgesondert_pruefen(akte)
    pruefen(akteur.benutzer, "akten.freigeben", akte, meldung=NUR_FEDERFUEHRUNG)


def freigaberechte_setzen(inhaber, akte: Akte, *, schreiben: bool) -> None:
    """The guardian permissions of one share (a person or an OE's group); no checks, no log."""
    assign_perm(selectors.LESEN, inhaber, akte)
    if schreiben:
        assign_perm(selectors.SCHREIBEN, inhaber, akte)
    else:
        remove_perm(selectors.SCHREIBEN, inhaber, akte)


def freigaberechte_entziehen(inhaber, akte: Akte) -> None:
    remove_perm(selectors.LESEN, inhaber, akte)
    remove_perm(selectors.SCHREIBEN, inhaber, akte)


@transaction.atomic
def akte_freigeben(
    *,
    akteur: Akteur,
    akte: Akte,
    empfaenger: Benutzer,
    schreiben: bool = False,
) -> None:
    """Share with one person of the Verbund (mutual support in the IKZ), read-only or read-write."""
    _nur_federfuehrung(akteur, akte)
    offen_pruefen(akte)
    if empfaenger.kommune.verbund_id != akte.kommune.verbund_id or not empfaenger.is_active:
        raise ValidationError({"empfaenger": "Diese Person gibt es im Verbund nicht."})
    if empfaenger.pk == akteur.benutzer.pk:
        raise ValidationError(
            {"empfaenger": "Sie können eine Akte nicht für sich selbst freigeben."}
        )
    neu = not akte.freigaben.filter(user=empfaenger).exists()
    freigaberechte_setzen(empfaenger, akte, schreiben=schreiben)
    art = "lesen und bearbeiten" if schreiben else "nur lesen"
    if neu and empfaenger.email:
        # a notice by e-mail (the start page lists new shares too)
        ids = [akte.pk, empfaenger.pk, akteur.benutzer.pk]
        transaction.on_commit(
            lambda: current_app.send_task("eakte.akten.freigabe_melden", args=ids)
        )
    _log(
        akteur,
        Aktion.FREIGEGEBEN,
        f"Akte für {empfaenger} ({empfaenger.kommune}) freigegeben: {art}",
        akte=akte,
        details={"empfaenger": empfaenger.username, "schreiben": schreiben},
    )


@transaction.atomic
def freigabe_entziehen(*, akteur: Akteur, akte: Akte, empfaenger: Benutzer) -> None:
    _nur_federfuehrung(akteur, akte)
    freigaberechte_entziehen(empfaenger, akte)
    _log(
        akteur,
        Aktion.FREIGABE_ENTZOGEN,
        f"Freigabe für {empfaenger} entzogen",
        akte=akte,
        details={"empfaenger": empfaenger.username},
    )


def freigabegruppe(oe: Organisationseinheit) -> Group:
    """The guardian group standing for the whole OE (created on first use); no checks, no log."""
    return _freigabegruppe(oe)


def akte_aussondern_ungeprueft(akte: Akte, *, verbleib: str, am, nach: str) -> None:
    """Building block of the Aussonderung (which checks and logs): the Akte becomes a read-only
    stub, "archiviert am … (an <Archiv>)" or "gelöscht am … (Löschlauf …)"."""
    Akte.objects.filter(pk=akte.pk).update(
        verbleib=verbleib, ausgesondert_am=am, ausgesondert_nach=nach[:300]
    )
    akte.verbleib, akte.ausgesondert_am, akte.ausgesondert_nach = verbleib, am, nach[:300]


def loeschsperre_vermerken_ungeprueft(akte: Akte, *, grund: str) -> None:
    """Building block of the Aussonderung: the reason of the active Löschsperre ("" = none),
    kept on the Akte so lists, search results and the API show it without a further query."""
    Akte.objects.filter(pk=akte.pk).update(loeschsperre_grund=grund[:1000])
    akte.loeschsperre_grund = grund[:1000]


def dokument_einfrieren_ungeprueft(dokument: Dokument, version: Version | None) -> None:
    """Freeze `dokument` at `version` (Schlusszeichnung) or thaw it (None: a new Geschäftsgang);
    the Geschäftsgang checks and logs."""
    Dokument.objects.filter(pk=dokument.pk).update(schlussgezeichnete_version=version)
    dokument.schlussgezeichnete_version = version


def _freigabegruppe(oe: Organisationseinheit) -> Group:
    zuordnung = Freigabegruppe.objects.filter(oe=oe).select_related("gruppe").first()
    if zuordnung is None:
        gruppe = Group.objects.create(name=f"Freigaben OE {oe.uuid}")
        zuordnung = Freigabegruppe.objects.create(oe=oe, gruppe=gruppe)
    return zuordnung.gruppe


@transaction.atomic
def akten_der_oe_uebernehmen(
    *, akteur: Akteur, quelle: Organisationseinheit, ziel: Organisationseinheit
) -> int:
    """When OE `quelle` is merged into `ziel` (kommunen.services): its Akten, open or zdA, are
    led (federführend / aktenführend) by `ziel` from now on, each with a Protokoll entry, the
    search index learns the new OE, and what was shared with `quelle` as a whole is shared with
    `ziel`. Without this the Akten would stay with an OE that has no members left. The caller
    checks the right to merge. Returns the number of Akten."""
    akten = list(
        Akte.objects.select_for_update()
        .filter(Q(federfuehrende_oe=quelle) | Q(aktenfuehrende_oe=quelle))
        .order_by("pk")
    )
    for akte in akten:
        felder = [
            feld
            for feld in ("federfuehrende_oe", "aktenfuehrende_oe")
            if getattr(akte, f"{feld}_id") == quelle.pk
        ]
        for feld in felder:
            setattr(akte, feld, ziel)
        akte.save(update_fields=felder)
        _log(
            akteur,
            Aktion.GEAENDERT,
            f"Akte geändert: {feldnamen(felder)} (OE {quelle.name} in {ziel.name} aufgegangen)",
            akte=akte,
            details={
                "vorher": dict.fromkeys(felder, str(quelle)),
                "nachher": dict.fromkeys(felder, str(ziel)),
            },
        )
    signale.oe_umgehaengt.send(sender=Organisationseinheit, alt_id=quelle.pk, neu_id=ziel.pk)
    _oe_freigaben_uebertragen(akteur, quelle, ziel)
    return len(akten)


def _oe_freigaben_uebertragen(
    akteur: Akteur, quelle: Organisationseinheit, ziel: Organisationseinheit
) -> None:
    """Shares with `quelle` as a whole go to `ziel`, logged in the Protokoll of each shared
    Akte's Kommune (the sharing side learns who can read its Akte now)."""
    zuordnung = Freigabegruppe.objects.filter(oe=quelle).select_related("gruppe").first()
    if zuordnung is None:
        return
    freigaben = list(
        AkteGruppenfreigabe.objects.filter(group=zuordnung.gruppe).select_related(
            "permission", "content_object"
        )
    )
    if not freigaben:
        return
    neu = _freigabegruppe(ziel)
    je_akte: dict[int, tuple[Akte, set[str]]] = {}
    for freigabe in freigaben:
        akte = freigabe.content_object
        je_akte.setdefault(akte.pk, (akte, set()))[1].add(freigabe.permission.codename)
    AkteGruppenfreigabe.objects.filter(pk__in=[f.pk for f in freigaben]).delete()
    for akte, rechte in je_akte.values():
        if akte.federfuehrende_oe_id == ziel.pk:
            continue  # the Akte is led by ziel itself now
        for recht in sorted(rechte):
            assign_perm(recht, neu, akte)
        schreiben = selectors.SCHREIBEN in rechte
        art = "lesen und bearbeiten" if schreiben else "nur lesen"
        _log(
            akteur,
            Aktion.FREIGEGEBEN,
            f"Freigabe an die OE {quelle.name} ({quelle.kommune}) geht auf die OE {ziel.name} "
            f"über (zusammengelegt): {art}",
            akte=akte,
            details={"oe": str(ziel.uuid), "vorher_oe": str(quelle.uuid), "schreiben": schreiben},
        )


@transaction.atomic
def akte_fuer_oe_freigeben(
    *,
    akteur: Akteur,
    akte: Akte,
    oe: Organisationseinheit,
    schreiben: bool = False,
) -> None:
    """Share with every member of an OE of the Verbund (also of another Kommune)."""
    _nur_federfuehrung(akteur, akte)
    offen_pruefen(akte)
    if oe.kommune.verbund_id != akte.kommune.verbund_id or not oe.aktiv:
        raise ValidationError({"oe": "Diese Organisationseinheit gibt es im Verbund nicht."})
    if oe.pk == akte.federfuehrende_oe_id:
        raise ValidationError({"oe": "Die federführende Organisationseinheit hat die Akte schon."})
    gruppe = _freigabegruppe(oe)
    freigaberechte_setzen(gruppe, akte, schreiben=schreiben)
    art = "lesen und bearbeiten" if schreiben else "nur lesen"
    _log(
        akteur,
        Aktion.FREIGEGEBEN,
        f"Akte für die Organisationseinheit {oe.name} ({oe.kommune}) freigegeben: {art}",
        akte=akte,
        details={"oe": str(oe.uuid), "schreiben": schreiben},
    )


@transaction.atomic
def oe_freigabe_entziehen(*, akteur: Akteur, akte: Akte, oe: Organisationseinheit) -> None:
    _nur_federfuehrung(akteur, akte)
    gruppe = _freigabegruppe(oe)
    freigaberechte_entziehen(gruppe, akte)
    _log(
        akteur,
        Aktion.FREIGABE_ENTZOGEN,
        f"Freigabe für die Organisationseinheit {oe.name} ({oe.kommune}) entzogen",
        akte=akte,
        details={"oe": str(oe.uuid)},
    )


# --- Vorgänge ------------------------------------------------------------------------------


@transaction.atomic
def vorgang_anlegen(*, akteur: Akteur, akte: Akte, betreff: str) -> Vorgang:
    akte = _gesperrt(akte)
    _schreibrecht_pruefen(akteur, akte)
    offen_pruefen(akte)
    if not betreff.strip():
        raise ValidationError({"betreff": "Bitte einen Betreff angeben."})
    akte.letzte_vorgangsnummer += 1
    akte.save(update_fields=["letzte_vorgangsnummer"])
    vorgang = Vorgang.objects.create(
        kommune_id=akte.kommune_id,
        akte=akte,
        nummer=akte.letzte_vorgangsnummer,
        vorgangszeichen=f"{akte.aktenzeichen}/{akte.letzte_vorgangsnummer}",
        betreff=betreff.strip(),
        angelegt_von=_person(akteur),
    )
    aktenzeichen.nachtragen(akte, vorgang)
    signale.vorgang_angelegt.send(sender=Vorgang, vorgang=vorgang)
    _log(
        akteur,
        Aktion.ANGELEGT,
        f"Vorgang {vorgang.vorgangszeichen} „{vorgang.betreff}“ angelegt",
        akte=akte,
        objekt=vorgang,
    )
    return vorgang


@transaction.atomic
def vorgang_zda(*, akteur: Akteur, vorgang: Vorgang) -> Vorgang:
    akte = _gesperrt(vorgang.akte)
    _schreibrecht_pruefen(akteur, akte)
    offen_pruefen(akte, vorgang)
    signale.zda_pruefen.send(sender=Vorgang, akte=akte, vorgang=vorgang)
    vorgang.zda_am, vorgang.zda_durch = _heute(), akteur.benutzer
    vorgang.save(update_fields=["zda_am", "zda_durch"])
    signale.vorgang_zda_verfuegt.send(sender=Vorgang, vorgang_id=vorgang.pk)
    _log(
        akteur,
        Aktion.ZDA,
        f"Vorgang {vorgang.vorgangszeichen} zu den Akten verfügt",
        akte=akte,
        objekt=vorgang,
    )
    return vorgang


# --- Dokumente und Versionen ---------------------------------------------------------------


def _version_speichern(
    *, akteur: Akteur, dokument: Dokument, datei=None, gespeichert: Datei | None = None,
    dateiname: str = "", kommentar: str = "", indexieren: bool = True, erste: bool = False,
) -> Version:  # fmt: skip
    """The next Version of `dokument`: an uploaded file (checked, stored) or stored content.
    `erste`: the Dokument was just created with letzte_versionsnummer = 1 for this Version."""
    if gespeichert is None:
        pruefung = dateien.pruefen(datei)
        gespeichert, _ = dateien.ablegen(kommune=dokument.kommune, datei=datei, pruefung=pruefung)
        dateiname = dateiname or getattr(datei, "name", "")
    elif gespeichert.kommune_id != dokument.kommune_id:
        raise ValidationError("Dateien bleiben in ihrer Kommune.")
    if not erste:
        dokument.letzte_versionsnummer += 1
        dokument.save(update_fields=["letzte_versionsnummer", "geaendert_am"])
    version = Version.objects.create(
        kommune_id=dokument.kommune_id,
        dokument=dokument,
        nummer=dokument.letzte_versionsnummer,
        datei=gespeichert,
        dateiname=dateiname_bereinigen(dateiname or "datei"),
        kommentar=kommentar.strip(),
        hochgeladen_von=_person(akteur),
    )
    # the OCR queues the content (once per content), the search indexes the Dokument
    signale.datei_gespeichert.send(sender=Datei, datei=gespeichert, hochgeladen=datei)
    if indexieren:
        signale.dokumente_geaendert.send(sender=Dokument, dokument_ids=[dokument.pk])
    return version


def dateiname_bereinigen(name: str) -> str:
    """Keep the sender's name readable but without any path (C:\\fakepath\\…, ../../)."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip().strip(".")
    name = "".join(zeichen for zeichen in name if zeichen.isprintable())
    return name[:255] or "datei"


@transaction.atomic
def dokument_ablegen(
    *,
    akteur: Akteur,
    vorgang: Vorgang,
    datei=None,
    gespeichert: Datei | None = None,
    dateiname: str = "",
    titel: str = "",
    typ: str = Dokumenttyp.EINGANG,
    posteingangsdatum: date | None = None,
    postausgangsdatum: date | None = None,
    absender: str = "",
    empfaenger: str = "",
    bemerkung: str = "",
    anlage_zu: Dokument | None = None,
    wie: str = "hochgeladen",
    details: dict | None = None,
) -> Version:
    """File a new Dokument with its first Version into `vorgang`: the one way Dokumente come
    into an Akte (the upload page and API, the Posteingang, the cover-sheet filing).

    Either `datei` (an uploaded file: checked by content, stored) or `gespeichert` (content
    already stored in the Akte's Kommune, e.g. a Posteingang item). Write permission on the Akte,
    Akte and Vorgang open, the Akte row locked. Refused files raise a German ValidationError and
    leave nothing behind. `anlage_zu`: the e-mail (a Dokument of the same Akte) this one was
    attached to. `wie` and `details` go into the Protokoll entry.
    """
    akte = _gesperrt(vorgang.akte)
    _schreibrecht_pruefen(akteur, akte)
    offen_pruefen(akte, vorgang)
    return _dokument_anlegen(
        akteur=akteur, akte=akte, vorgang=vorgang, datei=datei, gespeichert=gespeichert,
        dateiname=dateiname, titel=titel, typ=typ, posteingangsdatum=posteingangsdatum,
        postausgangsdatum=postausgangsdatum, absender=absender, empfaenger=empfaenger,
        bemerkung=bemerkung, anlage_zu=anlage_zu, wie=wie, details=details,
    )  # fmt: skip


@transaction.atomic
def dokumente_ablegen(
    *, akteur: Akteur, vorgang: Vorgang, haupt: dict, anlagen: list[dict] = (), **gemeinsam
) -> list[Version]:
    """File one Dokument (`haupt`) and its attachments (`anlagen`, filed as `anlage_zu` it) into
    `vorgang` in one go, e.g. a submission of the Antragseingang: the Akte locked, the write
    permission and the open state asked once, the search index computed once for all of them.
    Each dict holds the arguments of `dokument_ablegen` for that Dokument; `gemeinsam` those
    shared by all. Returns the Versions, `haupt`'s first. Every Dokument gets its own Protokoll
    entry, as with `dokument_ablegen`."""
    akte = _gesperrt(vorgang.akte)
    _schreibrecht_pruefen(akteur, akte)
    offen_pruefen(akte, vorgang)
    anlegen = {"akteur": akteur, "akte": akte, "vorgang": vorgang, "indexieren": False}
    versionen = [_dokument_anlegen(**anlegen, **gemeinsam, **haupt)]
    for anlage in anlagen:
        versionen.append(
            _dokument_anlegen(**anlegen, **gemeinsam, **anlage, anlage_zu=versionen[0].dokument)
        )
    if not aktenzeichen.vorlaeufig(akte):  # else: reindexed when the number is given
        signale.dokumente_geaendert.send(
            sender=Dokument, dokument_ids=[version.dokument_id for version in versionen]
        )
    return versionen


def _dokument_anlegen(
    *, akteur: Akteur, akte: Akte, vorgang: Vorgang, datei=None, gespeichert: Datei | None = None,
    dateiname: str = "", titel: str = "", typ: str = Dokumenttyp.EINGANG,
    posteingangsdatum: date | None = None, postausgangsdatum: date | None = None,
    absender: str = "", empfaenger: str = "", bemerkung: str = "",
    anlage_zu: Dokument | None = None, wie: str = "hochgeladen", details: dict | None = None,
    indexieren: bool = True,
) -> Version:  # fmt: skip
    """A new Dokument with its first Version in the locked, writable, open `akte`."""
    if (datei is None) == (gespeichert is None):
        raise ValueError("Genau eines von datei und gespeichert angeben.")
    if anlage_zu is not None and anlage_zu.akte_id != akte.pk:
        raise ValidationError("Eine Anlage wird in der Akte ihrer E-Mail abgelegt.")
    dateiname = dateiname_bereinigen(dateiname or getattr(datei, "name", "") or "datei")
    dokument = Dokument.objects.create(
        kommune_id=akte.kommune_id,
        akte=akte,
        vorgang=vorgang,
        titel=(titel.strip() or dateiname.rsplit(".", 1)[0])[:500],
        typ=typ,
        posteingangsdatum=posteingangsdatum,
        postausgangsdatum=postausgangsdatum,
        absender=absender.strip(),
        empfaenger=empfaenger.strip(),
        bemerkung=bemerkung.strip(),
        anlage_zu=anlage_zu,
        angelegt_von=_person(akteur),
        letzte_versionsnummer=1,
    )
    version = _version_speichern(
        akteur=akteur, dokument=dokument, datei=datei, gespeichert=gespeichert,
        dateiname=dateiname, erste=True,
        # a new Akte's number is still to come: its end reindexes every Dokument of the Akte
        indexieren=indexieren and not aktenzeichen.vorlaeufig(akte),
    )  # fmt: skip
    _log(
        akteur,
        Aktion.HOCHGELADEN,
        f"Dokument „{dokument.titel}“ {wie} ({version.dateiname})",
        akte=akte,
        objekt=dokument,
        details={
            "vorgang": vorgang.vorgangszeichen,
            "sha256": version.datei.sha256,
            **(details or {}),
        },
    )
    return version


def dokument_hochladen(*, akteur: Akteur, vorgang: Vorgang, datei, **angaben) -> Version:
    """An uploaded file as a new Dokument (dokument_ablegen with `datei`)."""
    return dokument_ablegen(akteur=akteur, vorgang=vorgang, datei=datei, **angaben)


@transaction.atomic
def version_hochladen(*, akteur: Akteur, dokument: Dokument, datei, kommentar: str = "") -> Version:
    akte = _gesperrt(dokument.akte)
    _schreibrecht_pruefen(akteur, akte)
    offen_pruefen(akte, dokument.vorgang)
    dokument = Dokument.objects.select_for_update().get(pk=dokument.pk)
    if dokument.storniert_am is not None:
        raise ValidationError(STORNIERT)
    if dokument.schlussgezeichnete_version_id is not None:
        raise ValidationError(
            "Dieses Dokument ist schlussgezeichnet: eine neue Version entsteht erst mit einem "
            "neuen Geschäftsgang."
        )
    version = _version_speichern(akteur=akteur, dokument=dokument, datei=datei, kommentar=kommentar)
    _log(
        akteur,
        Aktion.HOCHGELADEN,
        f"Neue Version {version.nummer} von „{dokument.titel}“ hochgeladen ({version.dateiname})",
        akte=akte,
        objekt=dokument,
        details={"sha256": version.datei.sha256},
    )
    return version


def version_ablegen_ungeprueft(
    *, akteur: Akteur, dokument: Dokument, datei, kommentar: str = ""
) -> Version:
    """A Version made by the system inside a checked write (the electronic signature at
    Schlusszeichnung): no rule asked here, and the freeze does not apply; the caller logs."""
    return _version_speichern(akteur=akteur, dokument=dokument, datei=datei, kommentar=kommentar)


DOKUMENT_AENDERBAR = (
    "titel",
    "typ",
    "posteingangsdatum",
    "postausgangsdatum",
    "absender",
    "empfaenger",
    "bemerkung",
)


@transaction.atomic
def dokument_aendern(*, akteur: Akteur, dokument: Dokument, **neu) -> Dokument:
    akte = _gesperrt(dokument.akte)
    _schreibrecht_pruefen(akteur, akte)
    offen_pruefen(akte, dokument.vorgang)
    if set(neu) - set(DOKUMENT_AENDERBAR):
        raise ValueError(f"nicht änderbar: {set(neu) - set(DOKUMENT_AENDERBAR)}")
    if "titel" in neu and not neu["titel"].strip():
        raise ValidationError({"titel": "Bitte einen Titel angeben."})
    vorher, nachher = {}, {}
    for feld, wert in neu.items():
        if getattr(dokument, feld) != wert:
            vorher[feld], nachher[feld] = str(getattr(dokument, feld)), str(wert)
            setattr(dokument, feld, wert)
    if nachher:
        dokument.save()
        signale.dokumente_geaendert.send(sender=Dokument, dokument_ids=[dokument.pk])
        _log(
            akteur,
            Aktion.GEAENDERT,
            f"Dokument „{dokument.titel}“ geändert: {feldnamen(nachher)}",
            akte=akte,
            objekt=dokument,
            details={"vorher": vorher, "nachher": nachher},
        )
    return dokument


@transaction.atomic
def dokument_verschieben(*, akteur: Akteur, dokument: Dokument, ziel: Vorgang) -> Dokument:
    """Into another Vorgang of the same Kommune; both Akten must be open and writable."""
    if ziel.kommune_id != dokument.kommune_id:
        raise ValidationError({"ziel": "Dokumente bleiben in ihrer Kommune."})
    # two Akten are locked in the order of their ids (one lock order: two moves in opposite
    # directions wait for each other instead of deadlocking)
    gesperrt = {
        akte.pk: akte
        for akte in Akte.objects.select_for_update()
        .filter(pk__in={dokument.akte_id, ziel.akte_id})
        .order_by("pk")
    }
    quelle_akte, ziel_akte = gesperrt[dokument.akte_id], gesperrt[ziel.akte_id]
    for akte, vorgang in ((quelle_akte, dokument.vorgang), (ziel_akte, ziel)):
        _schreibrecht_pruefen(akteur, akte)
        offen_pruefen(akte, vorgang)
    if ziel.pk == dokument.vorgang_id:
        raise ValidationError({"ziel": "Das Dokument liegt bereits in diesem Vorgang."})
    if dokument.storniert_am is not None:
        raise ValidationError(STORNIERT)
    von = dokument.vorgang.vorgangszeichen
    details = {"von": von, "nach": ziel.vorgangszeichen}
    if ziel_akte.pk != quelle_akte.pk:
        # an e-mail and its attachments stay in one Akte (whoever sees one sees the others):
        # moved into another Akte, the link "Anlage zu" ends in both directions
        geloest = Dokument.objects.filter(anlage_zu=dokument).update(anlage_zu=None)
        if dokument.anlage_zu_id is not None or geloest:
            details["anlage_verbindung_geloest"] = True
        dokument.anlage_zu = None
    dokument.vorgang, dokument.akte = ziel, ziel_akte
    dokument.save(update_fields=["vorgang", "akte", "anlage_zu", "geaendert_am"])
    signale.dokumente_geaendert.send(sender=Dokument, dokument_ids=[dokument.pk])
    beschreibung = f"Dokument „{dokument.titel}“ verschoben von {von} nach {ziel.vorgangszeichen}"
    _log(
        akteur,
        Aktion.VERSCHOBEN,
        beschreibung,
        akte=quelle_akte,
        objekt=dokument,
        details=details,
    )
    if ziel_akte.pk != quelle_akte.pk:
        _log(
            akteur,
            Aktion.VERSCHOBEN,
            beschreibung,
            akte=ziel_akte,
            objekt=dokument,
            details=details,
        )
    return dokument


STORNIERT = "Dieses Dokument ist storniert: es bleibt unverändert zum Nachweis in der Akte."


@transaction.atomic
def dokument_stornieren(*, akteur: Akteur, dokument: Dokument, grund: str) -> Dokument:
    """Mark a Dokument filed by mistake as storniert (issue 16): only the federführende OE, with
    a reason; it stays in the Akte for the record (never deleted), lists and the search leave it
    out by default, and it gets no new Versions."""
    akte = _gesperrt(dokument.akte)
    pruefen(
        akteur.benutzer,
        "akten.dokument_stornieren",
        akte,
        meldung="Stornieren darf nur die federführende Organisationseinheit der Akte.",
    )
    offen_pruefen(akte, dokument.vorgang)
    dokument = Dokument.objects.select_for_update().get(pk=dokument.pk)
    if dokument.storniert_am is not None:
        raise ValidationError("Dieses Dokument ist bereits storniert.")
    grund = (grund or "").strip()
    if not grund:
        raise ValidationError({"grund": "Bitte einen Grund für die Stornierung angeben."})
    if len(grund) > 2000:
        raise ValidationError({"grund": "Der Grund darf höchstens 2000 Zeichen lang sein."})
    dokument.storniert_am = timezone.now()
    dokument.storniert_von = _person(akteur)
    dokument.stornierungsgrund = grund
    dokument.save(update_fields=["storniert_am", "storniert_von", "stornierungsgrund"])
    signale.dokumente_geaendert.send(sender=Dokument, dokument_ids=[dokument.pk])
    _log(
        akteur,
        Aktion.STORNIERT,
        f"Dokument „{dokument.titel}“ storniert: {grund}",
        akte=akte,
        objekt=dokument,
        details={"grund": grund},
    )
    return dokument


SAMMEL_VERSCHIEBEN_MAX = 200


@transaction.atomic
def dokumente_verschieben(*, akteur: Akteur, dokumente: list[Dokument], ziel: Vorgang) -> int:
    """Several Dokumente of one Vorgang into another Vorgang (issue 16): all or none, one
    Protokoll entry per Dokument (dokument_verschieben checks each). Returns the number."""
    if not dokumente:
        raise ValidationError({"dokumente": "Bitte mindestens ein Dokument auswählen."})
    if len(dokumente) > SAMMEL_VERSCHIEBEN_MAX:
        raise ValidationError(
            {"dokumente": f"Höchstens {SAMMEL_VERSCHIEBEN_MAX} Dokumente auf einmal."}
        )
    # read again, locked: what the caller holds may be stale
    dokumente = list(
        Dokument.objects.select_for_update()
        .filter(pk__in=[d.pk for d in dokumente])
        .select_related("vorgang", "akte")
        .order_by("pk")
    )
    if len({d.vorgang_id for d in dokumente}) != 1:
        raise ValidationError({"dokumente": "Die Dokumente müssen aus einem Vorgang stammen."})
    for dokument in dokumente:
        try:
            dokument_verschieben(akteur=akteur, dokument=dokument, ziel=ziel)
        except ValidationError as fehler:
            meldungen = "; ".join(fehler.messages)
            raise ValidationError(
                f"„{dokument.titel}“: {meldungen} Es wurde nichts verschoben."
            ) from fehler
    return len(dokumente)


def dokument_angesehen(*, akteur: Akteur, dokument: Dokument) -> None:
    _log(
        akteur,
        Aktion.ANGESEHEN,
        f"Dokument „{dokument.titel}“ angesehen",
        akte=dokument.akte,
        objekt=dokument,
    )


def version_abgerufen(
    *,
    akteur: Akteur,
    version: Version,
    vorschau: bool,
    archivversion: bool = False,
) -> None:
    """Written before the file is sent: a download that was not logged does not happen."""
    dokument = version.dokument
    if vorschau:
        aktion, text = Aktion.ANGESEHEN, "in der Vorschau angesehen"
    else:
        aktion, text = Aktion.HERUNTERGELADEN, "heruntergeladen"
    if archivversion:
        text = f"als Archivversion (PDF/A) {text}"
    _log(
        akteur,
        aktion,
        f"„{dokument.titel}“ Version {version.nummer} {text}",
        akte=dokument.akte,
        objekt=version,
    )


# --- Wiedervorlagen ------------------------------------------------------------------------


@transaction.atomic
def wiedervorlage_setzen(
    *,
    akteur: Akteur,
    akte: Akte,
    datum: date,
    notiz: str = "",
    vorgang: Vorgang | None = None,
) -> Wiedervorlage:
    pruefen(akteur.benutzer, "akten.lesen", akte)
    if vorgang is not None and vorgang.akte_id != akte.pk:
        raise ValidationError({"vorgang": "Der Vorgang gehört nicht zu dieser Akte."})
    if datum < _heute():
        raise ValidationError({"datum": "Das Datum der Wiedervorlage liegt in der Vergangenheit."})
    wiedervorlage = Wiedervorlage.objects.create(
        kommune_id=akte.kommune_id,
        benutzer=_person(akteur),
        akte=akte,
        vorgang=vorgang,
        datum=datum,
        notiz=notiz.strip(),
    )
    _log(
        akteur,
        Aktion.WIEDERVORLAGE,
        f"Wiedervorlage zum {datum:%d.%m.%Y} gesetzt",
        akte=akte,
        objekt=wiedervorlage,
    )
    return wiedervorlage


@transaction.atomic
def wiedervorlage_erledigen(*, akteur: Akteur, wiedervorlage: Wiedervorlage) -> None:
    pruefen(akteur.benutzer, "akten.wiedervorlage_erledigen", wiedervorlage)
    wiedervorlage.erledigt_am = timezone.now()
    wiedervorlage.save(update_fields=["erledigt_am"])
