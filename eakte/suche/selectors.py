"""Search reads. What is searched is decided by `eakte.akten.selectors.akten_fuer(user)`, the one
visibility rule of the records (Dokumente inherit it from their Akte, as in `dokumente_fuer`):
results, counts, snippets, suggestions and "meinten Sie" are all computed on that set only.
"""

import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from psycopg import sql

from aktenplan import selectors as aktenplan_selectors
from aktenplan.models import Aktenplaneinheit
from eakte.akten.models import Akte, Dokumenttyp
from eakte.akten.selectors import akten_fuer, akten_fuer_sql
from eakte.common.lesereplik import auf_einer_verbindung, lesende_verbindung
from eakte.common.vorbereitet import vorbereitet, vorbereiteter_cursor
from eakte.kommunen.models import Kommune, Organisationseinheit

from . import anfrage as anfrage_modul
from .models import Suchdokument, Suchwort

SEITENGROESSE = 20
SORTIERUNGEN = ("relevanz", "neueste")
ZDA_WERTE = ("offen", "zda")
_AN, _AUS = "\x02", "\x03"
HEADLINE_OPTIONEN = (
    f"StartSel={_AN}, StopSel={_AUS}, MaxWords=30, MinWords=12, MaxFragments=1, "
    'FragmentDelimiter=" … "'
)


class _Tsquery(SearchQuery):
    """A ready tsquery text, cast without normalising it again (its lexemes are stems)."""

    def __init__(self, text: str):
        super().__init__(text, search_type="raw")

    def as_sql(self, compiler, connection, function=None, template=None):
        text, params = compiler.compile(self.source_expressions[0])
        return f"{text}::tsquery", params


@dataclass
class Filter:
    kommune: str = ""  # slug
    aktenplan: str = ""  # Kennzeichen of a unit: its subtree
    oe: str = ""  # uuid
    typ: str = ""
    von: date | None = None
    bis: date | None = None
    zda: str = ""  # "offen", "zda" or "" (both)
    stornierte: bool = False  # stornierte Dokumente are left out unless asked for (issue 16)

    def aktiv(self) -> bool:
        return any(getattr(self, f) for f in self.__dataclass_fields__)


@dataclass
class Treffer:
    suchdokument: Suchdokument
    rang: float | None
    ausschnitt: str  # safe HTML

    @property
    def dokument(self):
        return self.suchdokument.dokument

    @property
    def akte(self):
        return self.suchdokument.akte


@dataclass
class Facettenwert:
    wert: str
    titel: str
    anzahl: int


@dataclass
class Ergebnis:
    anfrage: anfrage_modul.Anfrage
    gesamt: int = 0
    seite: Page | None = None
    treffer: list[Treffer] = field(default_factory=list)
    facetten: dict[str, list[Facettenwert]] = field(default_factory=dict)
    akten: list[Akte] = field(default_factory=list)
    meinten_sie: str = ""
    # False: more than ZAEHL_GRENZE hits; gesamt and the facet counts are lower bounds
    genau: bool = True
    # > 0 when only the newest this-many hits (and the title hits) were ranked by relevance
    rang_begrenzt: int = 0
    # > 0 when a phrase was looked for only in the newest this-many Dokumente with all its words
    folge_begrenzt: int = 0


# --- how PostgreSQL plans a search ----------------------------------------------------------

_PLANUNG = {
    "enable_seqscan": "off",
    "enable_indexscan": "off",
    "jit": "off",
    "plan_cache_mode": "force_generic_plan",
}


@contextmanager
def _volltextplanung():
    """Plan the queries of a search with bitmap scans only, without JIT compilation, and the
    prepared ones once per connection.

    PostgreSQL's cost model does not know that testing a vector outside its GIN index reads it
    from TOAST: on many rows it would rather scan the table, or walk a B-tree index in date
    order, and test every vector, which takes seconds at a million Dokumente. With only bitmap
    scans the GIN index answers the words and the rows are read only to count and sort them.
    JIT would spend more time compiling than these queries run.

    The statements whose plan does not depend on the words (the visible Akten, the Akten by
    Aktenzeichen, the facet names, the ranking, the page rows, the snippets) are prepared
    (eakte.common.vorbereitet) and planned once per connection without their values
    (plan_cache_mode concerns prepared statements only): planning the visible Akten alone took
    about a millisecond per search. Not the counting or the phrase window: their generic plans,
    made without knowing how common the words are, were measured up to eight times slower for
    common words and phrases.
    """
    db = lesende_verbindung
    # atomic() commits at its end only if no transaction is open (autocommit, no atomic block)
    eigene_transaktion = not db.in_atomic_block and db.get_autocommit()
    with transaction.atomic(using=db.alias), db.cursor() as cursor:
        cursor.execute(
            sql.SQL("; ").join(
                sql.SQL("SET LOCAL {} = {}").format(sql.Identifier(name), sql.SQL(wert))
                for name, wert in _PLANUNG.items()
            )
        )
        yield
        # Inside a caller's transaction, its later statements are planned as usual again. Our
        # own transaction ends here, and SET LOCAL with it; after an error, the rollback of the
        # transaction (or savepoint) undoes them.
        if not eigene_transaktion:
            cursor.execute(
                sql.SQL("; ").join(
                    sql.SQL("RESET {}").format(sql.Identifier(name)) for name in _PLANUNG
                )
            )


