"""From what a person types to a PostgreSQL tsquery, the way web search works:

- words are ANDed; `OR` between two terms ORs them; `-wort` excludes;
- "quoted phrases" must appear in this order (stop words in between keep their distance);
- `wort*` is a prefix;
- a token that looks like an Aktenzeichen (`MIC-02.1-0007`) is looked up among the Akten
  instead of the text.

Every word is stemmed with the `german` Snowball stemmer (in PostgreSQL, as the index is) in up
to three spellings: as typed, with ae/oe/ue read as ä/ö/ü ("Buergermeister"), and with ä/ö/ü
written out (documents typed without umlauts). The stemmer itself maps ß to ss. A word of four
or more letters also matches the compounds that end with it ("Bescheid" → "Förderbescheid"),
taken from the vocabulary of the index; hyphenated compounds ("Kita-Gebührensatzung") are split
by PostgreSQL's parser anyway. The result is a tsquery text built from lexemes only (quoted), so
nothing the person types reaches the query syntax unquoted.
"""

import re
from dataclasses import dataclass, field

from psycopg import sql

from eakte.common.lesereplik import lesende_verbindung
from eakte.common.sprache import schreibweisen

AKTENZEICHEN = re.compile(r"^[A-Za-zÄÖÜäöü]{2,8}-[\w./\-]*\d[\w./\-]*$")
WORT = re.compile(r"[^\W_]+")
ZUSAMMENSETZUNGEN_JE_WORT = 15  # the most frequent ones
MIN_TEIL = 4


@dataclass
class Begriff:
    art: str  # "wort", "phrase", "praefix"
    woerter: list[str]
    ausschliessen: bool = False
    text: str = ""  # a phrase as typed


@dataclass
class Anfrage:
    text: str
    gruppen: list[list[Begriff]] = field(default_factory=list)  # AND of ORs
    aktenzeichen: list[str] = field(default_factory=list)
    _lexeme: "_Lexeme | None" = field(default=None, repr=False, compare=False)
    _mit_komposita: bool = field(default=False, repr=False, compare=False)

    @property
    def leer(self) -> bool:
        return not self.gruppen and not self.aktenzeichen


def zerlegen(text: str) -> Anfrage:
    anfrage = Anfrage(text=(text or "").strip()[:500])
    teile = re.findall(r'(-?)"([^"]*)"?|(\S+)', anfrage.text)
    oder = False
    for minus, phrase, ausdruck in teile:
        if ausdruck == "OR":
            oder = bool(anfrage.gruppen)
            continue
        if ausdruck:
            minus = "-" if ausdruck.startswith("-") and len(ausdruck) > 1 else ""
            ausdruck = ausdruck[1:] if minus else ausdruck
            if AKTENZEICHEN.match(ausdruck) and not minus:
                anfrage.aktenzeichen.append(ausdruck.upper())
                oder = False
                continue
        begriff = _begriff_aus_token(ausdruck) if ausdruck else _begriff_aus_phrase(phrase)
        if begriff is None:
            continue
        begriff.ausschliessen = bool(minus)
        if oder:
            anfrage.gruppen[-1].append(begriff)
        else:
            anfrage.gruppen.append([begriff])
        oder = False
    return anfrage


def _begriff_aus_token(token: str) -> Begriff | None:
    woerter = WORT.findall(token)
    if token.endswith("*") and len(woerter) == 1:
        return Begriff("praefix", woerter)
    if len(woerter) == 1:
        return Begriff("wort", woerter)
    if woerter:
        return Begriff("phrase", woerter, text=token)
    return None


def _begriff_aus_phrase(phrase: str) -> Begriff | None:
    woerter = WORT.findall(phrase)
    if not woerter:
        return None
    return Begriff("phrase" if len(woerter) > 1 else "wort", woerter, text=phrase)


