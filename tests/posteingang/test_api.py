"""The Posteingang API: list/retrieve/zuordnen/verwerfen and the cover-sheet PDF endpoint."""

from eakte.akten import services as akten_services
from eakte.akten.models import Dokument
from eakte.posteingang import deckblatt
from eakte.posteingang.models import Deckblatt, Status
from tests.hilfen import akteur_von
from tests.posteingang.test_views import eintrag_anlegen

LISTE = "/api/v1/posteingang/"
DECKBLATT = "/api/v1/deckblaetter/"


def test_liste_und_einzelabruf(
    api_als, erbach, sachbearbeitung, kollegin_andere_oe, django_assert_max_num_queries
):
    eintrag = eintrag_anlegen(erbach)
    for nummer in range(4):
        eintrag_anlegen(erbach, f"weitere-{nummer}.pdf", f"weitere {nummer}")
    client = api_als(sachbearbeitung)
    with django_assert_max_num_queries(6):
        antwort = client.get(LISTE)
    assert antwort.status_code == 200 and antwort.data["count"] == 5
    daten = client.get(f"{LISTE}{eintrag.uuid}/").data
    assert daten["dateiname"] == "Brief.pdf" and daten["status"] == "offen"
    assert daten["texterkennung"] == "wartet" and daten["mime_typ"] == "application/pdf"
    assert api_als(kollegin_andere_oe).get(f"{LISTE}{eintrag.uuid}/").status_code == 200
    assert client.get(LISTE, {"status": "zugeordnet"}).data["count"] == 0


def test_andere_kommune_bekommt_404(
    api_als, erbach, vorgang, fremde_sachbearbeitung, fremder_verbund_admin
):
    eintrag = eintrag_anlegen(erbach)
    for person in (fremde_sachbearbeitung, fremder_verbund_admin):
        client = api_als(person)
        assert client.get(LISTE).data["count"] == 0
        assert client.get(f"{LISTE}{eintrag.uuid}/").status_code == 404
        antwort = client.post(f"{LISTE}{eintrag.uuid}/zuordnen/", {"vorgang": str(vorgang.uuid)})
        assert antwort.status_code == 404
        assert client.post(DECKBLATT, {"vorgang": str(vorgang.uuid)}).status_code == 404
    assert not Dokument.objects.exists() and not Deckblatt.objects.exists()


def test_zuordnen_und_verwerfen(api_als, erbach, vorgang, sachbearbeitung, kollegin_andere_oe):
    eintrag = eintrag_anlegen(erbach)
    # a colleague without write permission on the Vorgang: 400, nothing filed
    antwort = api_als(kollegin_andere_oe).post(
        f"{LISTE}{eintrag.uuid}/zuordnen/", {"vorgang": str(vorgang.uuid)}, format="json"
    )
    assert antwort.status_code == 400 and "vorgang" in antwort.data
    client = api_als(sachbearbeitung)
    antwort = client.post(
        f"{LISTE}{eintrag.uuid}/zuordnen/",
        {"vorgang": str(vorgang.uuid), "titel": "Anfrage Bürger"},
        format="json",
    )
    assert antwort.status_code == 200, antwort.data
    dokument = Dokument.objects.get(vorgang=vorgang)
    assert antwort.data["status"] == "zugeordnet" and antwort.data["dokument"] == str(dokument.uuid)
    assert dokument.titel == "Anfrage Bürger"
    antwort = client.post(
        f"{LISTE}{eintrag.uuid}/zuordnen/", {"vorgang": str(vorgang.uuid)}, format="json"
    )
    assert antwort.status_code == 400  # not open any more
    zweiter = eintrag_anlegen(erbach, "Werbung.pdf", "Werbung")
    assert client.post(f"{LISTE}{zweiter.uuid}/verwerfen/", {}, format="json").status_code == 400
    antwort = client.post(f"{LISTE}{zweiter.uuid}/verwerfen/", {"grund": "Werbung"}, format="json")
    assert antwort.status_code == 200 and antwort.data["status"] == Status.VERWORFEN


def test_deckblatt_pdf(
    api_als, akte, vorgang, sachbearbeitung, kollegin_andere_oe, kollege_michelstadt
):
    client = api_als(sachbearbeitung)
    antwort = client.post(DECKBLATT, {"vorgang": str(vorgang.uuid)}, format="json")
    assert antwort.status_code == 201 and antwort["Content-Type"] == "application/pdf"
    (kennung,) = deckblatt.pdf_seiten_lesen(antwort.content)
    assert str(kennung.deckblatt_uuid) == antwort["X-Deckblatt"]
    assert client.post(DECKBLATT, {"akte": str(akte.uuid)}, format="json").status_code == 201
    assert client.post(DECKBLATT, {}, format="json").status_code == 400
    assert (
        api_als(kollegin_andere_oe)
        .post(DECKBLATT, {"akte": str(akte.uuid)}, format="json")
        .status_code
        == 404
    )
    # grantee with write permission, then after revocation
    akten_services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung),
        akte=akte,
        empfaenger=kollege_michelstadt,
        schreiben=True,
    )
    client = api_als(kollege_michelstadt)
    assert client.post(DECKBLATT, {"akte": str(akte.uuid)}, format="json").status_code == 201
    akten_services.freigabe_entziehen(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=kollege_michelstadt
    )
    assert client.post(DECKBLATT, {"akte": str(akte.uuid)}, format="json").status_code == 404
    akten_services.akte_zda(akteur=akteur_von(sachbearbeitung), akte=akte)
    antwort = api_als(sachbearbeitung).post(DECKBLATT, {"akte": str(akte.uuid)}, format="json")
    assert antwort.status_code == 404
    assert Deckblatt.objects.count() == 3