# --- the searched set ---------------------------------------------------------------------

# Up to this many visible Akten (shares only), their rows are read through the Akte index.
WENIGE_AKTEN = 100
# Up to this many, the ids of the visible Akten are passed as a list; beyond, as a subquery.
MAX_AKTEN_ALS_LISTE = 3_000
# The pre-filter names at most this many OEs; beyond, the Kommunen.
MAX_OES_IM_VORFILTER = 30


_AKTE_ID = sql.Identifier(Suchdokument._meta.db_table, "akte_id")
_DOKUMENT_ID = sql.Identifier(Suchdokument._meta.db_table, "dokument_id")
_VEKTOR = sql.Identifier(Suchdokument._meta.db_table, "vektor")


def _text(zusammengesetzt: sql.Composable) -> str:
    """The composed statement as text, for the ORM's RawSQL (which takes a string)."""
    lesende_verbindung.ensure_connection()
    return zusammengesetzt.as_string(lesende_verbindung.connection)


@dataclass
class _Suchraum:
    """The rows the person may see, and the pre-filter for the tsquery ("" = none)."""

    qs: QuerySet[Suchdokument]
    vorfilter: str = ""
    # the visible Akten are a subquery (more than MAX_AKTEN_ALS_LISTE): statements over many
    # hits check it with a hash join (_ohne_nested_loop)
    unterabfrage: bool = False


@contextmanager
def _ohne_nested_loop(an: bool = True):
    """Around a statement that reads many hits and checks them against the visible Akten as a
    subquery: join them by hashing the visible Akten once. PostgreSQL cannot estimate how many
    rows a tsquery matches (it guesses a few hundred) and would otherwise look up the Akte of
    every hit on its own (at a million Dokumente, ~90,000 lookups for a common word of a
    Kommunen-Admin). Not for the statements that join a few rows (page, snippets)."""
    if not an:
        yield
        return
    with lesende_verbindung.cursor() as cursor:
        cursor.execute("SET LOCAL enable_nestloop = off")
        try:
            yield
        finally:
            cursor.execute("RESET enable_nestloop")


def _zeilen_lesen(cursor, anweisung: sql.Composable, params, ohne_nested_loop: bool) -> list[tuple]:
    """The rows of `anweisung`; with `ohne_nested_loop` planned as in _ohne_nested_loop, the
    setting sent in the same round trip (SET LOCAL; the statement; RESET: three results)."""
    if not ohne_nested_loop:
        cursor.execute(anweisung, params)
        return cursor.fetchall()
    cursor.execute(
        sql.SQL("SET LOCAL enable_nestloop = off; {}; RESET enable_nestloop").format(anweisung),
        params,
    )
    cursor.nextset()
    return cursor.fetchall()


def _suchraum(user) -> _Suchraum:
    anzahl, zeilen, oes, kommunen, innen = _sichtbare_akten(user)
    if not anzahl:
        return _Suchraum(Suchdokument.objects.none())
    if anzahl <= WENIGE_AKTEN:
        return _Suchraum(Suchdokument.objects.filter(akte_id__in=zeilen))
    # Many Akten: the words are ANDed with the OEs (or Kommunen) of the visible Akten, lexemes
    # every vector carries (services._ORT), so the GIN index alone finds the candidate rows and
    # no vector is read to count them. The exact rule is then checked on those rows with a
    # deliberately unindexable expression ("+ 0"): starting from the Akte index instead would
    # test the vector of each of its rows, reading every one of them from TOAST.
    if zeilen is not None:
        # one array parameter: a list of thousands of "%s" costs more to build than to run
        bedingung = sql.SQL("({} + 0) = ANY(%s::bigint[])").format(_AKTE_ID)
        params = (zeilen,)
    else:
        # the statement that counted them, compiled once, used by every statement of the search
        # (the ORM would compile it each time)
        sichtbar_sql, params = innen
        bedingung = sql.SQL(
            "({} + 0) IN (SELECT a.id FROM ({}) AS a(id, oe_id, kommune_id))"
        ).format(_AKTE_ID, sql.SQL(sichtbar_sql))
    # Composed from fixed SQL and identifiers above; every value travels as a parameter.
    qs = Suchdokument.objects.filter(
        RawSQL(_text(bedingung), params, output_field=BooleanField())  # noqa: S611
    )
    return _Suchraum(qs, _vorfilter(oes, kommunen), unterabfrage=zeilen is None)


