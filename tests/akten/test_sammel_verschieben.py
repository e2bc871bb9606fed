"""Bulk move (issue 16): several Dokumente of a Vorgang into another Vorgang, all or none, one
Protokoll entry per Dokument; page and API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eakte.akten import services
from eakte.akten.models import Dokument
from eakte.protokoll.models import Aktion, Protokolleintrag
from tests.conftest import pdf_bytes
from tests.hilfen import akteur_von

pytestmark = pytest.mark.django_db


@pytest.fixture
def drei(vorgang, sachbearbeitung):
    return [
        services.dokument_hochladen(
            akteur=akteur_von(sachbearbeitung),
            vorgang=vorgang,
            datei=SimpleUploadedFile(f"d{n}.pdf", pdf_bytes(f"d{n}"), "application/pdf"),
            titel=f"Dokument {n}",
        ).dokument
        for n in range(3)
    ]


@pytest.fixture
def ziel(akte_anlegen, sachbearbeitung, bauamt):
    andere = akte_anlegen(sachbearbeitung, bauamt, "Andere Akte")
    return services.vorgang_anlegen(akteur=akteur_von(sachbearbeitung), akte=andere, betreff="Ziel")


def test_alle_oder_keines(drei, ziel, sachbearbeitung):
    gesperrt = drei[2]
    services.dokument_stornieren(akteur=akteur_von(sachbearbeitung), dokument=gesperrt, grund="x")
    with pytest.raises(Exception, match="Dokument 2.*nichts verschoben"):
        services.dokumente_verschieben(
            akteur=akteur_von(sachbearbeitung), dokumente=drei, ziel=ziel
        )
    assert not Dokument.objects.filter(vorgang=ziel).exists()
    anzahl = services.dokumente_verschieben(
        akteur=akteur_von(sachbearbeitung), dokumente=drei[:2], ziel=ziel
    )
    assert anzahl == 2
    assert set(Dokument.objects.filter(vorgang=ziel)) == set(drei[:2])
    assert all(d.akte_id == ziel.akte_id for d in Dokument.objects.filter(vorgang=ziel))
    # one entry per Dokument in each Akte's chain (source and target)
    eintraege = Protokolleintrag.objects.filter(aktion=Aktion.VERSCHOBEN)
    assert eintraege.filter(akte_uuid=ziel.akte.uuid).count() == 2
    assert eintraege.filter(akte_uuid=drei[0].akte.uuid).count() == 2


def test_seite_aus_der_auswahl(
    client_als, drei, ziel, vorgang, sachbearbeitung, kollegin_andere_oe
):
    seite = client_als(sachbearbeitung).get(
        reverse("akten:vorgang", kwargs={"vorgang_uuid": vorgang.uuid})
    )
    adresse = reverse("akten:vorgang_verschieben", kwargs={"vorgang_uuid": vorgang.uuid})
    assert f'formaction="{adresse}"' in seite.content.decode()
    client = client_als(sachbearbeitung)
    formular = client.get(adresse, {"dokumente": [drei[0].uuid, drei[1].uuid]}).content.decode()
    assert formular.count("checked") == 2
    daten = {"dokumente": [drei[0].uuid, drei[1].uuid], "vorgangszeichen": ziel.vorgangszeichen}
    antwort = client.post(adresse, daten, follow=True).content.decode()
    assert f"2 Dokumente liegen jetzt im Vorgang {ziel.vorgangszeichen}" in antwort
    assert set(Dokument.objects.filter(vorgang=ziel)) == set(drei[:2])
    leer = client.post(adresse, {"vorgangszeichen": ziel.vorgangszeichen}).content.decode()
    assert "Bitte mindestens ein Dokument auswählen" in leer
    assert client_als(kollegin_andere_oe).get(adresse).status_code == 404


def test_api(api_als, drei, ziel, vorgang, sachbearbeitung, kollege_michelstadt, dokument):
    pfad = f"/api/v1/vorgaenge/{vorgang.uuid}/dokumente-verschieben/"
    daten = {"dokumente": [str(d.uuid) for d in drei], "vorgang": str(ziel.uuid)}
    assert api_als(kollege_michelstadt).post(pfad, daten, format="json").status_code == 404
    client = api_als(sachbearbeitung)
    falsch = client.post(pfad, {**daten, "vorgang": str(vorgang.uuid)}, format="json")
    assert falsch.status_code == 400 and "bereits in diesem Vorgang" in str(falsch.json())
    assert not Dokument.objects.filter(vorgang=ziel).exists()
    antwort = client.post(pfad, daten, format="json")
    assert antwort.status_code == 200
    assert antwort.json() == {"verschoben": 3, "vorgang": str(ziel.uuid)}
    assert Dokument.objects.filter(vorgang=ziel).count() == 3
    fremd = client.post(
        pfad, {"dokumente": [str(drei[0].uuid)], "vorgang": str(ziel.uuid)}, format="json"
    )
    assert fremd.status_code == 400  # no longer in this Vorgang
