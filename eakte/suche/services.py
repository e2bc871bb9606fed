"""Upkeep of the search index. Every write of the records that changes what a Dokument is found
by calls one of the `*_indexieren` functions below, inside its own transaction: the Dokument is
findable when that write commits, and a rolled-back upload leaves no index row. They are
idempotent: the row is always recomputed from the current Dokument, Akte and text.

The text-search configuration is PostgreSQL's built-in `german` (Snowball stemmer, stop words).
It already folds ä/ö/ü to a/o/u and ß to ss, so "Strasse" and "Straße" share a lexeme; spellings
with ae/oe/ue are handled on the query side (see anfrage.py). No extension is needed: the
embedded PostgreSQL of `make run` ships neither unaccent nor pg_trgm.
"""

from collections.abc import Iterable

from django.db import connection
from django.db.models import F
from psycopg import sql

from eakte.akten.models import Dokument

# The first characters of the text count more (C) than the rest (D): a hit on the first page of
# a letter outweighs one on page 12. tsvector holds at most 1 MB, so very long texts are cut.
TEXT_C = 6000
TEXT_MAX = 400_000

# Token types of the default parser that are words (ts_token_type('default')).
WORTTYPEN = (1, 2, 10, 11)

# Two lexemes that no text can produce ("#" is never part of a word) name the Kommune and the
# federführende OE. A search ANDs them to its words (selectors.py), so that the GIN index alone
# narrows the hits to the person's OEs or Kommunen and no other row is read.
_ORT = sql.SQL("array_to_tsvector(ARRAY['#k' || d.kommune_id, '#oe' || a.federfuehrende_oe_id])")


# Tokens the parser keeps whole although they join words: paths and slash-joined words
# ("Zaunbau/Heckenschnitt", "O|N/Hendrik" → "n/hendrik"), host names ("www.odenwaldkreis.de"),
# URLs and their paths, e-mail addresses. The vector has them as lexemes with "/" or "." (and a
# letter); their words are added after the field's text (like the parts of a hyphenated word),
# so each is found alone and the whole token still when typed whole. Taken from the vector's
# lexemes, not by parsing the text again: the distinct lexemes are few, a second parse of a long
# text would double the cost of indexing it.
def _mit_teilen(vektor: sql.Composable) -> sql.Composed:
    return sql.SQL(
        """({vektor} || to_tsvector('german', translate(array_to_string(ARRAY(
            SELECT l FROM unnest(tsvector_to_array({vektor})) l WHERE l ~ '[/.]' AND l ~ '[a-z]'
        ), ' '), '/._~', '    ')))"""
    ).format(vektor=vektor)


# The vectors of the three parts, each parsed once (OFFSET 0 keeps PostgreSQL from copying the
# expression into each place that uses it). The recognised text is one vector, so every word
# keeps its place: a word or phrase across the 6,000th character is found (two vectors for two
# parts would cut it into fragments).
_TEILE = sql.SQL(
    """
    CROSS JOIN LATERAL (
        SELECT to_tsvector('german', d.titel || ' ' || a.betreff || ' ' || a.aktenzeichen) AS a,
               to_tsvector('german', d.absender || ' ' || d.empfaenger || ' ' || d.bemerkung) AS b,
               to_tsvector('german', left(coalesce(vb.text, ''), {text_max})) AS t
        OFFSET 0
    ) tv
"""
).format(text_max=sql.Literal(TEXT_MAX))

_KOPF = sql.SQL(
    """
    setweight({a}, 'A')
    || setweight({b}, 'B')
    || {ort}
"""
).format(a=_mit_teilen(sql.SQL("tv.a")), b=_mit_teilen(sql.SQL("tv.b")), ort=_ORT)
# The words of the first characters of the text get weight C, at all their places; the others
# keep D.
_VEKTOR = sql.SQL(
    """
    {kopf}
    || setweight({text}, 'C',
                 tsvector_to_array(to_tsvector('german', left(coalesce(vb.text, ''), {text_c}))))
"""
).format(kopf=_KOPF, text=_mit_teilen(sql.SQL("tv.t")), text_c=sql.Literal(TEXT_C))

_AUFNEHMEN = sql.SQL(
    """
    INSERT INTO suche_suchdokument
        (dokument_id, kommune_id, akte_id, oe_id, aktenplaneinheit_id, zda, storniert, typ,
         datum, text_datei_id, vektor, kopf, aktualisiert_am)
    SELECT d.id, d.kommune_id, d.akte_id, a.federfuehrende_oe_id, a.aktenplaneinheit_id,
           a.zda_am IS NOT NULL, d.storniert_am IS NOT NULL, d.typ,
           coalesce(d.posteingangsdatum, d.postausgangsdatum,
                    (d.angelegt_am AT TIME ZONE 'Europe/Berlin')::date),
           CASE WHEN vb.id IS NULL THEN NULL ELSE v.datei_id END,
           {vektor},
           {kopf},
           now()
    FROM akten_dokument d
    JOIN akten_akte a ON a.id = d.akte_id
    LEFT JOIN akten_version v ON v.dokument_id = d.id AND v.nummer = d.letzte_versionsnummer
    LEFT JOIN ocr_verarbeitung vb ON vb.datei_id = v.datei_id AND vb.status = 'fertig'
    {teile}
    WHERE d.id = ANY(%s)
    -- waits for a transaction changing the Akte (its OE, zdA …) and then reads its new state,
    -- so a Dokument indexed at the same moment never keeps the Akte's old values
    FOR SHARE OF a
    ON CONFLICT (dokument_id) DO UPDATE SET
        kommune_id = EXCLUDED.kommune_id, akte_id = EXCLUDED.akte_id, oe_id = EXCLUDED.oe_id,
        aktenplaneinheit_id = EXCLUDED.aktenplaneinheit_id, zda = EXCLUDED.zda,
        storniert = EXCLUDED.storniert, typ = EXCLUDED.typ,
        datum = EXCLUDED.datum, text_datei_id = EXCLUDED.text_datei_id,
        vektor = EXCLUDED.vektor, kopf = EXCLUDED.kopf, aktualisiert_am = EXCLUDED.aktualisiert_am
"""
).format(vektor=_VEKTOR, kopf=_KOPF, teile=_TEILE)