def _sichtbare_akten(user) -> tuple[int, list[int] | None, list, list, tuple]:
    """How many Akten the person sees, their ids (if at most MAX_AKTEN_ALS_LISTE), and their
    federführende OEs and Kommunen: one statement, grouped by OE and Kommune (cheaper than
    sorting them for DISTINCT). Last, the compiled statement of the visible Akten (id, OE,
    Kommune) with its parameters."""
    innen, params = akten_fuer_sql(user, "pk", "federfuehrende_oe_id", "kommune_id")
    with vorbereiteter_cursor() as cursor:
        cursor.execute(
            sql.SQL(
                """
            SELECT oe_id, kommune_id, count(*),
                   CASE WHEN sum(count(*)) OVER () <= {grenze} THEN array_agg(id) END
            FROM ({innen}) AS a(id, oe_id, kommune_id)
            GROUP BY 1, 2
            """
            ).format(grenze=sql.Literal(MAX_AKTEN_ALS_LISTE), innen=sql.SQL(innen)),
            params,
        )
        gruppen = cursor.fetchall()
    anzahl = sum(g[2] for g in gruppen)
    zeilen = [pk for g in gruppen for pk in g[3]] if anzahl <= MAX_AKTEN_ALS_LISTE else None
    oes, kommunen = sorted({g[0] for g in gruppen}), sorted({g[1] for g in gruppen})
    return anzahl, zeilen, oes, kommunen, (innen, params)


def _vorfilter(oes: list[int], kommunen: list[int]) -> str:
    """A tsquery that every Dokument of the visible Akten matches: their OEs, or if there are
    too many, their Kommunen. (An OR of OEs beats a single Kommune lexeme for the words with
    compounds: a lexeme that must be present makes GIN check every other entry at each of its
    rows, measured 3-6 times slower for the Kommunen-Admin at a million Dokumente.)"""
    if len(oes) <= MAX_OES_IM_VORFILTER:
        lexeme = [f"#oe{oe}" for oe in oes]
    else:
        lexeme = [f"#k{k}" for k in kommunen]
    return " | ".join(anfrage_modul.zitat(lexem) for lexem in lexeme)


def _und(tsquery: str, vorfilter: str) -> str:
    return f"({tsquery}) & ({vorfilter})" if tsquery and vorfilter else tsquery


def _akten_mit_aktenzeichen(user, teile: list[str]) -> QuerySet[Akte]:
    bedingung = Q()
    for teil in teile:
        bedingung |= Q(aktenzeichen__icontains=teil)
    return akten_fuer(user).filter(bedingung)


def _filtern(user, qs: QuerySet[Suchdokument], filter: Filter) -> QuerySet[Suchdokument]:
    if not filter.stornierte:
        qs = qs.filter(storniert=False)  # copied into the row (no join with the Dokumente)
    if filter.kommune:
        qs = qs.filter(kommune__slug=filter.kommune)
    if filter.oe:
        try:
            qs = qs.filter(oe__uuid=uuid.UUID(str(filter.oe)))
        except ValueError:  # not a uuid: nothing matches
            return qs.none()
    if filter.typ:
        qs = qs.filter(typ=filter.typ) if filter.typ in Dokumenttyp.values else qs.none()
    if filter.von:
        qs = qs.filter(datum__gte=filter.von)
    if filter.bis:
        qs = qs.filter(datum__lte=filter.bis)
    if filter.zda in ("offen", "zda"):
        qs = qs.filter(zda=filter.zda == "zda")
    if filter.aktenplan:
        qs = _nach_aktenplan(user, qs, filter.aktenplan)
    return qs


def _nach_aktenplan(user, qs: QuerySet[Suchdokument], kennzeichen) -> QuerySet[Suchdokument]:
    """The rows under the Aktenplan unit `kennzeichen` and its subtree."""
    from eakte.akten.selectors import einheit_nach_kennzeichen

    einheit = einheit_nach_kennzeichen(user, kennzeichen)
    if einheit is None:
        return qs.none()
    schluessel = einheit.sortierschluessel
    return qs.filter(
        Q(aktenplaneinheit__sortierschluessel=schluessel)
        | Q(aktenplaneinheit__sortierschluessel__startswith=schluessel + "/")
    )


# A phrase needs the positions, so PostgreSQL reads the vector of every row that has all its
# words. With more such rows than this, the phrase is looked for in the newest of them only.
FOLGE_FENSTER = 3_000
_FOLGE_OPERATOR = re.compile(r"<(?:-|\d+)>")


@dataclass
class _Treffermenge:
    qs: QuerySet[Suchdokument]  # the matching rows the person may see
    basis: QuerySet[Suchdokument]  # the rows the person may see, filtered, without the words
    tsquery: str = ""  # the words only ("" without words): for the snippets
    # The words without their compounds: ranks a Dokument with the word itself above one that
    # only has a compound, and keeps ts_rank_cd cheap (its cost grows with the query's terms).
    rang_tsquery: str = ""
    suche: str = ""  # the words and the pre-filter: what the GIN index is asked
    vorfilter: str = ""  # the pre-filter alone (see _Suchraum)
    folge_begrenzt: bool = False
    fenster: list[int] | None = None  # a phrase: the Dokumente it was looked for in
    akten_ids: list[int] = field(default_factory=list)  # visible Akten by Aktenzeichen, sorted
    unterabfrage: bool = False  # see _Suchraum


