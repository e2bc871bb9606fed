"""A stored file that went missing (disk restored from an old backup, deleted by hand): a German
message on the page and in the API, no Protokoll entry as if it had been delivered."""

import pytest
from django.urls import reverse

from eakte.akten import dateien
from eakte.protokoll.models import Aktion, Protokolleintrag

# Every test runs with the folder and again with the S3 bucket (tests/dateispeicher.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dateispeicher")]

MELDUNG = "Die gespeicherte Datei fehlt im Dateispeicher"


@pytest.fixture
def ohne_datei(dokument):
    version = dokument.versionen.get()
    dateien.speicher().delete(version.datei.speicherort)
    return version


def _abrufe(version) -> int:
    return Protokolleintrag.objects.filter(
        aktion__in=[Aktion.ANGESEHEN, Aktion.HERUNTERGELADEN], objekt_uuid=version.uuid
    ).count()


@pytest.mark.parametrize("name", ["akten:version_datei", "akten:version_vorschau"])
def test_seite_sagt_dass_die_datei_fehlt(client_als, sachbearbeitung, ohne_datei, name):
    antwort = client_als(sachbearbeitung).get(
        reverse(name, kwargs={"version_uuid": ohne_datei.uuid})
    )
    assert antwort.status_code == 500
    assert MELDUNG in antwort.content.decode()
    assert _abrufe(ohne_datei) == 0


def test_api_sagt_dass_die_datei_fehlt(api_als, sachbearbeitung, ohne_datei):
    antwort = api_als(sachbearbeitung).get(f"/api/v1/versionen/{ohne_datei.uuid}/datei/")
    assert antwort.status_code == 500
    assert MELDUNG in antwort.json()["detail"]
    assert _abrufe(ohne_datei) == 0


def test_fremde_kommune_bekommt_weiter_404(client_als, kollege_michelstadt, ohne_datei):
    antwort = client_als(kollege_michelstadt).get(
        reverse("akten:version_datei", kwargs={"version_uuid": ohne_datei.uuid})
    )
    assert antwort.status_code == 404
