"""Stornierung (issue 16): a Dokument filed by mistake is kept for the record, marked, hidden
from lists by default, gets no new Versions; only the federführende OE, with a reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eakte.akten import services
from eakte.akten.models import Dokument
from eakte.protokoll.models import Aktion, Protokolleintrag
from tests.conftest import pdf_bytes
from tests.hilfen import akteur_von

pytestmark = pytest.mark.django_db


def _pdf(name="neu.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(name), content_type="application/pdf")


def test_stornieren_haelt_fest_und_sperrt_neue_versionen(
    dokument, sachbearbeitung, kollegin_andere_oe, kollege_michelstadt, akte
):
    services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung),
        akte=akte,
        empfaenger=kollege_michelstadt,
        schreiben=True,
    )
    # writing is not enough: only the federführende OE cancels
    with pytest.raises(PermissionDenied, match="federführende"):
        services.dokument_stornieren(
            akteur=akteur_von(kollege_michelstadt), dokument=dokument, grund="falsch"
        )
    with pytest.raises(ValidationError, match="Grund"):
        services.dokument_stornieren(
            akteur=akteur_von(sachbearbeitung), dokument=dokument, grund=" "
        )
    services.dokument_stornieren(
        akteur=akteur_von(sachbearbeitung), dokument=dokument, grund="falsche Akte"
    )
    dokument.refresh_from_db()
    assert dokument.storniert_am and dokument.storniert_von == sachbearbeitung
    assert dokument.stornierungsgrund == "falsche Akte"
    assert Dokument.objects.filter(pk=dokument.pk).exists()  # kept, never deleted
    eintrag = Protokolleintrag.objects.get(aktion=Aktion.STORNIERT)
    assert "falsche Akte" in eintrag.beschreibung and eintrag.akte_uuid == akte.uuid
    with pytest.raises(ValidationError, match="storniert"):
        services.version_hochladen(
            akteur=akteur_von(sachbearbeitung), dokument=dokument, datei=_pdf()
        )
    with pytest.raises(ValidationError, match="bereits storniert"):
        services.dokument_stornieren(
            akteur=akteur_von(sachbearbeitung), dokument=dokument, grund="nochmal"
        )


def test_seiten_blenden_stornierte_aus_und_zeigen_sie_auf_wunsch(
    client_als, dokument, sachbearbeitung, kollegin_andere_oe, akte
):
    adresse = reverse("akten:dokument_stornieren", kwargs={"dokument_uuid": dokument.uuid})
    dokument_seite = reverse("akten:dokument", kwargs={"dokument_uuid": dokument.uuid})
    vorgang_seite = reverse("akten:vorgang", kwargs={"vorgang_uuid": dokument.vorgang.uuid})
    akte_seite = reverse("akten:detail", kwargs={"akte_uuid": akte.uuid})
    client = client_als(sachbearbeitung)
    assert adresse in client.get(dokument_seite).content.decode()
    assert client.post(adresse, {"grund": ""}).status_code == 200  # the form with its message
    assert Dokument.objects.get(pk=dokument.pk).storniert_am is None
    antwort = client.post(adresse, {"grund": "doppelt abgelegt"}, follow=True).content.decode()
    assert "ist storniert" in antwort and "doppelt abgelegt" in antwort
    assert adresse not in antwort  # no second Stornierung offered
    assert "Version hochladen" not in antwort
    for seite in (vorgang_seite, akte_seite):
        html = client.get(seite).content.decode()
        assert dokument_seite not in html and "Stornierte Dokumente anzeigen" in html
        html = client.get(seite, {"stornierte": "1"}).content.decode()
        assert dokument_seite in html and "storniert</span>" in html
    # the other OE of the Kommune does not see the Akte at all
    assert client_als(kollegin_andere_oe).post(adresse, {"grund": "x"}).status_code == 404


def test_api_stornieren_und_listen(api_als, dokument, sachbearbeitung, kollege_michelstadt, akte):
    services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung),
        akte=akte,
        empfaenger=kollege_michelstadt,
        schreiben=True,
    )
    pfad = f"/api/v1/dokumente/{dokument.uuid}/stornieren/"
    assert api_als(kollege_michelstadt).post(pfad, {"grund": "x"}, format="json").status_code == 403
    client = api_als(sachbearbeitung)
    assert client.post(pfad, {}, format="json").status_code == 400
    antwort = client.post(pfad, {"grund": "falsche Akte"}, format="json")
    assert antwort.status_code == 200
    assert antwort.json()["stornierungsgrund"] == "falsche Akte" and antwort.json()["storniert_am"]
    zweimal = client.post(pfad, {"grund": "nochmal"}, format="json")
    assert zweimal.status_code == 400 and "bereits storniert" in str(zweimal.json())
    assert client.get(f"/api/v1/dokumente/{dokument.uuid}/").status_code == 200
    liste = client.get("/api/v1/dokumente/").json()["results"]
    assert str(dokument.uuid) not in [d["uuid"] for d in liste]
    liste = client.get("/api/v1/dokumente/", {"stornierte": "true"}).json()["results"]
    assert str(dokument.uuid) in [d["uuid"] for d in liste]
    vorgang = f"/api/v1/vorgaenge/{dokument.vorgang.uuid}/dokumente/"
    assert client.get(vorgang).json()["results"] == []
    assert len(client.get(vorgang, {"stornierte": "true"}).json()["results"]) == 1
    version = client.post(
        f"/api/v1/dokumente/{dokument.uuid}/versionen/", {"datei": _pdf()}, format="multipart"
    )
    assert version.status_code == 400 and "storniert" in str(version.json())
    assert dokument.versionen.count() == 1
