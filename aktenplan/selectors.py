"""Reads of the shared Aktenplan. Everyone in the Verbund reads it; nobody outside sees it."""

import re
from datetime import date

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from psycopg import sql

from eakte.common.regeln import darf
from eakte.kommunen.models import Kommune

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
    heute = timezone.localdate()
    return (
        aktenplaene_fuer(user)
        .select_related("verbund")
        .filter(Q(gueltig_ab__isnull=True) | Q(gueltig_ab__lte=heute))
        .order_by("-gueltig_ab", "-id")
        .first()
    )


def aktueller_aktenplan_sql() -> sql.Composed:
    """`aktueller_aktenplan` as a scalar subquery for statements written in SQL (the search's
    facet names), saving a round trip: parameters %(kommune)s (the person's Kommune) and
    %(heute)s (timezone.localdate(), as above)."""
    return sql.SQL(
        """
        SELECT p.id FROM {plan} p JOIN {kommune} k ON k.verbund_id = p.verbund_id
        WHERE k.id = %(kommune)s AND (p.gueltig_ab IS NULL OR p.gueltig_ab <= %(heute)s)
        ORDER BY p.gueltig_ab DESC, p.id DESC LIMIT 1
        """
    ).format(
        plan=sql.Identifier(Aktenplan._meta.db_table),
        kommune=sql.Identifier(Kommune._meta.db_table),
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
) -> list[Aktenplaneinheit]:
    """Filter as you type, best first (see `suchen`), at most SUCHTREFFER_MAX units."""
    treffer = _mit_kinderzahl(suchen(aktenplan.einheiten.all(), aktenplan, suchtext))
    if nur_ablagefaehig:
        treffer = ablagefaehig(treffer)
    return list(treffer[:SUCHTREFFER_MAX])


# The Aktenplan search behaves like the document search (eakte/suche): every word is stemmed
# with PostgreSQL's `german` Snowball stemmer in its spellings (ae/ä, ß/ss), and a unit is found
# when each word matches a lexeme of its title or description: the same stem ("Bauantrag" →
# "Bauanträge", "Friedhöfe" → "Friedhofs-"), the beginning of a lexeme while typing (three or
# more letters: "Bauantr", "Friedhof" → "Friedhofssatzung"), or the head of a compound (five or
# more letters: "Antrag" → "Bauanträge"). A word is no substring match: "Werbe" does not find
# "Schwerbehindertenangelegenheiten". Ranked by Kennzeichen (exact, then prefix), then by how
# many words the title itself matches exactly, then anywhere in the title, then the order of
# the plan. The plan has a few thousand units at most: the vectors are computed per query.
_SUCHE = """
WITH w AS (
    SELECT t.nr, coalesce((ts_lexize('german_stem', t.v))[1], '') AS s
    FROM unnest(%(nr)s::int[], %(varianten)s::text[]) AS t(nr, v)
), n AS (
    SELECT count(DISTINCT nr) AS noetig FROM w WHERE s <> ''
), e AS (
    SELECT id, kennzeichen,
           tsvector_to_array(to_tsvector('german', titel)) AS t,
           tsvector_to_array(to_tsvector('german', titel || ' ' || beschreibung)) AS a
    FROM aktenplan_aktenplaneinheit WHERE aktenplan_id = %(plan)s
), r AS (
    SELECT e.id, e.kennzeichen,
        (SELECT count(DISTINCT w.nr) FROM w, unnest(e.t) l WHERE w.s <> '' AND l = w.s) AS genau,
        (SELECT count(DISTINCT w.nr) FROM w, unnest(e.t) l WHERE w.s <> '' AND (l = w.s
            OR (char_length(w.s) >= 3 AND starts_with(l, w.s))
            OR (char_length(w.s) >= 5 AND right(l, char_length(w.s)) = w.s))) AS titel,
        (SELECT count(DISTINCT w.nr) FROM w, unnest(e.a) l WHERE w.s <> '' AND (l = w.s
            OR (char_length(w.s) >= 3 AND starts_with(l, w.s))
            OR (char_length(w.s) >= 5 AND right(l, char_length(w.s)) = w.s))) AS alle
    FROM e
)
SELECT r.id,
    CASE WHEN r.kennzeichen = %(text)s THEN 1000
         WHEN starts_with(r.kennzeichen, %(text)s) THEN 500 ELSE 0 END
    + 100 * r.genau + 50 * r.titel + 10 * r.alle AS rang
FROM r, n
WHERE starts_with(r.kennzeichen, %(text)s) OR (n.noetig > 0 AND r.alle = n.noetig)
"""


