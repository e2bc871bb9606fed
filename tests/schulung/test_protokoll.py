"""What an auditor asks about Dienstanweisungen and Schulungen is in the Protokoll (tamper-
evident chain) of the acting person's Kommune."""

import pytest

from eakte.protokoll.models import Aktion, Protokolleintrag
from eakte.protokoll.pruefung import kette_pruefen
from schulung import services
from schulung.models import Anmeldung
from tests.hilfen import akteur_von
from tests.schulung.conftest import begonnen

pytestmark = pytest.mark.django_db


def _eintraege(person):
    return list(
        Protokolleintrag.objects.filter(benutzer=person)
        .order_by("laufnummer")
        .values_list("kommune_id", "aktion", "beschreibung")
    )


def test_dienstanweisung_vom_anlegen_bis_ausser_kraft(trainer, sachbearbeitung, erbach):
    dokument = services.dokument_anlegen(
        akteur=akteur_von(trainer),
        art="dienstanweisung",
        titel="Dienstanweisung E-Akte",
        text="Alle Vorgänge werden elektronisch geführt.",
        erfordert_kenntnisnahme=True,
    )
    services.entwurf_speichern(
        akteur=akteur_von(trainer), dokument=dokument, text="Nur elektronisch."
    )
    fassung = services.entwurf_veroeffentlichen(akteur=akteur_von(trainer), dokument=dokument)
    services.kenntnis_nehmen(akteur=akteur_von(sachbearbeitung), fassung=fassung)
    services.kenntnis_nehmen(
        akteur=akteur_von(sachbearbeitung), fassung=fassung
    )  # twice: one entry
    services.dokument_ausser_kraft_setzen(akteur=akteur_von(trainer), dokument=dokument)

    heute = f"{fassung.gueltig_ab:%d.%m.%Y}"
    assert _eintraege(trainer) == [
        (erbach.pk, Aktion.ANGELEGT, "Dienstanweisung „Dienstanweisung E-Akte“ angelegt (Entwurf)"),
        (
            erbach.pk,
            Aktion.VEROEFFENTLICHT,
            f"„Dienstanweisung E-Akte“ Fassung 1 veröffentlicht, gültig ab {heute}",
        ),
        (erbach.pk, Aktion.AUSSER_KRAFT, "„Dienstanweisung E-Akte“ außer Kraft gesetzt"),
    ]
    assert _eintraege(sachbearbeitung) == [
        (
            erbach.pk,
            Aktion.KENNTNIS_GENOMMEN,
            "„Dienstanweisung E-Akte“ Fassung 1 zur Kenntnis genommen",
        )
    ]
    eintrag = Protokolleintrag.objects.get(aktion=Aktion.KENNTNIS_GENOMMEN)
    assert eintrag.objekt_typ == "Schulungsdokument" and eintrag.objekt_uuid == dokument.uuid
    assert eintrag.details == {"fassung": 1}
    anzahl, bruch = kette_pruefen(erbach.pk)
    assert anzahl == 4 and bruch is None


def test_anwesenheit_steht_im_protokoll(trainer, termin, personen):
    a, b = personen(2)
    services.termin_anmelden(akteur=akteur_von(a), termin=termin)
    services.termin_anmelden(akteur=akteur_von(b), termin=termin)
    begonnen(termin)
    anmeldung_a = Anmeldung.objects.get(benutzer=a)
    services.anwesenheit_erfassen(
        akteur=akteur_von(trainer), termin=termin, anwesend=[str(anmeldung_a.uuid)]
    )

    eintrag = Protokolleintrag.objects.get(benutzer=trainer, aktion=Aktion.ANWESENHEIT)
    assert eintrag.kommune_id == trainer.kommune_id
    assert "1 von 2 teilgenommen" in eintrag.beschreibung
    assert eintrag.details == {
        "teilgenommen": [a.username],
        "neu_anwesend": [a.username],
        "neu_abwesend": [b.username],
    }
    assert eintrag.objekt_typ == "Schulungstermin" and eintrag.objekt_uuid == termin.uuid

    # A correction is logged with what changed.
    anmeldung_b = Anmeldung.objects.get(benutzer=b)
    services.anwesenheit_erfassen(
        akteur=akteur_von(trainer), termin=termin, anwesend=[str(anmeldung_b.uuid)]
    )
    korrektur = (
        Protokolleintrag.objects.filter(aktion=Aktion.ANWESENHEIT).order_by("laufnummer").last()
    )
    assert korrektur.details == {
        "teilgenommen": [b.username],
        "neu_anwesend": [b.username],
        "neu_abwesend": [a.username],
    }


def test_kenntnisnahme_im_browser_traegt_die_adresse(client_als, trainer, sachbearbeitung):
    """A Schulung action from a request carries the client's address into the Protokoll."""
    dokument = services.dokument_anlegen(
        akteur=akteur_von(trainer),
        art="dienstanweisung",
        titel="Dienstanweisung Adresse",
        text="Bitte lesen.",
        erfordert_kenntnisnahme=True,
    )
    services.entwurf_veroeffentlichen(akteur=akteur_von(trainer), dokument=dokument)
    antwort = client_als(sachbearbeitung).post(
        f"/schulung/{dokument.uuid}/bestaetigen/", REMOTE_ADDR="192.0.2.44"
    )
    assert antwort.status_code == 302
    eintrag = Protokolleintrag.objects.filter(
        benutzer=sachbearbeitung, aktion=Aktion.KENNTNIS_GENOMMEN
    ).get()
    assert eintrag.ip_adresse == "192.0.2.44" and eintrag.systemgrund == ""
    assert eintrag.adresse_anzeige == "192.0.2.44"
