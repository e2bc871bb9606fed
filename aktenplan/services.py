"""Every write to the Aktenplan. Each one checks the editing right, runs in a transaction that
locks the plan (Digitallotsen of four town halls may edit at the same moment) and records the
change with who, when, old and new values.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from eakte.common.akteur import Akteur
from eakte.common.regeln import darf
from eakte.kommunen.models import Benutzer
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren

from . import austausch, selectors
from .models import Aenderungsart, Aktenplan, Aktenplanaenderung, Aktenplanbesuch, Aktenplaneinheit

INHALTSFELDER = [
    "titel",
    "beschreibung",
    "aufbewahrungsfrist",
    "aussonderungsart",
    "gueltig_ab",
    "gueltig_bis",
]


def _pruefe_recht(akteur: Akteur, aktenplan: Aktenplan) -> Benutzer | None:
    """The person who edits (for the change history), after the rule `aktenplan.bearbeiten`.

    The system may edit every plan: it builds the demo plan and imports from the command line
    (`Akteur.system(...)`); the change history then names no person."""
    if akteur.ist_system:
        return None
    if not selectors.darf_bearbeiten(akteur.benutzer, aktenplan):
        raise PermissionDenied("Nur Digitallotsen und Verbund-Admins bearbeiten den Aktenplan.")
    return akteur.benutzer


def _gesperrt(aktenplan: Aktenplan) -> Aktenplan:
    return Aktenplan.objects.select_for_update().get(pk=aktenplan.pk)


def _wert(wert):
    if isinstance(wert, date):
        return wert.isoformat()
    if isinstance(wert, Aktenplaneinheit):
        return wert.kennzeichen
    return wert


def _stand(einheit: Aktenplaneinheit) -> dict:
    stand = {feld: _wert(getattr(einheit, feld)) for feld in INHALTSFELDER}
    stand.update(
        kennzeichen=einheit.kennzeichen,
        stillgelegt=einheit.stillgelegt,
        uebergeordnet=einheit.parent.kennzeichen if einheit.parent_id else None,
        nachfolger=einheit.nachfolger.kennzeichen if einheit.nachfolger_id else None,
    )
    return stand


def _aenderung(einheit, art, benutzer, alt=None, neu=None, quelle="") -> Aktenplanaenderung:
    return Aktenplanaenderung(
        aktenplan_id=einheit.aktenplan_id,
        einheit=einheit,
        art=art,
        benutzer=benutzer,
        kommune_id=benutzer.kommune_id if benutzer else None,
        alt=alt or {},
        neu=neu or {},
        quelle=quelle,
    )


def _kennzeichen_setzen(einheit: Aktenplaneinheit, kennzeichen: str) -> None:
    nummerierung = einheit.aktenplan.nummerierung
    einheit.kennzeichen = kennzeichen
    einheit.sortierschluessel = nummerierung.sortierschluessel(kennzeichen)
    einheit.ebene = nummerierung.ebene(kennzeichen)


def _kennzeichen_pruefen(aktenplan, kennzeichen, parent, ausgenommen=None) -> None:
    eltern = parent.kennzeichen if parent else None
    fehler = aktenplan.nummerierung.fehler(kennzeichen, eltern)
    belegt = aktenplan.einheiten.filter(kennzeichen=kennzeichen)
    if ausgenommen is not None:
        belegt = belegt.exclude(pk=ausgenommen.pk)
    if belegt.exists():
        fehler.append(f"Das Kennzeichen „{kennzeichen}“ gibt es im Aktenplan schon.")
    if fehler:
        raise ValidationError({"kennzeichen": fehler})


@transaction.atomic
def einheit_anlegen(
    *,
    aktenplan: Aktenplan,
    parent: Aktenplaneinheit | None,
    kennzeichen: str,
    titel: str,
    aussonderungsart: str,
    aufbewahrungsfrist: int | None,
    beschreibung: str = "",
    gueltig_ab: date | None = None,
    gueltig_bis: date | None = None,
    akteur: Akteur,
) -> Aktenplaneinheit:
    benutzer = _pruefe_recht(akteur, aktenplan)
    aktenplan = _gesperrt(aktenplan)
    if parent is not None and parent.aktenplan_id != aktenplan.pk:
        raise ValidationError({"parent": "Die übergeordnete Einheit gehört zu einem anderen Plan."})
    if parent is not None and parent.stillgelegt:
        raise ValidationError(
            {"parent": "Unter einer stillgelegten Einheit werden keine neuen Einheiten angelegt."}
        )
    kennzeichen = kennzeichen.strip()
    _kennzeichen_pruefen(aktenplan, kennzeichen, parent)
    einheit = Aktenplaneinheit(
        aktenplan=aktenplan,
        parent=parent,
        titel=titel.strip(),
        beschreibung=beschreibung,
        aufbewahrungsfrist=aufbewahrungsfrist,
        aussonderungsart=aussonderungsart,
        gueltig_ab=gueltig_ab,
        gueltig_bis=gueltig_bis,
    )
    _kennzeichen_setzen(einheit, kennzeichen)
    einheit.full_clean()
    einheit.save()
    _aenderung(einheit, Aenderungsart.ANGELEGT, benutzer, neu=_stand(einheit)).save()
    return einheit


@transaction.atomic
def einheit_aendern(
    *, einheit: Aktenplaneinheit, akteur: Akteur, **aenderungen
) -> Aktenplaneinheit:
    """Change content fields (title, Frist, …); Kennzeichen and parent: einheit_verschieben."""
    unbekannt = set(aenderungen) - set(INHALTSFELDER) - {"nachfolger"}
    if unbekannt:
        raise TypeError(f"einheit_aendern kennt {sorted(unbekannt)} nicht")
    benutzer = _pruefe_recht(akteur, einheit.aktenplan)
    _gesperrt(einheit.aktenplan)
    einheit = Aktenplaneinheit.objects.select_related("aktenplan", "parent", "nachfolger").get(
        pk=einheit.pk
    )
    nachfolger = aenderungen.get("nachfolger")
    if nachfolger is not None and nachfolger.aktenplan_id != einheit.aktenplan_id:
        raise ValidationError({"nachfolger": "Der Nachfolger gehört zu einem anderen Plan."})
    alt = _stand(einheit)
    for feld, wert in aenderungen.items():
        setattr(einheit, feld, wert.strip() if isinstance(wert, str) else wert)
    einheit.full_clean()
    neu = _stand(einheit)
    geaendert = {feld for feld in neu if neu[feld] != alt[feld]}
    if geaendert:
        einheit.save()
        _aenderung(
            einheit,
            Aenderungsart.GEAENDERT,
            benutzer,
            alt={f: alt[f] for f in geaendert},
            neu={f: neu[f] for f in geaendert},
        ).save()
    return einheit


def _teilbaum(einheit: Aktenplaneinheit) -> list[Aktenplaneinheit]:
    """The unit and all its descendants (by Kennzeichen prefix), parents before children."""
    trenner = einheit.aktenplan.trenner
    return list(
        einheit.aktenplan.einheiten.filter(kennzeichen__startswith=einheit.kennzeichen + trenner)
        .select_related("aktenplan")
        .order_by("sortierschluessel")
    )


@transaction.atomic
def einheit_verschieben(
    *,
    einheit: Aktenplaneinheit,
    neuer_parent: Aktenplaneinheit | None,
    neues_kennzeichen: str,
    akteur: Akteur,
) -> Aktenplaneinheit:
    """Move and/or renumber a unit with its subtree. Akten stay attached (same rows)."""
    benutzer = _pruefe_recht(akteur, einheit.aktenplan)
    aktenplan = _gesperrt(einheit.aktenplan)
    einheit = Aktenplaneinheit.objects.select_related("aktenplan", "parent").get(pk=einheit.pk)
    nachkommen = _teilbaum(einheit)
    if neuer_parent is not None:
        if neuer_parent.aktenplan_id != aktenplan.pk:
            raise ValidationError({"parent": "Das Ziel gehört zu einem anderen Aktenplan."})
        if neuer_parent.pk == einheit.pk or neuer_parent.pk in {n.pk for n in nachkommen}:
            raise ValidationError(
                {"parent": "Eine Einheit kann nicht unter sich selbst verschoben werden."}
            )
        if neuer_parent.stillgelegt:
            raise ValidationError({"parent": "Das Ziel ist stillgelegt."})
    neues_kennzeichen = neues_kennzeichen.strip()
    _kennzeichen_pruefen(aktenplan, neues_kennzeichen, neuer_parent, ausgenommen=einheit)
    alt_kennzeichen = einheit.kennzeichen
    neue_nummern = {
        n.pk: aktenplan.nummerierung.umnummerieren(
            n.kennzeichen, alt_kennzeichen, neues_kennzeichen
        )
        for n in nachkommen
    }
    kollisionen = aktenplan.einheiten.filter(kennzeichen__in=neue_nummern.values()).exclude(
        pk__in=[n.pk for n in nachkommen]
    )
    if kollisionen.exists():
        belegt = ", ".join(kollisionen.values_list("kennzeichen", flat=True)[:5])
        raise ValidationError({"kennzeichen": f"Nach dem Umnummerieren wären belegt: {belegt}."})

    alt = _stand(einheit)
    alte_nummern = {n.pk: n.kennzeichen for n in nachkommen}
    # Free the old numbers first: the unique constraint is checked row by row.
    for n in nachkommen:
        n.kennzeichen = f"~{n.pk}"
    Aktenplaneinheit.objects.bulk_update(nachkommen, ["kennzeichen"])
    einheit.parent = neuer_parent
    _kennzeichen_setzen(einheit, neues_kennzeichen)
    einheit.save()
    protokoll = [_aenderung(einheit, Aenderungsart.VERSCHOBEN, benutzer, alt, _stand(einheit))]
    for n in nachkommen:
        _kennzeichen_setzen(n, neue_nummern[n.pk])
        protokoll.append(
            _aenderung(
                n,
                Aenderungsart.VERSCHOBEN,
                benutzer,
                {"kennzeichen": alte_nummern[n.pk]},
                {"kennzeichen": n.kennzeichen},
            )
        )
    Aktenplaneinheit.objects.bulk_update(nachkommen, ["kennzeichen", "sortierschluessel", "ebene"])
    Aktenplanaenderung.objects.bulk_create(protokoll)
    return einheit


@transaction.atomic
def einheit_stilllegen(
    *,
    einheit: Aktenplaneinheit,
    akteur: Akteur,
    nachfolger: Aktenplaneinheit | None = None,
) -> Aktenplaneinheit:
    """Stilllegen: no new Akten below; existing Akten stay untouched. Applies to the subtree."""
    benutzer = _pruefe_recht(akteur, einheit.aktenplan)
    _gesperrt(einheit.aktenplan)
    einheit = Aktenplaneinheit.objects.select_related("aktenplan").get(pk=einheit.pk)
    if nachfolger is not None and (
        nachfolger.aktenplan_id != einheit.aktenplan_id or nachfolger.pk == einheit.pk
    ):
        raise ValidationError({"nachfolger": "Ungültiger Nachfolger."})
    betroffen = [einheit, *(n for n in _teilbaum(einheit) if not n.stillgelegt)]
    protokoll = []
    for unit in betroffen:
        if unit.stillgelegt:
            continue
        unit.stillgelegt = True
        neu = {"stillgelegt": True}
        if unit.pk == einheit.pk and nachfolger is not None:
            unit.nachfolger = nachfolger
            neu["nachfolger"] = nachfolger.kennzeichen
        protokoll.append(
            _aenderung(unit, Aenderungsart.STILLGELEGT, benutzer, {"stillgelegt": False}, neu)
        )
    Aktenplaneinheit.objects.bulk_update(betroffen, ["stillgelegt", "nachfolger"])
    Aktenplanaenderung.objects.bulk_create(protokoll)
    return einheit


@transaction.atomic
def einheit_reaktivieren(*, einheit: Aktenplaneinheit, akteur: Akteur) -> Aktenplaneinheit:
    benutzer = _pruefe_recht(akteur, einheit.aktenplan)
    _gesperrt(einheit.aktenplan)
    einheit = Aktenplaneinheit.objects.select_related("parent").get(pk=einheit.pk)
    if einheit.parent is not None and einheit.parent.stillgelegt:
        raise ValidationError(
            "Die übergeordnete Einheit ist stillgelegt; bitte zuerst diese wieder aktivieren."
        )
    if einheit.stillgelegt:
        einheit.stillgelegt = False
        einheit.save(update_fields=["stillgelegt"])
        _aenderung(
            einheit,
            Aenderungsart.REAKTIVIERT,
            benutzer,
            {"stillgelegt": True},
            {"stillgelegt": False},
        ).save()
    return einheit


def besuch_merken(*, aktenplan: Aktenplan, benutzer: Benutzer) -> None:
    Aktenplanbesuch.objects.update_or_create(
        aktenplan=aktenplan, benutzer=benutzer, defaults={"zuletzt": timezone.now()}
    )


# --- import ----------------------------------------------------------------------------------


@dataclass
class Importergebnis:
    fehler: list[austausch.Fehler] = field(default_factory=list)
    neu: list[str] = field(default_factory=list)
    geaendert: list[tuple[str, list[str]]] = field(default_factory=list)
    stillgelegt: list[str] = field(default_factory=list)
    unveraendert: int = 0
    angewendet: bool = False
    modus: str = austausch.ERGAENZEN

    @property
    def ok(self) -> bool:
        return not self.fehler


def _zeile_als_stand(zeile: austausch.Zeile) -> dict:
    return {
        "titel": zeile.titel,
        "beschreibung": zeile.beschreibung,
        "aufbewahrungsfrist": zeile.aufbewahrungsfrist,
        "aussonderungsart": zeile.aussonderungsart,
        "gueltig_ab": _wert(zeile.gueltig_ab),
        "gueltig_bis": _wert(zeile.gueltig_bis),
        "kennzeichen": zeile.kennzeichen,
        "stillgelegt": zeile.stillgelegt,
        "uebergeordnet": zeile.uebergeordnet,
        "nachfolger": zeile.nachfolger,
    }


def _lesen(inhalt: bytes, format: str) -> austausch.Gelesen:
    if format == "json":
        return austausch.json_lesen(inhalt)
    if format == "csv":
        return austausch.csv_lesen(inhalt)
    return austausch.Gelesen(fehler=[austausch.Fehler(None, f"Unbekanntes Format „{format}“.")])


def _bestaetigung_fehlt(anzahl: int) -> austausch.Fehler:
    return austausch.Fehler(
        None,
        ngettext(
            "Der Import legt %(n)d Einheit still. Zur Bestätigung bitte die Zahl %(n)d eingeben.",
            "Der Import legt %(n)d Einheiten still. Zur Bestätigung bitte die Zahl %(n)d eingeben.",
            anzahl,
        )
        % {"n": anzahl},
    )


@transaction.atomic
def aktenplan_importieren(
    *,
    aktenplan: Aktenplan,
    inhalt: bytes,
    format: str,
    akteur: Akteur,
    probelauf: bool,
    quelle: str = "Import",
    modus: str = austausch.ERGAENZEN,
    bestaetigung: str = "",
) -> Importergebnis:
    """Add or change the units of the file, or (modus "ersetzen") make the plan equal to it.
    All or nothing: with any error nothing changes.

    "ergaenzen" (the default) touches only the units named in the file; parents and successors
    may be units already in the plan. "ersetzen" deactivates (never deletes) the units missing
    from the file; applying that needs `bestaetigung` = the number of units it deactivates.
    A dry run (probelauf) reports what would change and writes nothing. The plan is shared by
    the Verbund: the Protokoll of the importing person's Kommune gets one entry with the counts
    (the system's import from the command line has no Kommune; the plan's change history
    records it).
    """
    if modus not in austausch.MODI:
        raise ValidationError(
            f"Unbekannter Importmodus „{modus}“: erlaubt sind ergaenzen und ersetzen."
        )
    benutzer = _pruefe_recht(akteur, aktenplan)
    aktenplan = _gesperrt(aktenplan)
    gelesen = _lesen(inhalt, format)
    bestand = {e.kennzeichen: e for e in aktenplan.einheiten.select_related("parent", "nachfolger")}
    ergebnis = Importergebnis(
        modus=modus,
        fehler=austausch.pruefen(
            gelesen,
            aktenplan.nummerierung,
            None if modus == austausch.ERSETZEN else set(bestand),
        ),
    )
    if ergebnis.fehler:
        return ergebnis

    zeilen = {zeile.kennzeichen: zeile for zeile in gelesen.zeilen}
    for kennzeichen, zeile in zeilen.items():
        einheit = bestand.get(kennzeichen)
        if einheit is None:
            ergebnis.neu.append(kennzeichen)
            continue
        alt, neu = _stand(einheit), _zeile_als_stand(zeile)
        felder = [feld for feld in neu if neu[feld] != alt[feld]]
        if felder:
            ergebnis.geaendert.append((kennzeichen, felder))
        else:
            ergebnis.unveraendert += 1
    if modus == austausch.ERSETZEN:
        ergebnis.stillgelegt = [
            k for k, einheit in bestand.items() if k not in zeilen and not einheit.stillgelegt
        ]
    if (
        not probelauf
        and ergebnis.stillgelegt
        and bestaetigung.strip() != str(len(ergebnis.stillgelegt))
    ):
        ergebnis.fehler.append(_bestaetigung_fehlt(len(ergebnis.stillgelegt)))
        return ergebnis
    if not probelauf:
        _import_anwenden(aktenplan, zeilen, bestand, ergebnis, benutzer, quelle)
        ergebnis.angewendet = True
        if benutzer is not None:
            protokollieren(
                kommune_id=benutzer.kommune_id,
                aktion=Aktion.IMPORTIERT,
                akteur=akteur,
                beschreibung=(
                    f"Aktenplan {aktenplan.name} importiert: {len(ergebnis.neu)} neu, "
                    f"{len(ergebnis.geaendert)} geändert, {len(ergebnis.stillgelegt)} stillgelegt"
                ),
                objekt=aktenplan,
                details={
                    "format": format,
                    "modus": modus,
                    "quelle": quelle,
                    "neu": len(ergebnis.neu),
                    "geaendert": len(ergebnis.geaendert),
                    "stillgelegt": len(ergebnis.stillgelegt),
                    "unveraendert": ergebnis.unveraendert,
                },
            )
    return ergebnis


def _import_anwenden(aktenplan, zeilen, bestand, ergebnis, benutzer, quelle) -> None:
    nummerierung = aktenplan.nummerierung
    protokoll = []
    nach_kennzeichen = dict(bestand)

    neue = sorted(
        (zeilen[k] for k in ergebnis.neu),
        key=lambda z: nummerierung.sortierschluessel(z.kennzeichen),
    )
    for ebene in sorted({nummerierung.ebene(z.kennzeichen) for z in neue}):
        stapel = []
        for zeile in (z for z in neue if nummerierung.ebene(z.kennzeichen) == ebene):
            einheit = Aktenplaneinheit(
                aktenplan=aktenplan,
                parent=nach_kennzeichen.get(zeile.uebergeordnet),
                titel=zeile.titel,
                beschreibung=zeile.beschreibung,
                aufbewahrungsfrist=zeile.aufbewahrungsfrist,
                aussonderungsart=zeile.aussonderungsart,
                gueltig_ab=zeile.gueltig_ab,
                gueltig_bis=zeile.gueltig_bis,
                stillgelegt=zeile.stillgelegt,
            )
            _kennzeichen_setzen(einheit, zeile.kennzeichen)
            stapel.append(einheit)
        Aktenplaneinheit.objects.bulk_create(stapel)
        for einheit in stapel:
            nach_kennzeichen[einheit.kennzeichen] = einheit
            protokoll.append(
                _aenderung(
                    einheit, Aenderungsart.ANGELEGT, benutzer, neu=_stand(einheit), quelle=quelle
                )
            )

    geaendert = []
    for kennzeichen, _felder in ergebnis.geaendert:
        einheit, zeile = nach_kennzeichen[kennzeichen], zeilen[kennzeichen]
        alt = _stand(einheit)
        for feld in INHALTSFELDER + ["stillgelegt"]:
            setattr(einheit, feld, getattr(zeile, feld))
        einheit.nachfolger = nach_kennzeichen.get(zeile.nachfolger)
        neu = _stand(einheit)
        anders = [f for f in neu if neu[f] != alt[f]]
        protokoll.append(
            _aenderung(
                einheit,
                Aenderungsart.GEAENDERT,
                benutzer,
                {f: alt[f] for f in anders},
                {f: neu[f] for f in anders},
                quelle,
            )
        )
        geaendert.append(einheit)

    for kennzeichen in ergebnis.neu:
        einheit, zeile = nach_kennzeichen[kennzeichen], zeilen[kennzeichen]
        if zeile.nachfolger:
            einheit.nachfolger = nach_kennzeichen[zeile.nachfolger]
            geaendert.append(einheit)

    for kennzeichen in ergebnis.stillgelegt:
        einheit = nach_kennzeichen[kennzeichen]
        einheit.stillgelegt = True
        geaendert.append(einheit)
        protokoll.append(
            _aenderung(
                einheit,
                Aenderungsart.STILLGELEGT,
                benutzer,
                {"stillgelegt": False},
                {"stillgelegt": True},
                quelle,
            )
        )

    if geaendert:
        Aktenplaneinheit.objects.bulk_update(
            geaendert, INHALTSFELDER + ["stillgelegt", "nachfolger"], batch_size=1000
        )
    Aktenplanaenderung.objects.bulk_create(protokoll, batch_size=1000)


# --- export ----------------------------------------------------------------------------------


def _als_zeilen(aktenplan: Aktenplan) -> list[austausch.Zeile]:
    einheiten = aktenplan.einheiten.select_related("parent", "nachfolger").order_by(
        "sortierschluessel"
    )
    return [
        austausch.Zeile(
            nr=0,
            kennzeichen=e.kennzeichen,
            uebergeordnet=e.parent.kennzeichen if e.parent_id else None,
            titel=e.titel,
            beschreibung=e.beschreibung,
            aufbewahrungsfrist=e.aufbewahrungsfrist,
            aussonderungsart=e.aussonderungsart,
            gueltig_ab=e.gueltig_ab,
            gueltig_bis=e.gueltig_bis,
            stillgelegt=e.stillgelegt,
            nachfolger=e.nachfolger.kennzeichen if e.nachfolger_id else None,
        )
        for e in einheiten
    ]


def aktenplan_exportieren(*, aktenplan: Aktenplan, format: str) -> bytes:
    zeilen = _als_zeilen(aktenplan)
    if format == "csv":
        return austausch.csv_schreiben(zeilen)
    kopf = {
        "name": aktenplan.name,
        "fassung": aktenplan.fassung,
        "trenner": aktenplan.trenner,
        "stellen": aktenplan.stellen,
        "gueltig_ab": aktenplan.gueltig_ab.isoformat() if aktenplan.gueltig_ab else None,
        "verbund": aktenplan.verbund.name,
    }
    return austausch.json_schreiben(kopf, zeilen)


@transaction.atomic
def aktenplan_anlegen(
    *,
    verbund,
    name: str,
    fassung: str = "1",
    trenner: str = ".",
    stellen: str = "1,1,2",
    gueltig_ab: date | None = None,
    akteur: Akteur,
) -> Aktenplan:
    """A new plan of the Verbund (the system for the demo data, or its Digitallotsen)."""
    benutzer = akteur.benutzer
    if not akteur.ist_system and not (
        darf(benutzer, "aktenplan.bearbeiten") and benutzer.kommune.verbund_id == verbund.pk
    ):
        raise PermissionDenied("Nur Digitallotsen und Verbund-Admins legen Aktenpläne an.")
    aktenplan = Aktenplan(
        verbund=verbund,
        name=name,
        fassung=fassung,
        trenner=trenner,
        stellen=stellen,
        gueltig_ab=gueltig_ab,
    )
    aktenplan.full_clean()
    aktenplan.save()
    return aktenplan