def suchraenge(aktenplan: Aktenplan, suchtext: str) -> dict[int, int]:
    """The units of the plan that match `suchtext`, as {id: rank}."""
    from django.db import connection

    from eakte.common.sprache import schreibweisen

    suchtext = suchtext.strip()[:200]
    if not suchtext:
        return {}
    nummern, varianten = [], []
    for nr, wort in enumerate(re.findall(r"[^\W_]+", suchtext)[:10]):
        for variante in schreibweisen(wort):
            nummern.append(nr)
            varianten.append(variante)
    with connection.cursor() as cursor:
        cursor.execute(
            _SUCHE,
            {"nr": nummern, "varianten": varianten, "plan": aktenplan.pk, "text": suchtext},
        )
        return dict(cursor.fetchall())


def suchen(queryset: QuerySet, aktenplan: Aktenplan, suchtext: str) -> QuerySet:
    """`queryset` (units of `aktenplan`) narrowed to the search hits, best first; unchanged
    when nothing is searched."""
    if not suchtext.strip():
        return queryset.order_by("sortierschluessel")
    raenge = suchraenge(aktenplan, suchtext)
    if not raenge:
        return queryset.none()
    rang = Case(
        *(When(pk=pk, then=Value(wert)) for pk, wert in raenge.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        queryset.filter(pk__in=list(raenge))
        .annotate(rang=rang)
        .order_by("-rang", "sortierschluessel")
    )


def naechstes_kennzeichen(aktenplan: Aktenplan, eltern: str | None) -> str | None:
    """The next free Kennzeichen under the unit `eltern` (a Kennzeichen; None: top level)."""
    kinder = aktenplan.einheiten.filter(
        Q(parent__isnull=True) if not eltern else Q(parent__kennzeichen=eltern)
    ).values_list("kennzeichen", flat=True)
    return aktenplan.nummerierung.naechstes(eltern, list(kinder))


def teilbaum_bedingung(aktenplan: Aktenplan, kennzeichen: str) -> Q:
    return Q(kennzeichen=kennzeichen) | Q(kennzeichen__startswith=kennzeichen + aktenplan.trenner)


def ablagefaehig(queryset: QuerySet) -> QuerySet:
    """Units under which new Akten may be created: active leaves valid today."""
    heute = timezone.localdate()
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


def aenderungen_gefiltert(
    aktenplan: Aktenplan,
    *,
    einheit: str = "",
    person=None,
    art: str = "",
    von: date | None = None,
    bis: date | None = None,
) -> QuerySet[Aktenplanaenderung]:
    """The change feed narrowed to a subtree (Kennzeichen), a person, a kind and a period."""
    eintraege = aenderungen(aktenplan)
    if einheit:
        eintraege = eintraege.filter(
            Q(einheit__kennzeichen=einheit)
            | Q(einheit__kennzeichen__startswith=einheit + aktenplan.trenner)
        )
    if person is not None:
        eintraege = eintraege.filter(benutzer=person)
    if art:
        eintraege = eintraege.filter(art=art)
    if von:
        eintraege = eintraege.filter(zeitpunkt__date__gte=von)
    if bis:
        eintraege = eintraege.filter(zeitpunkt__date__lte=bis)
    return eintraege


def letzter_besuch(user, aktenplan: Aktenplan):
    besuch = Aktenplanbesuch.objects.filter(aktenplan=aktenplan, benutzer=user).first()
    return besuch.zuletzt if besuch else None
