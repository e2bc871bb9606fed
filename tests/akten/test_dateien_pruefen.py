"""`manage.py dateien_pruefen` finds every missing or altered stored file."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from eakte.akten import services
from eakte.betrieb.management.commands import dateien_pruefen
from tests.hilfen import akteur_von

# Every test runs with the folder and again with the S3 bucket (tests/dateispeicher.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dateispeicher")]


def _pruefen(*args) -> tuple[str, CommandError | None]:
    ausgabe = StringIO()
    try:
        call_command("dateien_pruefen", *args, stdout=ausgabe)
    except CommandError as fehler:
        return ausgabe.getvalue(), fehler
    return ausgabe.getvalue(), None


@pytest.fixture
def drei_versionen(vorgang, sachbearbeitung, pdf_datei):
    return [
        services.dokument_hochladen(
            akteur=akteur_von(sachbearbeitung), vorgang=vorgang, datei=pdf_datei(name), titel=titel
        )
        for name, titel in (
            ("Bauantrag.pdf", "Bauantrag"),
            ("Lageplan.pdf", "Lageplan"),
            ("Statik.pdf", "Statik"),
        )
    ]


def test_alles_in_ordnung(drei_versionen):
    ausgabe, fehler = _pruefen()
    assert fehler is None
    assert "3 Dateien geprüft, alle in Ordnung." in ausgabe


@pytest.mark.parametrize("vollstaendig", [False, True])
def test_veraenderte_und_fehlende_datei_werden_gemeldet(
    drei_versionen, vorgang, dateispeicher, vollstaendig
):
    veraendert, geloescht, heil = drei_versionen
    if dateispeicher.art == "ordner":
        pfad = Path(dateispeicher.eintrag["OPTIONS"]["location"]) / veraendert.datei.speicherort
        assert pfad.stat().st_mode & 0o777 == 0o440  # stored read-only
    inhalt = dateispeicher.lesen(veraendert.datei.speicherort)
    dateispeicher.veraendern(veraendert.datei.speicherort, inhalt + b"% appended later")
    dateispeicher.loeschen(geloescht.datei.speicherort)

    ausgabe, fehler = _pruefen(*(["--vollstaendig"] if vollstaendig else []))

    assert fehler is not None and "2 von 3 Dateien fehlen oder wurden verändert" in str(fehler)
    assert f"{veraendert.datei.speicherort} ({veraendert.datei.groesse} Bytes): verändert" in (
        ausgabe
    )
    assert f"{geloescht.datei.speicherort} ({geloescht.datei.groesse} Bytes): fehlt" in ausgabe
    akte = vorgang.akte
    for version, titel in ((veraendert, "Bauantrag"), (geloescht, "Lageplan")):
        assert (
            f"{akte.aktenzeichen} · Vorgang {vorgang.vorgangszeichen} · Dokument „{titel}“ "
            f"({version.dokument.uuid}) · Version 1 ({version.dateiname})"
        ) in ausgabe
    assert heil.datei.speicherort not in ausgabe
    assert "Statik" not in ausgabe


def test_gleicher_inhalt_in_zwei_versionen_nennt_beide(
    drei_versionen, sachbearbeitung, pdf_datei, dateispeicher
):
    erste = drei_versionen[0]
    zweite = services.version_hochladen(
        akteur=akteur_von(sachbearbeitung),
        dokument=drei_versionen[1].dokument,
        datei=pdf_datei("Kopie.pdf", "Bauantrag.pdf"),  # the same bytes as the first upload
    )
    assert zweite.datei_id == erste.datei_id
    dateispeicher.loeschen(erste.datei.speicherort)
    ausgabe, fehler = _pruefen()
    assert isinstance(fehler, CommandError)
    assert "1 von 3 Dateien fehlen oder wurden verändert" in str(fehler)
    assert "Dokument „Bauantrag“" in ausgabe and "Version 1 (Bauantrag.pdf)" in ausgabe
    assert "Dokument „Lageplan“" in ausgabe and "Version 2 (Kopie.pdf)" in ausgabe


def test_nur_eine_kommune(
    drei_versionen,
    akte_anlegen,
    fremde_sachbearbeitung,
    ordnungsamt_michelstadt,
    pdf_datei,
    dateispeicher,
):
    fremde_akte = akte_anlegen(fremde_sachbearbeitung, ordnungsamt_michelstadt)
    fremder_vorgang = services.vorgang_anlegen(
        akteur=akteur_von(fremde_sachbearbeitung), akte=fremde_akte, betreff="Antrag"
    )
    fremd = services.dokument_hochladen(
        akteur=akteur_von(fremde_sachbearbeitung),
        vorgang=fremder_vorgang,
        datei=pdf_datei("Fremd.pdf"),
    )
    dateispeicher.loeschen(fremd.datei.speicherort)
    ausgabe, fehler = _pruefen("--kommune", "erbach")
    assert fehler is None and "3 Dateien geprüft, alle in Ordnung." in ausgabe
    ausgabe, fehler = _pruefen("--kommune", "michelstadt")
    assert isinstance(fehler, CommandError) and fremde_akte.aktenzeichen in ausgabe
    assert "1 von 1 Dateien fehlen oder wurden verändert" in str(fehler)
    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("dateien_pruefen", "--kommune", "atlantis")


def test_fortschritt_je_block(drei_versionen, monkeypatch, dateispeicher):
    monkeypatch.setattr(dateien_pruefen, "BLOCK", 2)
    dateispeicher.loeschen(drei_versionen[2].datei.speicherort)
    ausgabe, fehler = _pruefen()
    assert isinstance(fehler, CommandError)
    zeilen = ausgabe.splitlines()
    assert zeilen[0] == "Prüfe 3 Dateien …"
    assert "2 von 3 Dateien geprüft, 0 Befunde" in zeilen
    assert "1 von 3 Dateien fehlen oder wurden verändert" in str(fehler)
