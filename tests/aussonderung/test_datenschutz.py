"""DSGVO requests: the Datenschutz role finds a person in its own Kommune only, every search is
logged, the Auskunft package holds the list and the selected files, the deadline is 30 days."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from eakte.akten import services as akten_services
from eakte.aussonderung import datenschutz as dsgvo
from eakte.protokoll.models import Aktion, Protokolleintrag
from tests.hilfen import akteur_von

pytestmark = pytest.mark.django_db


@pytest.fixture
def anfrage(welt, datenschutz):
    return dsgvo.anfrage_anlegen(
        akteur=akteur_von(datenschutz),
        art="art15",
        person="Erika Mustermann",
        suchbegriffe="Mustermann",
        eingegangen_am=date(2026, 1, 5),
    )


def test_frist_ist_dreissig_tage(anfrage):
    assert anfrage.frist == date(2026, 1, 5) + timedelta(days=30)


def test_suche_findet_absender_der_eigenen_kommune_und_wird_protokolliert(
    anfrage,
    datenschutz,
    welt,
    fremde_sachbearbeitung,
    ordnungsamt_michelstadt,
    akte_anlegen,
    pdf_datei,
):
    fremde = akte_anlegen(fremde_sachbearbeitung, ordnungsamt_michelstadt, "Fremd")
    vorgang = akten_services.vorgang_anlegen(
        akteur=akteur_von(fremde_sachbearbeitung), akte=fremde, betreff="Fremd"
    )
    akten_services.dokument_ablegen(
        akteur=akteur_von(fremde_sachbearbeitung),
        vorgang=vorgang,
        datei=pdf_datei("x.pdf"),
        absender="Erika Mustermann",
    )
    treffer = dsgvo.suchen(akteur=akteur_von(datenschutz), anfrage=anfrage)
    assert {d.akte for d in treffer} == {welt.bewerten, welt.vernichten}
    eintrag = Protokolleintrag.objects.get(aktion=Aktion.DSGVO_SUCHE)
    assert eintrag.benutzer == datenschutz and "3 Treffer" in eintrag.beschreibung


def test_auskunftspaket(anfrage, datenschutz):
    treffer = dsgvo.suchen(akteur=akteur_von(datenschutz), anfrage=anfrage)
    puffer = io.BytesIO()
    anzahl = dsgvo.paket_schreiben(
        puffer,
        akteur=akteur_von(datenschutz),
        anfrage=anfrage,
        dokument_uuids=[str(treffer[0].uuid)],
    )
    assert anzahl == 1
    with zipfile.ZipFile(puffer) as zf:
        namen = zf.namelist()
        assert "Trefferliste.csv" in namen and len(namen) == 2
        assert zf.read(namen[0])[:5] == b"%PDF-"
    with pytest.raises(ValidationError, match="mindestens ein Dokument"):
        dsgvo.paket_schreiben(
            io.BytesIO(), akteur=akteur_von(datenschutz), anfrage=anfrage, dokument_uuids=[]
        )


def test_beantworten_nur_einmal(anfrage, datenschutz):
    dsgvo.anfrage_beantworten(akteur=akteur_von(datenschutz), anfrage=anfrage)
    with pytest.raises(ValidationError, match="bereits beantwortet"):
        dsgvo.anfrage_beantworten(akteur=akteur_von(datenschutz), anfrage=anfrage)


def test_nur_die_rolle_datenschutz(welt, kommunen_admin):
    with pytest.raises(PermissionDenied):
        dsgvo.anfrage_anlegen(
            akteur=akteur_von(kommunen_admin),
            art="art15",
            person="X",
            suchbegriffe="X",
            eingegangen_am=date(2026, 1, 5),
        )


def test_datum_in_der_zukunft_wird_abgelehnt(welt, datenschutz):
    with pytest.raises(ValidationError, match="Zukunft"):
        dsgvo.anfrage_anlegen(
            akteur=akteur_von(datenschutz),
            art="art17",
            person="X",
            suchbegriffe="X",
            eingegangen_am=timezone.localdate() + timedelta(days=3),
        )
