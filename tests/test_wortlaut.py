"""Wording guard (issue 16): no pseudo-plurals such as "Akte(n)", "Dokument(e)", "Datei(en)" in
what users read, and count-dependent texts in the right form for 1 and for 2."""

import io
import re
import tokenize
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from eakte.common.wortlaut import mit_anzahl

WURZEL = Path(__file__).resolve().parent.parent
QUELLEN = ("eakte", "aktenplan", "schulung")
# a letter directly followed by "(n)", "(e)", "(en)", "(s)", "(es)", "(er)", "(in)", "(innen)"
PSEUDO_PLURAL = re.compile(r"[A-Za-zÄÖÜäöüß]\((?:n|e|en|s|es|er|r|in|innen)\)")
VORLAGEN_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)


def funde_in_python(text: str, name: str) -> list[str]:
    """Pseudo-plurals in the string literals (f-strings included) of one Python source."""
    funde = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.STRING and PSEUDO_PLURAL.search(token.string):
            funde.append(f"{name}:{token.start[0]}: {token.string[:80]}")
    return funde


def funde_in_vorlage(text: str, name: str) -> list[str]:
    """Pseudo-plurals in the text of a template (template code is left out)."""
    ohne_code = VORLAGEN_CODE.sub(lambda m: "\n" * m.group().count("\n"), text)
    return [
        f"{name}:{nummer}: {zeile.strip()[:80]}"
        for nummer, zeile in enumerate(ohne_code.splitlines(), 1)
        if PSEUDO_PLURAL.search(zeile)
    ]


def test_die_pruefung_findet_die_alten_texte():
    """The guard itself can fail: the texts it replaced are found."""
    alt = 'messages.success(request, f"{anzahl} Dokument(e) liegen jetzt im Vorgang.")\n'
    assert funde_in_python(alt, "alt.py")
    assert funde_in_python('raise CommandError(f"{n} Protokoll-Kette(n) gebrochen.")\n', "x")
    assert funde_in_vorlage("<p>{{ n }} Datei(en) werden noch verarbeitet.</p>", "alt.html")
    assert funde_in_vorlage("<p>Es fehlen {{ n }} Ziffer(n).</p>", "alt.html")
    # code is not text: a call like f(n) or Rolle(r) and template tags are left alone
    assert not funde_in_python(
        "werte = {f(n) for n in nadeln}\nrollen = [Rolle(r) for r in x]\n", "c"
    )
    assert not funde_in_vorlage("{% if x(n) %}{{ wert|default:'(n)' }}{% endif %}", "c.html")


def test_keine_pseudo_plurale_in_python():
    funde = []
    for ordner in QUELLEN:
        for datei in sorted((WURZEL / ordner).rglob("*.py")):
            if "migrations" not in datei.parts:
                funde += funde_in_python(datei.read_text(), str(datei.relative_to(WURZEL)))
    assert funde == [], "ngettext/mit_anzahl statt „(n)“:\n" + "\n".join(funde)


def test_keine_pseudo_plurale_in_vorlagen():
    funde = []
    for datei in sorted((WURZEL / "templates").rglob("*")):
        if datei.suffix in (".html", ".txt"):
            funde += funde_in_vorlage(datei.read_text(), str(datei.relative_to(WURZEL)))
    assert funde == [], "{% blocktranslate count %} oder |pluralize statt „(n)“:\n" + "\n".join(
        funde
    )


@pytest.mark.parametrize(
    ("zahl", "erwartet"), [(0, "0 Akten"), (1, "1 Akte"), (2, "2 Akten"), (21, "21 Akten")]
)
def test_mit_anzahl(zahl, erwartet):
    assert mit_anzahl(zahl, "Akte", "Akten") == erwartet


@pytest.mark.parametrize(("seiten", "text"), [(1, "hat 1 Seite."), (2, "hat 2 Seiten.")])
def test_schwaerzung_ausserhalb_des_dokuments(seiten, text):
    from eakte.einsicht.schwaerzung import Kasten, kasten_pruefen

    with pytest.raises(ValidationError) as fehler:
        kasten_pruefen(Kasten(seite=5, x0=0.1, y0=0.1, x1=0.2, y1=0.2), seiten)
    assert fehler.value.messages == [f"Seite 5 gibt es nicht; das Dokument {text}"]


@pytest.mark.parametrize(
    ("frei", "kapazitaet", "text"),
    [(1, 1, "der einzige Platz ist frei"), (1, 2, "1 von 2 Plätzen frei")],
)
def test_freie_plaetze(frei, kapazitaet, text):
    termin = SimpleNamespace(abgesagt=False, frei=frei, kapazitaet=kapazitaet, wartend=0)
    assert render_to_string("schulung/_plaetze.html", {"termin": termin}).strip() == text


@pytest.mark.parametrize(
    ("anzahl", "text"),
    [(1, "Kette geprüft: 1 Eintrag in Ordnung."), (2, "Kette geprüft: 2 Einträge in Ordnung.")],
)
def test_kettenpruefung_zaehlt_richtig(rf, anzahl, text):
    from django.contrib.auth.models import AnonymousUser

    anfrage = rf.get("/protokoll/kette/")
    anfrage.user = AnonymousUser()
    seite = render_to_string("protokoll/kette.html", {"anzahl": anzahl}, request=anfrage)
    assert text in seite


@pytest.mark.django_db
def test_protokoll_nennt_geaenderte_felder_deutsch(akte, sachbearbeitung):
    """'Akte geändert: Betreff, federführende OE', not the field names of the code."""
    from eakte.akten import services as akten_services
    from eakte.protokoll.models import Protokolleintrag
    from tests.hilfen import akteur_von

    akten_services.akte_aendern(
        akteur=akteur_von(sachbearbeitung), akte=akte, betreff="Neuer Betreff"
    )
    eintrag = Protokolleintrag.alle.filter(akte_uuid=akte.uuid).order_by("-laufnummer").first()
    assert eintrag.beschreibung == "Akte geändert: Betreff"


@pytest.mark.parametrize(
    ("mime_typ", "worte"),
    [
        ("application/pdf", "PDF-Dokument"),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word-Dokument",
        ),
        ("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument-Tabelle"),
        ("message/rfc822", "E-Mail"),
        ("image/gif", "Bild"),
        ("application/x-dosexec", "ausführbares Programm"),
        ("chemical/x-pdb", "anderes Dateiformat"),
    ],
)
def test_dateiart_in_worten(mime_typ, worte):
    from eakte.akten.dateiarten import in_worten

    assert in_worten(mime_typ) == worte


@pytest.mark.django_db
def test_dokumentseite_nennt_die_dateiart_nicht_den_mime_typ(client_als, sachbearbeitung, dokument):
    seite = client_als(sachbearbeitung).get(f"/akten/dokumente/{dokument.uuid}/").content.decode()
    assert "<dt>Dateityp</dt><dd>PDF-Dokument</dd>" in seite
    assert "application/pdf" not in seite