def _treffermenge(
    user, anfrage: anfrage_modul.Anfrage, filter: Filter, *, zusammensetzungen: bool = True
) -> _Treffermenge:
    raum = _suchraum(user)
    basis = _filtern(user, raum.qs, filter)
    akten_ids: list[int] = []
    if anfrage.aktenzeichen:
        akten = _akten_mit_aktenzeichen(user, anfrage.aktenzeichen).order_by("aktenzeichen")
        with vorbereitet():  # a filter on the visible Akten, whatever the text
            akten_ids = list(akten.values_list("pk", flat=True)[: MAX_AKTEN_ALS_LISTE + 1])
        liste = len(akten_ids) <= MAX_AKTEN_ALS_LISTE
        basis = basis.filter(akte_id__in=akten_ids if liste else akten.order_by())
        if liste:  # the rows of a few Akten: looking up each one's Akte is cheaper
            raum.unterabfrage = False
    tsquery = anfrage_modul.tsquery(anfrage, zusammensetzungen=zusammensetzungen)
    if not tsquery:
        qs = basis if anfrage.aktenzeichen else basis.none()
        return _Treffermenge(qs, basis, akten_ids=akten_ids, unterabfrage=raum.unterabfrage)
    suche = _und(tsquery, raum.vorfilter)
    menge = _Treffermenge(
        qs=basis.filter(vektor=_Tsquery(suche)),
        basis=basis,
        akten_ids=akten_ids,
        unterabfrage=raum.unterabfrage,
        tsquery=tsquery,
        suche=suche,
        vorfilter=raum.vorfilter,
        rang_tsquery=(
            anfrage_modul.tsquery(anfrage, zusammensetzungen=False)
            if zusammensetzungen
            else tsquery
        ),
    )
    if _FOLGE_OPERATOR.search(tsquery):
        alle_woerter = basis.filter(vektor=_Tsquery(_FOLGE_OPERATOR.sub("&", suche)))
        with _ohne_nested_loop(raum.unterabfrage):
            fenster = list(
                alle_woerter.order_by("-datum", "-dokument_id").values_list("pk", flat=True)[
                    : FOLGE_FENSTER + 1
                ]
            )
        menge.folge_begrenzt = len(fenster) > FOLGE_FENSTER
        menge.fenster = fenster[:FOLGE_FENSTER]
        # The window holds visible, filtered rows with all the words already: the phrase is
        # checked on their vectors only. Asking the GIN index again would walk the long posting
        # lists of the words a second time for nothing (it cannot check positions), and the
        # visibility would be checked twice; "IS TRUE" keeps the index out.
        menge.qs = Suchdokument.objects.filter(
            RawSQL(  # noqa: S611 - fixed SQL, the values are parameters
                f"{_text(_DOKUMENT_ID)} = ANY(%s::bigint[]) AND ({_text(_VEKTOR)} @@ %s::tsquery)"
                " IS TRUE",
                (menge.fenster, suche),
                output_field=BooleanField(),
            )
        )
    return menge


# --- facets ---------------------------------------------------------------------------------

FACETTEN = ("kommune", "aktenplan", "oe", "typ", "zda")


# Counting reads every hit's row. Up to this many hits the total and the facets are exact;
# beyond, they are counted on the first ZAEHL_GRENZE + 1 hits and shown as "mehr als" / "mind.".
ZAEHL_GRENZE = 10_000


@dataclass
class _Zaehlung:
    # per facet (FACETTEN): value (id, Art, zdA) → number of hits
    spalten: dict[str, dict] = field(default_factory=lambda: {name: {} for name in FACETTEN})
    genau: bool = True  # False: more than ZAEHL_GRENZE hits, the counts are lower bounds
    # the newest RANG_KANDIDATEN hits, newest first (all of them if there are fewer)
    neueste: list[int] = field(default_factory=list)

    @property
    def gesamt(self) -> int:
        # every hit has exactly one Kommune
        return sum(self.spalten["kommune"].values()) if self.genau else ZAEHL_GRENZE


# Each facet's column of the groups is summed up in SQL: a common word's first 10,001 hits fall
# into a few thousand groups, far fewer facet values.
_ZAEHLEN_SQL = """
    WITH t AS MATERIALIZED ({treffer}),
    g AS MATERIALIZED (
        SELECT kommune_id, aktenplaneinheit_id, oe_id, typ, zda, count(*) AS anzahl
        FROM (SELECT * FROM t LIMIT {zaehlgrenze}) erste GROUP BY 1, 2, 3, 4, 5
    )
    SELECT 'kommune', kommune_id::text, sum(anzahl)::bigint, NULL::bigint[] FROM g GROUP BY 2
    UNION ALL SELECT 'aktenplan', aktenplaneinheit_id::text, sum(anzahl)::bigint, NULL
    FROM g GROUP BY 2
    UNION ALL SELECT 'oe', oe_id::text, sum(anzahl)::bigint, NULL FROM g GROUP BY 2
    UNION ALL SELECT 'typ', typ, sum(anzahl)::bigint, NULL FROM g GROUP BY 2
    UNION ALL SELECT 'zda', zda::text, sum(anzahl)::bigint, NULL FROM g GROUP BY 2
    UNION ALL
    SELECT 'neueste', NULL, NULL, array_agg(dokument_id)
    FROM (SELECT dokument_id FROM t ORDER BY datum DESC, dokument_id DESC
          LIMIT {kandidaten}) n
"""
_AUS_TEXT = {"kommune": int, "aktenplan": int, "oe": int, "typ": str, "zda": "true".__eq__}


