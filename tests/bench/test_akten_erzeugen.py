"""bench/daten/akten_erzeugen.py: consistent, gap-free test data for benchmarks."""

from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max

from bench.daten import akten_erzeugen
from eakte.akten import selectors, services
from eakte.akten.models import (
    Akte,
    AkteBenutzerfreigabe,
    Aktenzeichenzaehler,
    Dokument,
    Version,
    Vorgang,
)
from eakte.kommunen.models import Organisationseinheit
from eakte.protokoll import pruefung
from eakte.protokoll.models import Protokolleintrag
from tests.hilfen import akteur_von

pytestmark = pytest.mark.django_db


def erzeugen(**optionen) -> str:
    ausgabe = StringIO()
    call_command(akten_erzeugen.Command(), force=True, stdout=ausgabe, **optionen)
    return ausgabe.getvalue()


def _nummern_lueckenlos(kommune) -> None:
    nummern = defaultdict(list)
    for kennzeichen, jahr, nummer in Akte.objects.filter(kommune=kommune).values_list(
        "kennzeichen", "jahr", "laufende_nummer"
    ):
        nummern[kennzeichen, jahr].append(nummer)
    zaehler = {
        (z.kennzeichen, z.jahr): z.letzte_nummer
        for z in Aktenzeichenzaehler.objects.filter(kommune=kommune)
    }
    assert set(zaehler) == set(nummern)
    for schluessel, liste in nummern.items():
        assert sorted(liste) == list(range(1, len(liste) + 1)), schluessel
        assert zaehler[schluessel] == len(liste), schluessel


def test_erzeugt_stimmige_akten_vorgaenge_dokumente_und_freigaben(
    kleiner_plan, sachbearbeitung, kollegin_andere_oe, kollege_michelstadt, erbach
):
    ausgabe = erzeugen(
        kommune="erbach",
        akten=300,
        dokumente=1200,
        oes=3,
        freigaben_fuer=kollege_michelstadt.username,
        freigaben=7,
    )

    assert "300 / 300 Akten" in ausgabe and "Fertig" in ausgabe
    akten = Akte.objects.filter(kommune=erbach)
    assert akten.count() == 300
    assert Dokument.objects.filter(kommune=erbach).count() == 1200
    assert Version.objects.filter(kommune=erbach).count() == 1200
    # Only units without children (6 has none in the small plan); spread over three OEs (the
    # two existing ones and a new one).
    assert set(akten.values_list("aktenplaneinheit__kennzeichen", flat=True)) == {
        "0.2.01",
        "0.2.02",
        "6",
    }
    oes = Organisationseinheit.objects.filter(kommune=erbach)
    assert oes.count() == 3
    assert sorted(
        akten.values("federfuehrende_oe").annotate(n=Count("id")).values_list("n", flat=True)
    ) == [100, 100, 100]
    assert len(set(akten.values_list("aktenzeichen", flat=True))) == 300
    assert akten.filter(aktenzeichen__regex=r"^ERB-(0\.2\.0[12]|6)-\d{4}/20\d\d$").count() == 300
    _nummern_lueckenlos(erbach)
    # Vorgänge are numbered 1..n per Akte, Dokumente sit in a Vorgang of their own Akte.
    assert (
        not akten.annotate(n=Count("vorgaenge"), hoechste=Max("vorgaenge__nummer"))
        .exclude(n=F("letzte_vorgangsnummer"), hoechste=F("letzte_vorgangsnummer"))
        .exists()
    )
    assert not Dokument.objects.exclude(vorgang__akte=F("akte")).exists()
    assert not Vorgang.objects.exclude(vorgangszeichen__startswith=F("akte__aktenzeichen")).exists()
    # zdA Akten are complete: date, who, retention end (Sitzungen are kept forever: none).
    assert akten.filter(zda_am__isnull=False).exists()
    assert not akten.filter(zda_am__isnull=False, zda_durch__isnull=True).exists()
    assert not akten.filter(
        zda_am__isnull=False, aktenplaneinheit__aufbewahrungsfrist__isnull=False,
        aufbewahrung_bis__isnull=True,
    ).exists()  # fmt: skip
    # Seven open Akten shared read-only with the colleague of Michelstadt, who sees just those.
    assert AkteBenutzerfreigabe.objects.filter(user=kollege_michelstadt).count() == 7
    assert selectors.akten_fuer(kollege_michelstadt).count() == 7
    assert not selectors.akten_fuer(kollege_michelstadt).filter(zda_am__isnull=False).exists()
    assert selectors.akten_beschreibbar_fuer(kollege_michelstadt).count() == 0
    assert selectors.akten_meiner_oe(sachbearbeitung).count() == 100
    # One Protokoll entry for the run; the chain is intact.
    eintrag = Protokolleintrag.objects.get(kommune=erbach)
    assert "300 Akten" in eintrag.beschreibung
    assert pruefung.kette_pruefen(erbach.pk) == (1, None)


