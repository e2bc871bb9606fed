"""Reads of the cockpit: only the roll-up table (Tagesstand), never the big tables.

The Verbund view gives per-Kommune aggregates only (no OE, no person); the Kommune view gives
the own Kommune per OE. Which Kommunen a person may look at is decided here
(`kommunen_fuer_cockpit`) with the rules of `regeln.py`.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncWeek

from eakte.common.regeln import darf
from eakte.kommunen.models import Kommune, Organisationseinheit

from .models import Tagesstand
from .services import GRAMM_JE_BLATT

HOECHSTENS_JAHRE = 5
STANDARD_TAGE = 91
SUMMEN = [
    "seiten_gescannt",
    "seiten_digital",
    "dokumente_gescannt",
    "dokumente_digital",
    "ablagen",
    "akten_angelegt",
    "vorgaenge_angelegt",
]


def zeitraum(von: str | None, bis: str | None, *, heute: date) -> tuple[date, date]:
    """The period asked for (ISO dates), or the last 13 weeks; German errors for bad input."""
    try:
        ende = date.fromisoformat(bis) if bis else heute
        anfang = date.fromisoformat(von) if von else ende - timedelta(days=STANDARD_TAGE - 1)
    except ValueError as fehler:
        raise ValidationError("Bitte Datumsangaben im Format JJJJ-MM-TT angeben.") from fehler
    if anfang > ende:
        raise ValidationError("Der Anfang des Zeitraums liegt nach seinem Ende.")
    if (ende - anfang).days > HOECHSTENS_JAHRE * 366:
        raise ValidationError(
            f"Der Zeitraum ist zu lang: höchstens {HOECHSTENS_JAHRE} Jahre auf einmal. Bitte "
            "einen kürzeren Zeitraum wählen (für lange Reihen den CSV-Export je Zeitraum)."
        )
    return anfang, ende


def kommunen_fuer_cockpit(user):
    """Verbund-Admin: every Kommune of the Verbund (aggregates); otherwise nothing here."""
    if darf(user, "cockpit.verbund_sehen"):
        return Kommune.objects.filter(verbund_id=user.kommune.verbund_id).order_by("name")
    return Kommune.objects.none()


@dataclass
class Kennzahlen:
    name: str
    summen: dict = field(default_factory=dict)
    stand: Tagesstand | None = None
    oes_aktiv: int = 0

    @property
    def seiten_gesamt(self) -> int:
        return self.summen.get("seiten_gescannt", 0) + self.summen.get("seiten_digital", 0)

    @property
    def papier_kg(self) -> float:
        return round(self.seiten_gesamt * GRAMM_JE_BLATT / 1000, 1)

    @property
    def kenntnisnahme_prozent(self) -> float | None:
        if not self.stand or not self.stand.kenntnisnahme_soll:
            return None
        return round(100 * self.stand.kenntnisnahme_ist / self.stand.kenntnisnahme_soll, 1)

    @property
    def oes_aktiv_prozent(self) -> float | None:
        if not self.stand or not self.stand.oes_gesamt:
            return None
        return round(100 * self.oes_aktiv / self.stand.oes_gesamt, 1)


def _summen(zeilen) -> dict:
    return zeilen.aggregate(**{name: Sum(name, default=0) for name in SUMMEN})


def kennzahlen_je_kommune(kommune_ids, anfang: date, ende: date) -> list[Kennzahlen]:
    """One row per Kommune: sums over the period and the last snapshot in it."""
    kommunen = {k.pk: k for k in Kommune.objects.filter(pk__in=kommune_ids)}
    zeilen = Tagesstand.objects.filter(kommune_id__in=kommune_ids, tag__range=(anfang, ende))
    summen = {
        z["kommune_id"]: z
        for z in zeilen.filter(oe__isnull=False)
        .values("kommune_id")
        .annotate(**{name: Sum(name) for name in SUMMEN})
        .order_by()
    }
    letzte = dict(
        zeilen.filter(oe__isnull=True)
        .values("kommune_id")
        .annotate(t=Max("tag"))
        .order_by()
        .values_list("kommune_id", "t")
    )
    staende = {
        s.kommune_id: s
        for s in Tagesstand.objects.filter(
            oe__isnull=True,
            kommune_id__in=list(letzte),
            tag__in=set(letzte.values()),
        )
        if letzte.get(s.kommune_id) == s.tag
    }
    aktiv: dict[int, int] = {}
    for z in (
        Tagesstand.objects.filter(
            oe__isnull=False,
            aktiv_30_tage=True,
            kommune_id__in=list(letzte),
            tag__in=set(letzte.values()),
        )
        .values("kommune_id", "tag")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if letzte.get(z["kommune_id"]) == z["tag"]:
            aktiv[z["kommune_id"]] = z["n"]
    ergebnis = []
    for kommune_id, kommune in sorted(kommunen.items(), key=lambda e: e[1].name):
        roh = summen.get(kommune_id, {})
        ergebnis.append(
            Kennzahlen(
                name=kommune.name,
                summen={name: roh.get(name) or 0 for name in SUMMEN},
                stand=staende.get(kommune_id),
                oes_aktiv=aktiv.get(kommune_id, 0),
            )
        )
    return ergebnis


def kennzahlen_je_oe(kommune: Kommune, anfang: date, ende: date) -> list[Kennzahlen]:
    zeilen = Tagesstand.objects.filter(kommune=kommune, oe__isnull=False, tag__range=(anfang, ende))
    summen = {
        z["oe_id"]: z
        for z in zeilen.values("oe_id").annotate(**{n: Sum(n) for n in SUMMEN}).order_by()
    }
    letzter = zeilen.aggregate(t=Max("tag"))["t"]
    aktiv = set(zeilen.filter(tag=letzter, aktiv_30_tage=True).values_list("oe_id", flat=True))
    ergebnis = []
    for oe in Organisationseinheit.objects.filter(pk__in=list(summen)).order_by("name"):
        roh = summen[oe.pk]
        k = Kennzahlen(name=oe.name, summen={n: roh.get(n) or 0 for n in SUMMEN})
        k.oes_aktiv = 1 if oe.pk in aktiv else 0
        ergebnis.append(k)
    return ergebnis


def wochenreihen(kommune_ids, anfang: date, ende: date, feld: str) -> dict[str, list]:
    """Per Kommune name: [(Montag der Woche, Summe von `feld`)], every week of the period."""
    namen = dict(Kommune.objects.filter(pk__in=kommune_ids).values_list("pk", "name"))
    werte = {}
    for z in (
        Tagesstand.objects.filter(
            kommune_id__in=kommune_ids, oe__isnull=False, tag__range=(anfang, ende)
        )
        .annotate(woche=TruncWeek("tag"))
        .values("kommune_id", "woche")
        .annotate(summe=Sum(feld))
        .order_by()
    ):
        werte[(z["kommune_id"], z["woche"])] = z["summe"] or 0
    wochen = []
    montag = anfang - timedelta(days=anfang.weekday())
    while montag <= ende:
        wochen.append(montag)
        montag += timedelta(days=7)
    return {
        namen[k]: [(w, werte.get((k, w), 0)) for w in wochen]
        for k in sorted(namen, key=lambda k: namen[k])
    }