def _zaehlen(qs: QuerySet[Suchdokument], unterabfrage: bool = False) -> _Zaehlung:
    """Counts per Kommune, Aktenplaneinheit, OE, Art and zdA from one GROUP BY over all five
    columns (far cheaper than GROUPING SETS on many rows) of the first ZAEHL_GRENZE + 1 hits,
    and the newest hits of all: the candidates of the ranking. One statement, so the index is
    asked and the rows are read once."""
    innen = qs.order_by().values_list(
        "dokument_id", "datum", "kommune_id", "aktenplaneinheit_id", "oe_id", "typ", "zda"
    )
    try:
        treffer_sql, params = innen.query.sql_with_params()
    except EmptyResultSet:  # nothing to search (e.g. only stop words) or nothing visible
        return _Zaehlung()
    zaehlung = _Zaehlung()
    anweisung = sql.SQL(_ZAEHLEN_SQL).format(
        treffer=sql.SQL(treffer_sql),
        zaehlgrenze=sql.Literal(ZAEHL_GRENZE + 1),
        kandidaten=sql.Literal(RANG_KANDIDATEN),
    )
    with lesende_verbindung.cursor() as cursor:
        for facette, wert, anzahl, neueste in _zeilen_lesen(
            cursor, anweisung, params, unterabfrage
        ):
            if facette == "neueste":
                zaehlung.neueste = neueste or []
            else:
                zaehlung.spalten[facette][_AUS_TEXT[facette](wert)] = anzahl
    zaehlung.genau = sum(zaehlung.spalten["kommune"].values()) <= ZAEHL_GRENZE
    return zaehlung


def _zaehlung(menge: _Treffermenge) -> _Zaehlung:
    """Count the hits (see `_zaehlen`). Where very many Dokumente are searched (the visible
    Akten as a subquery, e.g. a Kommunen-Admin's), the words are counted without their
    compounds first: if that alone gives more than ZAEHL_GRENZE hits, the counts are lower
    bounds anyway ("mehr als …") and the newest of those hits are the ranking's candidates,
    which it ranks by the words themselves (`rang_tsquery`) in any case; the GIN index then
    skips the long posting lists of the compounds of common words (at a million Dokumente
    two thirds of its time for three common words). Otherwise the words with their compounds
    are counted, as for everyone else."""
    if menge.unterabfrage and menge.fenster is None and menge.rang_tsquery != menge.tsquery:
        ohne = menge.basis.filter(vektor=_Tsquery(_und(menge.rang_tsquery, menge.vorfilter)))
        zaehlung = _zaehlen(ohne, unterabfrage=True)
        if not zaehlung.genau:
            return zaehlung
    return _zaehlen(menge.qs, menge.unterabfrage)


_NAMEN_SQL = sql.SQL(
    """
    WITH e AS MATERIALIZED (  -- read once (not again for each top-level unit it is joined to)
        SELECT id, split_part(sortierschluessel, '/', 1) AS oben
        FROM {einheit} WHERE id = ANY(%(einheiten)s)
    )
    SELECT 'kommune', k.id, k.slug, k.name, ''
    FROM {kommune} k WHERE k.id = ANY(%(kommunen)s)
    UNION ALL
    SELECT 'oe', o.id, o.uuid::text, o.name, ok.name
    FROM {oe} o
    JOIN {kommune} ok ON ok.id = o.kommune_id
    WHERE o.id = ANY(%(oes)s)
    UNION ALL
    SELECT 'aktenplan', e.id, oben.kennzeichen, oben.kennzeichen || ' ' || oben.titel, ''
    FROM e
    JOIN (
        SELECT kennzeichen, titel, sortierschluessel FROM {einheit}
        WHERE aktenplan_id = ({plan}) AND parent_id IS NULL
    ) oben ON oben.sortierschluessel = e.oben
"""
).format(
    kommune=sql.Identifier(Kommune._meta.db_table),
    oe=sql.Identifier(Organisationseinheit._meta.db_table),
    einheit=sql.Identifier(Aktenplaneinheit._meta.db_table),
    plan=aktenplan_selectors.aktueller_aktenplan_sql(),
)


def _facetten_benennen(user, spalten: dict[str, dict]) -> dict[str, list[Facettenwert]]:
    """The facet values with their names, in one statement: Kommunen, OEs, and the top level
    of the Aktenplan in force for the person (to which each Aktenplaneinheit is summed up)."""
    if not spalten["kommune"]:  # no hits: nothing to name (two statements saved)
        return {name: [] for name in FACETTEN}
    kommunen, einheiten, oes, typen, zda = (spalten[name] for name in FACETTEN)
    with vorbereiteter_cursor() as cursor:
        cursor.execute(
            _NAMEN_SQL,
            {
                "kommunen": sorted(kommunen),
                "oes": sorted(oes),
                "einheiten": sorted(einheiten),
                "kommune": user.kommune_id,  # the plan in force for the person
                "heute": timezone.localdate(),
            },
        )
        namen = {(art, pk): (wert, titel, zusatz) for art, pk, wert, titel, zusatz in cursor}
    mehrere_kommunen = len(kommunen) > 1
    typ_titel = dict(Dokumenttyp.choices)
    benannt = {
        "kommune": [(namen.get(("kommune", k)), n) for k, n in kommunen.items()],
        "aktenplan": [(namen.get(("aktenplan", e)), n) for e, n in einheiten.items()],
        "oe": [(_oe_name(namen.get(("oe", o)), mehrere_kommunen), n) for o, n in oes.items()],
        "typ": [((t, typ_titel.get(t, t)), n) for t, n in typen.items()],
        "zda": [(("zda", "zdA") if z else ("offen", "offen"), n) for z, n in zda.items()],
    }
    summen: dict[str, dict[tuple[str, str], int]] = {name: {} for name in FACETTEN}
    for name, werte in benannt.items():
        for wert, anzahl in werte:
            if wert is not None:  # e.g. a unit outside the Aktenplan in force
                schluessel = (wert[0], wert[1])
                summen[name][schluessel] = summen[name].get(schluessel, 0) + anzahl
    return {
        name: sorted(
            (Facettenwert(wert, titel, n) for (wert, titel), n in werte.items()),
            key=_NACH_TITEL.get(name, _nach_wert),
        )
        for name, werte in summen.items()
    }


