"""Old days of `.verarbeitet/` are deleted, but only what the e-file holds."""

import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from eakte.akten import dateien
from eakte.posteingang import abholen
from eakte.posteingang.models import Posteingangseintrag
from tests.posteingang.conftest import ablegen_im_eingang, stapel, textseite

pytestmark = pytest.mark.django_db


def _verarbeitet_vor(eingang, tagen: int):
    """Pick up one scan and move its day folder `tagen` days back."""
    ablegen_im_eingang(eingang / "erbach", f"Brief vor {tagen}.pdf", stapel(textseite(tagen)))
    abholen.abholen()
    heute = eingang / "erbach" / abholen.VERARBEITET / timezone.localdate().isoformat()
    frueher = heute.with_name((timezone.localdate() - timedelta(days=tagen)).isoformat())
    os.rename(heute, frueher)
    return frueher


def test_alte_tage_werden_geloescht_neue_bleiben(eingang, erbach, capsys):
    alt = _verarbeitet_vor(eingang, 120)
    neu = _verarbeitet_vor(eingang, 10)
    call_command("posteingang_aufraeumen", "--tage", "90", "--probelauf")
    assert alt.exists() and "1 Datei würde gelöscht" in capsys.readouterr().out

    call_command("posteingang_aufraeumen", "--tage", "90")
    assert not alt.exists()
    assert [p.name for p in neu.iterdir()] == ["Brief vor 10.pdf"]
    assert Posteingangseintrag.objects.count() == 2  # the stored scans are untouched
    for eintrag in Posteingangseintrag.objects.all():
        assert dateien.speicher().exists(eintrag.datei.speicherort)


def test_was_die_eakte_nicht_hat_bleibt(eingang, erbach, capsys):
    alt = _verarbeitet_vor(eingang, 120)
    fremd = alt / "nie gespeichert.pdf"
    fremd.write_bytes(b"%PDF-1.4 nicht in der E-Akte")
    gespeichert = alt / "Brief vor 120.pdf"
    eintrag = Posteingangseintrag.objects.get()
    dateien.speicher().delete(eintrag.datei.speicherort)  # lost from the store: keep the scan

    call_command("posteingang_aufraeumen", "--tage", "90")

    ausgabe = capsys.readouterr().out
    assert fremd.exists() and gespeichert.exists()
    assert "Inhalt nicht in der E-Akte gespeichert" in ausgabe
    assert "gespeicherte Datei fehlt im Dateispeicher" in ausgabe
    assert "0 Dateien gelöscht, 2 behalten." in ausgabe


def test_symbolische_links_werden_nicht_verfolgt(eingang, erbach):
    """A link in .verarbeitet pointing at the file store must not make it delete stored files."""
    _verarbeitet_vor(eingang, 120)
    eintrag = Posteingangseintrag.objects.get()
    gespeichert = dateien.speicher().path(eintrag.datei.speicherort)
    verarbeitet = eingang / "erbach" / abholen.VERARBEITET
    os.symlink(os.path.dirname(gespeichert), verarbeitet / "2000-01-01")
    alter_tag = next(p for p in verarbeitet.iterdir() if not p.is_symlink())
    os.symlink(gespeichert, alter_tag / "verweis.pdf")

    call_command("posteingang_aufraeumen", "--tage", "90")

    assert os.path.exists(gespeichert)
    assert (verarbeitet / "2000-01-01").is_symlink()