@dataclass
class _Lexeme:
    """What PostgreSQL makes of the words of one Anfrage (looked up once, in one query)."""

    stamm: dict[str, str]  # spelling → stem ("" for a stop word)
    phrase: dict[str, str]  # phrase → PostgreSQL's own phrase query for it
    komposita: dict[str, list[str]]  # stem → the lexemes in the index ending with it


# Stems with the german Snowball stemmer, as the index has them; phrases with phraseto_tsquery
# (PostgreSQL knows how hyphenated words and stop words take their positions); and per stem of
# four or more letters the most frequent lexemes of the vocabulary that end with it (compounds
# whose head it is). The range on `rueckwaerts` uses the pattern-ops index for each stem.
_NACHSCHLAGEN = sql.SQL(
    """
    WITH s AS (
        SELECT w, coalesce((ts_lexize('german_stem', w))[1], '') AS l
        FROM unnest(%(woerter)s::text[]) AS w
    )
    SELECT 'w', w, l FROM s
    UNION ALL
    SELECT 'p', p, phraseto_tsquery('german', p)::text FROM unnest(%(phrasen)s::text[]) AS p
    UNION ALL
    SELECT 'k', h.l, k.lexem
    FROM (
        SELECT DISTINCT l FROM s
        WHERE w = ANY(%(haupt)s::text[]) AND char_length(l) >= {min_teil} AND l !~ '[0-9_]'
    ) h
    CROSS JOIN LATERAL (
        SELECT lexem FROM suche_suchwort
        WHERE rueckwaerts ~>=~ reverse(h.l) AND rueckwaerts ~<~ (reverse(h.l) || chr(1114111))
          AND lexem <> h.l
        GROUP BY lexem ORDER BY max(anzahl) DESC, lexem LIMIT {je_wort}
    ) k
"""
).format(min_teil=sql.Literal(MIN_TEIL), je_wort=sql.Literal(ZUSAMMENSETZUNGEN_JE_WORT))


def _nachschlagen(anfrage: Anfrage, *, zusammensetzungen: bool) -> _Lexeme:
    if anfrage._lexeme is not None and (anfrage._mit_komposita or not zusammensetzungen):
        return anfrage._lexeme
    begriffe = [b for g in anfrage.gruppen for b in g]
    woerter = {v for b in begriffe for w in b.woerter for v in schreibweisen(w)}
    phrasen = {v for b in begriffe if b.art == "phrase" for v in schreibweisen(b.text)}
    haupt = (
        {w.lower() for b in begriffe if b.art == "wort" and not b.ausschliessen for w in b.woerter}
        if zusammensetzungen
        else set()
    )
    lexeme = _Lexeme({}, {}, {})
    if woerter:
        with lesende_verbindung.cursor() as cursor:
            cursor.execute(
                _NACHSCHLAGEN,
                {"woerter": sorted(woerter), "phrasen": sorted(phrasen), "haupt": sorted(haupt)},
            )
            for art, schluessel, wert in cursor.fetchall():
                if art == "w":
                    lexeme.stamm[schluessel] = wert
                elif art == "p":
                    lexeme.phrase[schluessel] = wert
                else:
                    lexeme.komposita.setdefault(schluessel, []).append(wert)
    anfrage._lexeme, anfrage._mit_komposita = lexeme, zusammensetzungen
    return lexeme


def fundmuster(anfrage: Anfrage) -> list[re.Pattern]:
    """Where a hit may start in a text, ignoring case, best first: the phrases, their words in
    order with anything but letters between them (a stop word stands for any word, as in the
    index); then each searched (not excluded) word on its own, as its stem or its spellings as
    typed (a stem lacks the umlauts of "Bürgermeister", a spelling the stem's other forms:
    together they find most hits).

    The patterns run in Python over texts of up to 200,000 characters that anyone may upload:
    every part of a phrase matches in one way only (atomic groups, possessive repeats, a word
    starts at a word boundary), so a search takes time linear in the text, whatever the words."""
    gefunden = _nachschlagen(anfrage, zusammensetzungen=anfrage._mit_komposita)
    phrasen, woerter = set(), set()
    for b in (b for gruppe in anfrage.gruppen for b in gruppe if not b.ausschliessen):
        formen = [_formen(w, gefunden) for w in b.woerter]
        if b.art == "phrase" and any(formen):  # not a phrase of stop words only
            phrasen.add(r"\W++".join(_phrasenwort(f) for f in formen))
        woerter.update(form for f in formen for form in f)
    return [re.compile("|".join(sorted(t)), re.IGNORECASE) for t in (phrasen, woerter) if t]