def _nach_wert(facettenwert: Facettenwert) -> str:
    return facettenwert.wert


def _nach_titel(facettenwert: Facettenwert) -> str:
    return facettenwert.titel


_NACH_TITEL = {"kommune": _nach_titel, "oe": _nach_titel}  # the others by their value


def _oe_name(name: tuple | None, mit_kommune: bool) -> tuple | None:
    if name is None:
        return None
    uuid_, titel, kommune = name
    return (uuid_, f"{titel} ({kommune})" if mit_kommune else titel, kommune)


# --- snippets -------------------------------------------------------------------------------


def ausschnitt_html(roh: str) -> str:
    """Escape the text; only our own markers become <mark>."""
    text = " ".join(escape(roh).split())
    return mark_safe(  # noqa: S308 - escaped above, only our markers become tags
        text.replace(_AN, "<mark>").replace(_AUS, "</mark>")
    )


# ts_headline parses and stems the whole text it is given, which costs more than the rest of a
# search. It is given a window of the text around the first place where a searched word may start
# (anfrage.fundmuster) instead, cut in Python: in SQL, every strpos and substr counts the
# characters of a UTF-8 text from its start, which cost as much as the headline itself. A window
# without any hit (the pattern was only part of another word, or the hit lies further back) gets
# the whole text after all. The texts travel to Python for this (up to TEXT_GRENZE characters
# each; a scanned letter has a few thousand).
FENSTER_VOR, FENSTER_LAENGE = 200, 600
TEXT_GRENZE = 200_000
_LEERRAUM = re.compile(r"\s")
_TEXTE_SQL = sql.SQL(
    """
    SELECT s.dokument_id, left(v.text, %(grenze)s)
    FROM suche_suchdokument s
    JOIN ocr_verarbeitung v ON v.datei_id = s.text_datei_id
    WHERE s.dokument_id = ANY(%(ids)s) AND v.text <> ''
"""
)
_HEADLINES_SQL = sql.SQL(
    """
    SELECT ts_headline('german', u.text, %(q)s::tsquery, %(opt)s)
    FROM unnest(%(texte)s::text[]) WITH ORDINALITY AS u(text, nr)
    ORDER BY u.nr
"""
)


def _ausschnitte(ids: list[int], tsquery: str, muster: list[re.Pattern]) -> dict[int, str]:
    if not ids or not tsquery:
        return {}
    with vorbereiteter_cursor() as cursor:
        cursor.execute(_TEXTE_SQL, {"ids": ids, "grenze": TEXT_GRENZE})
        # our markers are the only ones in a snippet
        texte = {pk: text.replace(_AN, " ").replace(_AUS, " ") for pk, text in cursor.fetchall()}
        fenster = {pk: _fenster(text, muster) for pk, text in texte.items()}
        roh = dict(zip(fenster, _headlines(cursor, list(fenster.values()), tsquery), strict=True))
        ohne_treffer = [
            pk for pk, text in roh.items() if _AN not in text and fenster[pk] != texte[pk]
        ]
        ganz = _headlines(cursor, [texte[pk] for pk in ohne_treffer], tsquery)
        roh.update(zip(ohne_treffer, ganz, strict=True))
    return {pk: ausschnitt_html(text) for pk, text in roh.items()}


def _headlines(cursor, texte: list[str], tsquery: str) -> list[str]:
    if not texte:
        return []
    cursor.execute(_HEADLINES_SQL, {"q": tsquery, "opt": HEADLINE_OPTIONEN, "texte": texte})
    return [zeile[0] for zeile in cursor.fetchall()]


def _fenster(text: str, muster: list[re.Pattern]) -> str:
    """FENSTER_LAENGE characters of `text` from FENSTER_VOR before the first match of the first
    of `muster` that matches, starting and ending at white space (no word cut in half); the
    whole text if it is not longer or nothing matches."""
    treffer = None
    if len(text) > FENSTER_LAENGE:
        treffer = next((t for m in muster if (t := m.search(text))), None)
    if treffer is None:
        return text
    ab = max(0, treffer.start() - FENSTER_VOR)
    if ab and (leer := _LEERRAUM.search(text, ab, ab + 100)):
        ab = leer.end()
    bis = ab + FENSTER_LAENGE
    if bis < len(text):
        leer = [m.start() for m in _LEERRAUM.finditer(text, max(ab + 1, bis - 100), bis)]
        bis = leer[-1] if leer else bis
    return text[ab:bis]


