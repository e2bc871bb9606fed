"""Reads of the shared Aktenplan. Everyone in the Verbund reads it; nobody outside sees it."""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from eakte.common.regeln import darf

from .models import Aktenplan, Aktenplanaenderung, Aktenplanbesuch, Aktenplaneinheit

SUCHTREFFER_MAX = 30


def aktenplaene_fuer(user) -> QuerySet[Aktenplan]:
    if not (user and user.is_authenticated and user.is_active):
        return Aktenplan.objects.none()
    return Aktenplan.objects.filter(verbund__kommunen__id=user.kommune_id)


def einheiten_fuer(user) -> QuerySet[Aktenplaneinheit]:
    return Aktenplaneinheit.objects.filter(aktenplan__in=aktenplaene_fuer(user))


def aktueller_aktenplan(user) -> Aktenplan | None:
    """The plan in force today: the latest one whose gültig_ab has begun."""
    heute = date.today()
    return (
        aktenplaene_fuer(user)
        .select_related("verbund")
        .filter(Q(gueltig_ab__isnull=True) | Q(gueltig_ab__lte=heute))
        .order_by("-gueltig_ab", "-id")
        .first()
    )


def darf_bearbeiten(user, aktenplan: Aktenplan) -> bool:
    """The rule `aktenplan.bearbeiten` for one plan."""
    return darf(user, "aktenplan.bearbeiten", aktenplan)


def _mit_kinderzahl(queryset: QuerySet) -> QuerySet:
    kinder = Aktenplaneinheit.objects.filter(parent=OuterRef("pk"))
    return queryset.annotate(hat_kinder=Exists(kinder))


def wurzeln(aktenplan: Aktenplan) -> QuerySet[Aktenplaneinheit]:
    return _mit_kinderzahl(aktenplan.einheiten.filter(parent__isnull=True)).order_by(
        "sortierschluessel"
    )


def kinder(einheit: Aktenplaneinheit) -> QuerySet[Aktenplaneinheit]:
    return _mit_kinderzahl(einheit.kinder.all()).order_by("sortierschluessel")


def vorfahren(einheit: Aktenplaneinheit) -> list[Aktenplaneinheit]:
    """The path from the root down to the parent, in one query (by Kennzeichen prefixes)."""
    nummerierung = einheit.aktenplan.nummerierung
    praefixe, kennzeichen = [], nummerierung.eltern_kennzeichen(einheit.kennzeichen)
    while kennzeichen:
        praefixe.append(kennzeichen)
        kennzeichen = nummerierung.eltern_kennzeichen(kennzeichen)
    if not praefixe:
        return []
    return list(
        Aktenplaneinheit.objects.filter(
            aktenplan_id=einheit.aktenplan_id, kennzeichen__in=praefixe
        ).order_by("sortierschluessel")
    )


def einheiten_suchen(
    aktenplan: Aktenplan, suchtext: str, *, nur_ablagefaehig: bool = False
) -> QuerySet[Aktenplaneinheit]:
    """Filter as you type: Kennzeichen prefix or words of the title/description."""
    treffer = _mit_kinderzahl(aktenplan.einheiten.filter(suchbedingung(suchtext)))
    if nur_ablagefaehig:
        treffer = ablagefaehig(treffer)
    return treffer.order_by("sortierschluessel")[:SUCHTREFFER_MAX]


def suchbedingung(suchtext: str) -> Q:
    """A Kennzeichen prefix, or every word somewhere in title or description."""
    suchtext = suchtext.strip()
    if not suchtext:
        return Q()
    alle_woerter = Q()
    for wort in suchtext.split():
        alle_woerter &= Q(titel__icontains=wort) | Q(beschreibung__icontains=wort)
    return Q(kennzeichen__startswith=suchtext) | alle_woerter


def teilbaum_bedingung(aktenplan: Aktenplan, kennzeichen: str) -> Q:
    return Q(kennzeichen=kennzeichen) | Q(kennzeichen__startswith=kennzeichen + aktenplan.trenner)


def ablagefaehig(queryset: QuerySet) -> QuerySet:
    """Units under which new Akten may be created: active leaves valid today."""
    heute = date.today()
    return _mit_kinderzahl(queryset).filter(
        Q(gueltig_ab__isnull=True) | Q(gueltig_ab__lte=heute),
        Q(gueltig_bis__isnull=True) | Q(gueltig_bis__gte=heute),
        stillgelegt=False,
        hat_kinder=False,
    )


def historie(einheit: Aktenplaneinheit) -> QuerySet[Aktenplanaenderung]:
    return einheit.aenderungen.select_related("benutzer", "kommune").order_by("-zeitpunkt", "-id")


def aenderungen(aktenplan: Aktenplan) -> QuerySet[Aktenplanaenderung]:
    return aktenplan.aenderungen.select_related("benutzer", "kommune", "einheit").order_by(
        "-zeitpunkt", "-id"
    )


def letzter_besuch(user, aktenplan: Aktenplan):
    besuch = Aktenplanbesuch.objects.filter(aktenplan=aktenplan, benutzer=user).first()
    return besuch.zuletzt if besuch else None