def _phrasenwort(formen: list[str]) -> str:
    """One word of a phrase: a form and the rest of its word, or any word for a stop word."""
    if not formen:
        return r"\b\w++"
    return r"\b(?>(?:" + "|".join(formen) + r")\w{0,60})"


def _formen(wort: str, gefunden: _Lexeme) -> list[str]:
    """The spellings of `wort` and their stems, as patterns; none for a stop word (in any of
    its spellings: "für" is one, "fuer" is not)."""
    varianten = schreibweisen(wort)
    if any(gefunden.stamm.get(v) == "" for v in varianten):
        return []
    return sorted(
        {re.escape(n) for v in varianten for n in (v, gefunden.stamm.get(v, "")) if len(n) >= 2}
    )


def zitat(lexem: str) -> str:
    return "'" + lexem.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery(anfrage: Anfrage, *, zusammensetzungen: bool = True) -> str:
    """The tsquery text for the words of `anfrage` ("" if nothing searchable is left)."""
    gefunden = _nachschlagen(anfrage, zusammensetzungen=zusammensetzungen)
    if not zusammensetzungen:
        gefunden = _Lexeme(stamm=gefunden.stamm, phrase=gefunden.phrase, komposita={})
    und = [teil for gruppe in anfrage.gruppen if (teil := _gruppe_tsquery(gruppe, gefunden))]
    if und and all(t.startswith("!") for t in und):
        return ""  # only exclusions: nothing to search for
    return " & ".join(und)


def _gruppe_tsquery(gruppe: list[Begriff], gefunden: _Lexeme) -> str:
    """One AND-part: the ORed Begriffe of a group ("" if none of them is searchable)."""
    oder = []
    for b in gruppe:
        teil = _begriff_tsquery(b, gefunden)
        if teil:
            oder.append(("!" + teil) if b.ausschliessen else teil)
    if not oder:
        return ""
    return oder[0] if len(oder) == 1 else "(" + " | ".join(oder) + ")"


def _begriff_tsquery(b: Begriff, gefunden: _Lexeme) -> str:
    if b.art == "praefix":
        return _wort_tsquery(b.woerter[0], gefunden, teile=False, praefix=True)
    if b.art == "wort":
        return _wort_tsquery(b.woerter[0], gefunden, teile=not b.ausschliessen)
    varianten = []
    for variante in schreibweisen(b.text):
        teil = gefunden.phrase.get(variante, "")
        if teil and teil not in varianten:
            varianten.append(teil)
    return "(" + " | ".join(f"({v})" for v in varianten) + ")" if varianten else ""


def _wort_tsquery(w: str, gefunden: _Lexeme, *, teile: bool, praefix: bool = False) -> str:
    """A word in every spelling (umlauts), with the compounds it heads when `teile`."""
    lexeme = []
    for variante in schreibweisen(w):
        lexem = gefunden.stamm.get(variante, "")
        if lexem and lexem not in lexeme:
            lexeme.append(lexem)
    if not lexeme:
        return ""
    if teile:
        lexeme += [k for k in gefunden.komposita.get(lexeme[0], []) if k not in lexeme]
    suffix = ":*" if praefix else ""
    return "(" + " | ".join(zitat(lexem) + suffix for lexem in lexeme) + ")"