# --- "meinten Sie" --------------------------------------------------------------------------


def _trigramme(wort: str) -> set[str]:
    gepolstert = f"  {wort} "
    return {gepolstert[i : i + 3] for i in range(len(gepolstert) - 2)}


def _aehnlichkeit(a: str, b: str) -> float:
    ta, tb = _trigramme(a), _trigramme(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def _falten(wort: str) -> str:
    return wort.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")


def _kandidaten(wort: str, grenze: int = 3) -> list[str]:
    """The words of the vocabulary closest to `wort` (same first two letters)."""
    klein = wort.lower()
    if len(klein) < 4:
        return []
    woerter = (
        Suchwort.objects.annotate(laenge=Length("wort"))
        .filter(
            wort__startswith=klein[:2],
            laenge__gte=len(klein) - 2,
            laenge__lte=len(klein) + 2,
        )
        .exclude(wort=klein)
        .order_by("-anzahl")
        .values_list("wort", flat=True)[:3000]
    )
    gefaltet = _falten(klein)
    bewertet = sorted(
        ((_aehnlichkeit(gefaltet, _falten(w)), w) for w in woerter), key=lambda x: -x[0]
    )
    return [w for a, w in bewertet[:grenze] if a >= 0.4 and _falten(w) != gefaltet]


def meinten_sie(user, text: str, filter: Filter | None = None) -> str:
    """A corrected query that has hits among what the user may see, else "".

    The vocabulary is shared by all Kommunen, so a candidate is only proposed after the
    corrected query (without compound expansion, so the word itself must occur) found something
    in the user's own search set.
    """
    anfrage = anfrage_modul.zerlegen(text)
    filter = filter or Filter()
    with auf_einer_verbindung(Suchdokument), _volltextplanung():
        return _korrektur(user, anfrage, filter)


def _korrektur(user, anfrage: anfrage_modul.Anfrage, filter: Filter) -> str:
    for gruppe in anfrage.gruppen:
        for begriff in gruppe:
            # Not for prefixes: "wort*" with a candidate could match visible words that merely
            # begin with a word known only from documents the user may not see.
            if begriff.ausschliessen or begriff.art != "wort":
                continue
            wort = begriff.woerter[0]
            for kandidat in _kandidaten(wort):
                ersatz = kandidat.capitalize() if wort[:1].isupper() else kandidat
                neu = re.sub(rf"(?<!\w){re.escape(wort)}(?!\w)", ersatz, anfrage.text, count=1)
                versuch = anfrage_modul.zerlegen(neu)
                menge = _treffermenge(user, versuch, filter, zusammensetzungen=False)
                if menge.qs.exists():
                    return neu
    return ""


# --- the search -----------------------------------------------------------------------------


# Ranking reads each vector (from TOAST). Up to this many hits all are ranked; beyond, the
# newest RANG_KANDIDATEN hits and the newest KOPF_KANDIDATEN with the words in title, Betreff or
# Absender (their own small index) are ranked, and the page says so.
RANG_KANDIDATEN = 1_000
KOPF_KANDIDATEN = 200


def _auch_im_text(ids: list[int], suche: str) -> list[int]:
    """Those of `ids` whose whole vector matches: a title hit is no hit when an excluded word
    (`-wort`) stands in the text. Checked row by row (the CTE keeps PostgreSQL from asking the
    GIN index for all rows with these words): only a few hundred vectors are read."""
    with lesende_verbindung.cursor() as cursor:
        cursor.execute(
            sql.SQL(
                """
            WITH k AS MATERIALIZED (
                SELECT dokument_id, vektor FROM {}
                WHERE dokument_id = ANY(%s::bigint[])
            )
            SELECT dokument_id FROM k WHERE vektor @@ %s::tsquery
            """
            ).format(sql.Identifier(Suchdokument._meta.db_table)),
            [ids, suche],
        )
        return [zeile[0] for zeile in cursor.fetchall()]


def _nach_relevanz(menge: _Treffermenge, ergebnis: "Ergebnis", neueste: list[int]) -> list:
    """(dokument_id, rank) of the hits in rank order. `neueste`: the newest RANG_KANDIDATEN
    hits (found by the counting)."""
    if not (ergebnis.genau and ergebnis.gesamt <= RANG_KANDIDATEN):
        with _ohne_nested_loop(menge.unterabfrage):
            im_kopf = list(
                menge.basis.filter(kopf=_Tsquery(menge.suche))
                .order_by("-datum", "-dokument_id")
                .values_list("pk", flat=True)[:KOPF_KANDIDATEN]
            )
        if menge.fenster is not None:  # a phrase: only where it was looked for
            im_fenster = set(menge.fenster)
            im_kopf = [pk for pk in im_kopf if pk in im_fenster]
        if im_kopf and "!" in menge.suche:
            im_kopf = _auch_im_text(im_kopf, menge.suche)
        neueste = sorted(set(neueste) | set(im_kopf))
        ergebnis.rang_begrenzt = RANG_KANDIDATEN
    # every candidate is a hit already: the ranking only reads their vectors
    with vorbereiteter_cursor() as cursor:
        cursor.execute(
            sql.SQL(
                """
            SELECT dokument_id, ts_rank_cd(vektor, %s::tsquery) AS rang
            FROM {} WHERE dokument_id = ANY(%s::bigint[])
            ORDER BY rang DESC, datum DESC, dokument_id DESC
            """
            ).format(sql.Identifier(Suchdokument._meta.db_table)),
            [menge.rang_tsquery, neueste],
        )
        return cursor.fetchall()


# What the result page and the API show of a hit (templates/suche/ergebnisse.html,
# serializers.DokumentSuchtrefferSerializer): only these columns are read and turned into model
# fields (the whole rows of five tables cost as much as the ranking).
SEITENFELDER = (
    "datum",
    *(f"dokument__{f}" for f in ("uuid", "titel", "typ", "storniert_am")),
    *(
        f"akte__{f}"
        for f in (
            "uuid", "aktenzeichen", "betreff", "kommune_id", "zda_am", "loeschsperre_grund",
            "verbleib", "aktenplaneinheit__kennzeichen", "aktenplaneinheit__titel",
            "kommune__name",
        )
    ),
)  # fmt: skip


def _suchen(user, anfrage, filter, sortierung, seite, seitengroesse, ergebnis: Ergebnis) -> None:
    menge = _treffermenge(user, anfrage, filter)
    if menge.akten_ids:  # found among the visible Akten (akten_fuer) by their Aktenzeichen
        with vorbereitet():
            ergebnis.akten = list(
                Akte.objects.filter(pk__in=menge.akten_ids[:10])
                .select_related("aktenplaneinheit", "kommune", "federfuehrende_oe")
                .order_by("aktenzeichen")
            )
    ergebnis.folge_begrenzt = FOLGE_FENSTER if menge.folge_begrenzt else 0
    zaehlung = _zaehlung(menge)
    ergebnis.genau, ergebnis.gesamt = zaehlung.genau, zaehlung.gesamt
    ergebnis.facetten = _facetten_benennen(user, zaehlung.spalten)
    gerankt = bool(menge.tsquery) and sortierung != "neueste"
    if gerankt:
        zeilen = _nach_relevanz(menge, ergebnis, zaehlung.neueste)
    elif ergebnis.genau and ergebnis.gesamt <= len(zaehlung.neueste):
        zeilen = [(pk, None) for pk in zaehlung.neueste]  # all of them, found by the counting
    else:
        zeilen = menge.qs.order_by("-datum", "-dokument_id").values_list("dokument_id", "datum")
    paginator = Paginator(zeilen, seitengroesse)
    if not ergebnis.rang_begrenzt:
        paginator.count = ergebnis.gesamt  # counted with the facets already
    ergebnis.seite = paginator.get_page(seite)
    raenge = dict(ergebnis.seite.object_list)
    with vorbereitet():  # a generic plan for 20 ids is the custom one
        zeilen_nach_id = (
            Suchdokument.objects.filter(pk__in=list(raenge))
            .select_related("dokument", "akte__aktenplaneinheit", "akte__kommune")
            .only(*SEITENFELDER)
            .in_bulk()
        )
    treffer = [zeilen_nach_id[pk] for pk in raenge if pk in zeilen_nach_id]
    ausschnitte = _ausschnitte(
        [z.pk for z in treffer], menge.tsquery, anfrage_modul.fundmuster(anfrage)
    )
    ergebnis.treffer = [
        Treffer(z, raenge[z.pk] if gerankt else None, ausschnitte.get(z.pk, "")) for z in treffer
    ]
    if not ergebnis.gesamt and not ergebnis.akten and anfrage.gruppen:
        ergebnis.meinten_sie = _korrektur(user, anfrage, filter)  # planning already set


def dokumente_suchen(
    user,
    text: str,
    filter: Filter | None = None,
    sortierung: str = "relevanz",
    seite: int | str = 1,
    seitengroesse: int = SEITENGROESSE,
) -> Ergebnis:
    """Search the Dokumente (and, by Aktenzeichen, the Akten) the user may see."""
    filter = filter or Filter()
    anfrage = anfrage_modul.zerlegen(text)
    ergebnis = Ergebnis(anfrage=anfrage)
    if anfrage.leer or not (user and user.is_authenticated and user.is_active):
        return ergebnis
    # every statement on one server (the replica for the search page, if there is one), so
    # the planner settings of _volltextplanung apply to the ORM's statements too
    with auf_einer_verbindung(Suchdokument), _volltextplanung():
        _suchen(user, anfrage, filter, sortierung, seite, seitengroesse, ergebnis)
    return ergebnis


def akten_vorschlagen(user, text: str, grenze: int = 8) -> list[Akte]:
    """Search-as-you-type: the user's Akten by Aktenzeichen or Betreff."""
    text = (text or "").strip()[:100]
    if len(text) < 2:
        return []
    return list(
        akten_fuer(user)
        .filter(Q(aktenzeichen__icontains=text) | Q(betreff__icontains=text))
        .select_related("kommune")
        .order_by("-angelegt_am", "-id")[:grenze]
    )
