"""With the real Celery worker: a part filed by a cover sheet becomes searchable, and the loose
pages in the Posteingang get their text and a thumbnail."""

import pytest
from django.urls import reverse

from eakte.akten.models import Version
from eakte.common import beispielscans as scans
from eakte.ocr.models import Status
from eakte.posteingang import abholen
from eakte.posteingang.models import Posteingangseintrag
from tests.ocr.test_verarbeitung import warten
from tests.posteingang.conftest import ablegen_im_eingang, deckblatt_gescannt, stapel, textseite

pytestmark = pytest.mark.worker


def test_abgelegter_teil_wird_durchsuchbar(
    transactional_db, celery_worker_prozess, eingang, akte, vorgang, sachbearbeitung, client_als
):
    blatt = deckblatt_gescannt(sachbearbeitung, akte, vorgang)
    brief = scans.seite(scans.BEISPIELTEXT)
    ablegen_im_eingang(eingang / "erbach", "post.pdf", stapel(textseite(4), blatt, brief))
    assert abholen.abholen().abgelegt == 1

    version = Version.objects.get(dokument__vorgang=vorgang)
    verarbeitung = warten(version.datei.verarbeitung, worker=celery_worker_prozess)
    assert verarbeitung.status == Status.FERTIG, verarbeitung.meldung
    assert verarbeitung.seiten == 1 and "Kita-Gebühren" in verarbeitung.text
    assert "Posteingang" not in verarbeitung.text  # the sheet is not in the document

    lose = Posteingangseintrag.objects.get(status="offen")
    verarbeitung = warten(lose.datei.verarbeitung, worker=celery_worker_prozess)
    assert verarbeitung.status == Status.FERTIG and verarbeitung.vorschaubild_id
    client = client_als(sachbearbeitung)
    liste = client.get(reverse("posteingang:liste")).content.decode()
    bild = reverse("posteingang:vorschaubild", kwargs={"eintrag_uuid": lose.uuid})
    assert bild in liste
    antwort = client.get(bild)
    assert antwort.status_code == 200 and antwort["Content-Type"] == "image/png"
