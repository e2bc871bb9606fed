"""OEs merged: the Akten go with the members, and search follows (the `#oe` pre-filter)."""

import pytest

from eakte.akten import services as akten_services
from eakte.akten.models import Akte
from eakte.akten.selectors import akten_fuer
from eakte.kommunen import services as kommunen_services
from eakte.protokoll.models import Aktion, Protokolleintrag
from eakte.suche import selectors
from eakte.suche.models import Suchdokument
from tests.hilfen import akteur_von

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jeder_suchweg")]


def test_akten_und_suche_gehen_mit(
    mit_text, vorgang, sachbearbeitung, kollegin_andere_oe, kommunen_admin, bauamt, hauptamt
):
    dokument = mit_text(sachbearbeitung, vorgang, "Baugenehmigung für das Dorfgemeinschaftshaus")
    akte = vorgang.akte
    assert not selectors.dokumente_suchen(kollegin_andere_oe, "Dorfgemeinschaftshaus").gesamt

    kommunen_services.organisationseinheiten_zusammenlegen(
        akteur=akteur_von(kommunen_admin), quelle=bauamt, ziel=hauptamt
    )

    akte.refresh_from_db()
    assert akte.federfuehrende_oe == hauptamt and akte.aktenfuehrende_oe == hauptamt
    assert akten_fuer(kollegin_andere_oe).filter(pk=akte.pk).exists()
    assert Suchdokument.objects.get(pk=dokument.pk).oe_id == hauptamt.pk
    for person in (kollegin_andere_oe, sachbearbeitung):  # she is in the Hauptamt now too
        ergebnis = selectors.dokumente_suchen(person, "Dorfgemeinschaftshaus")
        assert [t.dokument.pk for t in ergebnis.treffer] == [dokument.pk], person
        assert [f.titel for f in ergebnis.facetten["oe"]] == ["Hauptamt"]
    eintrag = Protokolleintrag.objects.get(aktion=Aktion.GEAENDERT, akte_uuid=akte.uuid)
    assert "Bauamt in Hauptamt aufgegangen" in eintrag.beschreibung
    assert eintrag.benutzer == kommunen_admin


def test_freigaben_an_die_oe_gehen_mit(
    akte_anlegen, fremde_sachbearbeitung, ordnungsamt_michelstadt, sachbearbeitung,
    kollegin_andere_oe, kommunen_admin, bauamt, hauptamt,
):  # fmt: skip
    fremde_akte = akte_anlegen(fremde_sachbearbeitung, ordnungsamt_michelstadt)
    akten_services.akte_fuer_oe_freigeben(
        akteur=akteur_von(fremde_sachbearbeitung), akte=fremde_akte, oe=bauamt
    )
    assert not akten_fuer(kollegin_andere_oe).filter(pk=fremde_akte.pk).exists()

    kommunen_services.organisationseinheiten_zusammenlegen(
        akteur=akteur_von(kommunen_admin), quelle=bauamt, ziel=hauptamt
    )

    assert akten_fuer(kollegin_andere_oe).filter(pk=fremde_akte.pk).exists()
    assert akten_fuer(sachbearbeitung).filter(pk=fremde_akte.pk).exists()
    assert not Akte.objects.filter(gruppenfreigaben__group__freigabe_oe__oe=bauamt).exists()
    eintrag = Protokolleintrag.objects.get(
        aktion=Aktion.FREIGEGEBEN, akte_uuid=fremde_akte.uuid, benutzer=kommunen_admin
    )
    assert eintrag.kommune_id == fremde_akte.kommune_id  # the sharing Kommune learns of it
    assert "geht auf die OE Hauptamt über" in eintrag.beschreibung
