"""The person's preference for the share e-mail (issue 16): on the Konto page and in the API;
the share notice respects it."""

import re

import pytest
from django.core import mail

from eakte.akten.services import freigabe_mail
from eakte.common.mandantenbereich import systembereich
from eakte.kommunen.models import Benutzer
from eakte.protokoll.models import Aktion, Protokolleintrag
from tests.hilfen import akteur_von

pytestmark = pytest.mark.django_db


def _melden(akte, empfaenger, von) -> bool:
    with systembereich("Test"):
        return freigabe_mail.freigabe_melden(
            akte_id=akte.pk, empfaenger_id=empfaenger.pk, von_id=von.pk
        )


def test_kontoseite_schaltet_die_freigabe_mail_ab(
    client_als, sachbearbeitung, kollege_michelstadt, akte
):
    from eakte.akten import services

    services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=kollege_michelstadt
    )
    client = client_als(kollege_michelstadt)
    seite = client.get("/konto/").content.decode()
    assert "E-Mail, wenn eine Akte für mich freigegeben wird" in seite
    assert re.search(r'<input[^>]*name="freigabe_mail"[^>]*checked', seite)
    antwort = client.post("/konto/mitteilungen/", {}, follow=True).content.decode()
    assert "Einstellung für E-Mails wurde gespeichert" in antwort
    assert not Benutzer.objects.get(pk=kollege_michelstadt.pk).freigabe_mail
    eintrag = Protokolleintrag.objects.filter(aktion=Aktion.EINSTELLUNG_GEAENDERT).last()
    assert eintrag is not None, list(Protokolleintrag.objects.values_list("aktion", flat=True))
    assert "E-Mail bei Freigaben aus" in eintrag.beschreibung
    vorher = len(mail.outbox)
    assert not _melden(akte, kollege_michelstadt, sachbearbeitung)
    assert len(mail.outbox) == vorher
    client.post("/konto/mitteilungen/", {"freigabe_mail": "on"})
    assert _melden(akte, kollege_michelstadt, sachbearbeitung)
    assert mail.outbox[-1].to == [kollege_michelstadt.email]


def test_api(api_als, sachbearbeitung):
    client = api_als(sachbearbeitung)
    pfad = "/api/v1/benutzer/ich/mitteilungen/"
    assert client.get(pfad).json() == {"freigabe_mail": True}
    assert client.patch(pfad, {"freigabe_mail": False}, format="json").json() == {
        "freigabe_mail": False
    }
    assert not Benutzer.objects.get(pk=sachbearbeitung.pk).freigabe_mail
    assert client.patch(pfad, {"freigabe_mail": "vielleicht"}, format="json").status_code == 400