# The words as written, for compounds and "meinten Sie". Ordered, so that two transactions
# adding overlapping words lock the rows in the same order (no deadlock).
_WOERTER = sql.SQL(
    """
    INSERT INTO suche_suchwort (wort, lexem, rueckwaerts, anzahl)
    SELECT w.wort, w.lexem, reverse(w.lexem), w.anzahl
    FROM (
        SELECT t.wort, (ts_lexize('german_stem', t.wort))[1] AS lexem, count(*) AS anzahl
        FROM (
            SELECT DISTINCT d.id, lower(p.token) AS wort
            FROM akten_dokument d
            JOIN akten_akte a ON a.id = d.akte_id
            LEFT JOIN akten_version v
                ON v.dokument_id = d.id AND v.nummer = d.letzte_versionsnummer
            LEFT JOIN ocr_verarbeitung vb ON vb.datei_id = v.datei_id AND vb.status = 'fertig'
            -- "/" and "." read as spaces: the words of paths and host names are words of the
            -- vector too (_mit_teilen), so compounds of them are found
            CROSS JOIN LATERAL ts_parse('default', translate(
                d.titel || ' ' || a.betreff || ' ' || d.absender || ' ' || d.empfaenger || ' '
                || d.bemerkung || ' ' || left(coalesce(vb.text, ''), {text_max}), '/.', '  ')) p
            WHERE d.id = ANY(%s) AND p.tokid IN ({worttypen})
              AND char_length(p.token) BETWEEN 3 AND 60
        ) t
        GROUP BY t.wort
    ) w
    WHERE w.lexem IS NOT NULL AND w.lexem <> ''
    ORDER BY w.wort
    ON CONFLICT (wort) DO NOTHING
"""
).format(
    text_max=sql.Literal(TEXT_MAX),
    worttypen=sql.SQL(", ").join(sql.Literal(typ) for typ in WORTTYPEN),
)


def indexieren_jetzt(dokument_ids: Iterable[int], *, woerter: bool = True) -> int:
    """(Re)compute the index rows of these Dokumente now, in the caller's transaction."""
    ids = sorted(set(dokument_ids))
    if not ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_AUFNEHMEN, [ids])
        anzahl = cursor.rowcount
        if woerter:
            cursor.execute(_WOERTER, [ids])
    return anzahl


def dokument_indexieren(dokument_id: int) -> None:
    """Index this Dokument in the caller's transaction (upload, new Version, changed metadata,
    moved): findable as soon as the write commits, gone if it rolls back."""
    indexieren_jetzt([dokument_id])


def akte_indexieren(akte_id: int) -> None:
    """Reindex every Dokument of the Akte (its Betreff is part of their vector; OE,
    Aktenplaneinheit and zdA are copied for the facets), whatever Bereich the caller is in: for
    the Dokumente of a new Akte of the Antragseingang this is their only index pass."""
    indexieren_jetzt(Dokument.alle.filter(akte_id=akte_id).values_list("pk", flat=True))


def oe_umhaengen(alt_id: int, neu_id: int) -> int:
    """The Akten of OE `alt_id` are now led by `neu_id` (OEs merged): their rows get the new OE
    and its `#oe` lexeme without reparsing any text."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE suche_suchdokument
            SET oe_id = %(neu)s,
                vektor = ts_delete(vektor, %(alt_lexem)s) || array_to_tsvector(%(neu_lexem)s),
                kopf = ts_delete(kopf, %(alt_lexem)s) || array_to_tsvector(%(neu_lexem)s),
                aktualisiert_am = now()
            WHERE oe_id = %(alt)s
            """,
            {
                "alt": alt_id, "neu": neu_id, "alt_lexem": f"#oe{alt_id}",
                "neu_lexem": [f"#oe{neu_id}"],
            },
        )  # fmt: skip
        return cursor.rowcount


def datei_indexieren(datei_id: int) -> None:
    """Reindex the Dokumente whose latest Version has this stored file (its text was just
    recognised; the same content may be filed in several Dokumente)."""
    indexieren_jetzt(
        Dokument.objects.filter(
            versionen__datei_id=datei_id, versionen__nummer=F("letzte_versionsnummer")
        ).values_list("pk", flat=True)
    )


# How many Dokumente contain each lexeme (for ordering compounds and corrections); run after a
# rebuild. Counted over lexemes, which is what the index holds.
ANZAHL_NEU_ZAEHLEN = """
    UPDATE suche_suchwort w SET anzahl = z.anzahl
    FROM (SELECT word, ndoc AS anzahl FROM ts_stat('SELECT vektor FROM suche_suchdokument')) z
    WHERE z.word = w.lexem AND w.anzahl <> z.anzahl
"""


# --- receivers of eakte.akten.signale (connected in SucheConfig.ready) -----------------------


def bei_dokumente_geaendert(sender, *, dokument_ids, **kwargs) -> None:
    indexieren_jetzt(dokument_ids)


def bei_akte_geaendert(sender, *, akte_id: int, **kwargs) -> None:
    akte_indexieren(akte_id)


def bei_oe_umgehaengt(sender, *, alt_id: int, neu_id: int, **kwargs) -> None:
    oe_umhaengen(alt_id, neu_id)
