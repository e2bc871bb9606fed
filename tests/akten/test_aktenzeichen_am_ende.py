"""Aktenzeichen given at the end of a long transaction (`aktenzeichen.am_ende_vergeben`, used by
the Antragseingang): the counter row is not locked while the block works, numbers stay gap-free
in the order of creation, and nothing provisional is committed — not in the Akte, the
Vorgangszeichen, the Protokoll or the search index."""

import threading

import pytest
from django.db import connection, transaction

from eakte.akten import aktenzeichen, services
from eakte.akten.models import Akte, Vorgang
from eakte.common.mandantenbereich import systembereich
from eakte.protokoll import pruefung
from eakte.protokoll.models import Protokolleintrag
from eakte.suche.models import Suchdokument
from tests.hilfen import akteur_von

pytestmark = pytest.mark.timeout(120)


class Abbruch(Exception):
    pass


def _anlegen(benutzer, oe, einheit, betreff):
    return services.akte_anlegen(
        akteur=akteur_von(benutzer),
        aktenplaneinheit=einheit,
        betreff=betreff,
        federfuehrende_oe=oe,
    )


def _nummer(akte: Akte) -> int:
    return Akte.objects.get(pk=akte.pk).laufende_nummer


@pytest.mark.django_db
def test_nummern_am_ende_in_der_reihenfolge_und_ohne_luecke(
    sachbearbeitung, bauamt, kleiner_plan, pdf_datei, erbach
):
    einheit = kleiner_plan["0.2.01"]
    davor = _anlegen(sachbearbeitung, bauamt, einheit, "Davor")
    with transaction.atomic(), aktenzeichen.am_ende_vergeben():
        erste = _anlegen(sachbearbeitung, bauamt, einheit, "Erste")
        assert erste.aktenzeichen.startswith(aktenzeichen.VORLAEUFIG)
        vorgang = services.vorgang_anlegen(
            akteur=akteur_von(sachbearbeitung), akte=erste, betreff="Antrag"
        )
        services.dokument_hochladen(
            akteur=akteur_von(sachbearbeitung), vorgang=vorgang, datei=pdf_datei("Antrag.pdf")
        )
        with pytest.raises(Abbruch), transaction.atomic():  # a savepoint rolled back
            _anlegen(sachbearbeitung, bauamt, einheit, "Zurückgerollt")
            raise Abbruch
        zweite = _anlegen(sachbearbeitung, bauamt, einheit, "Zweite")

    assert [_nummer(davor), _nummer(erste), _nummer(zweite)] == [1, 2, 3]
    erste.refresh_from_db()
    # the objects the caller holds were corrected too (the receipt is built from them)
    assert vorgang.vorgangszeichen == f"{erste.aktenzeichen}/1"
    assert Vorgang.objects.get(pk=vorgang.pk).vorgangszeichen == f"{erste.aktenzeichen}/1"
    assert not Akte.objects.filter(aktenzeichen__startswith=aktenzeichen.VORLAEUFIG).exists()
    eintraege = Protokolleintrag.alle.filter(kommune=erbach)
    assert not eintraege.filter(aktenzeichen__contains=aktenzeichen.VORLAEUFIG).exists()
    assert not eintraege.filter(beschreibung__contains=aktenzeichen.VORLAEUFIG).exists()
    assert eintraege.filter(
        aktenzeichen=erste.aktenzeichen, beschreibung__contains=vorgang.vorgangszeichen
    ).exists()
    assert pruefung.kette_pruefen(erbach.pk)[1] is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT vektor::text FROM suche_suchdokument WHERE akte_id = %s", [erste.pk])
        (vektor,) = cursor.fetchone()
    assert "vorläuf" not in vektor and "vorlauf" not in vektor
    assert Suchdokument.objects.filter(akte=erste).count() == 1


def test_der_zaehler_bleibt_frei_solange_der_block_arbeitet(
    transactional_db, sachbearbeitung, bauamt, kleiner_plan
):
    """A creation outside the block goes through while the block is still open (with a number
    taken at creation it would wait for the block's commit), and the block's Akte gets the next
    number when it ends."""
    einheit = kleiner_plan["0.2.01"]
    angelegt, weiter, fehler = threading.Event(), threading.Event(), []
    ergebnis = {}

    def langer_block():
        try:
            with systembereich("Test"), transaction.atomic(), aktenzeichen.am_ende_vergeben():
                ergebnis["block"] = _anlegen(sachbearbeitung, bauamt, einheit, "Im Block")
                angelegt.set()
                assert weiter.wait(30)
        except Exception as ausnahme:  # noqa: BLE001 (reported to the test)
            fehler.append(ausnahme)
        finally:
            connection.close()

    faden = threading.Thread(target=langer_block)
    faden.start()
    assert angelegt.wait(30)
    fertig = threading.Event()

    def daneben():
        try:
            with systembereich("Test"):
                ergebnis["daneben"] = _anlegen(sachbearbeitung, bauamt, einheit, "Daneben")
        finally:
            fertig.set()
            connection.close()

    zweiter = threading.Thread(target=daneben)
    zweiter.start()
    assert fertig.wait(10), "die Anlage daneben wartet auf den offenen Block"
    weiter.set()
    faden.join(30)
    zweiter.join(30)
    assert fehler == []
    assert _nummer(ergebnis["daneben"]) == 1
    assert _nummer(ergebnis["block"]) == 2