def test_anhaengen_zaehlt_lueckenlos_weiter_und_services_schliessen_an(
    kleiner_plan, akte_anlegen, sachbearbeitung, bauamt, erbach
):
    von_hand = akte_anlegen(sachbearbeitung, bauamt)
    with pytest.raises(CommandError, match="hat schon 1 Akten. Mit --anhaengen"):
        erzeugen(kommune="erbach", akten=10, dokumente=10, oes=1)

    erzeugen(kommune="erbach", akten=150, dokumente=300, oes=1, anhaengen=True, seed=1)
    erzeugen(kommune="erbach", akten=150, dokumente=300, oes=1, anhaengen=True, seed=2)

    assert Akte.objects.filter(kommune=erbach).count() == 301
    _nummern_lueckenlos(erbach)
    danach = akte_anlegen(sachbearbeitung, bauamt)
    zaehler = Aktenzeichenzaehler.objects.get(
        kommune=erbach, kennzeichen="0.2.01", jahr=von_hand.jahr
    )
    assert danach.laufende_nummer == zaehler.letzte_nummer
    assert (
        Akte.objects.filter(kommune=erbach, kennzeichen="0.2.01", jahr=von_hand.jahr).count()
        == danach.laufende_nummer
    )
    assert pruefung.kette_pruefen(erbach.pk)[1] is None


def test_ohne_aktenplan_gibt_es_eine_klare_meldung(sachbearbeitung):
    with pytest.raises(CommandError, match="keinen Aktenplan.*manage.py demodaten"):
        erzeugen(kommune="erbach", akten=10, dokumente=10)
    assert not Akte.objects.exists()


def test_unbekannte_kommune_und_unbekannter_empfaenger(kleiner_plan, sachbearbeitung, sontra):
    with pytest.raises(CommandError, match="„nirgendwo“ gibt es nicht"):
        erzeugen(kommune="nirgendwo", akten=10, dokumente=10)
    with pytest.raises(CommandError, match="kein aktiver Benutzer im Verbund"):
        erzeugen(kommune="erbach", akten=10, dokumente=10, freigaben_fuer="niemand")
    assert not Akte.objects.exists()


def test_ohne_debug_nur_mit_force(kleiner_plan, sachbearbeitung, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command(akten_erzeugen.Command(), kommune="erbach", akten=10, dokumente=10)


def test_ohne_versionen(kleiner_plan, sachbearbeitung, erbach):
    erzeugen(kommune="erbach", akten=20, dokumente=50, oes=1, ohne_versionen=True)
    assert Dokument.objects.filter(kommune=erbach, letzte_versionsnummer=0).count() == 50
    assert not Version.objects.exists()


def test_neue_akte_nach_dem_erzeugen_bekommt_die_naechste_nummer(
    kleiner_plan, sachbearbeitung, bauamt, erbach
):
    erzeugen(kommune="erbach", akten=400, dokumente=400, oes=2)
    jahr = services._heute().year
    vorher = Akte.objects.filter(kommune=erbach, kennzeichen="0.2.02", jahr=jahr).count()
    neu = services.akte_anlegen(
        akteur=akteur_von(sachbearbeitung),
        aktenplaneinheit=kleiner_plan["0.2.02"],
        betreff="Von Hand",
        federfuehrende_oe=bauamt,
    )
    assert vorher > 0
    assert neu.laufende_nummer == vorher + 1
