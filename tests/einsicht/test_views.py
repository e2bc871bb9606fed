import pytest
from django.utils import timezone

from eakte.einsicht import services
from eakte.einsicht.models import Zugriff
from tests.hilfen import akteur_von

pytestmark = pytest.mark.django_db


@pytest.fixture
def freigegeben(sachbearbeitung, akte, drei_dokumente):
    einsicht = services.einsicht_anlegen(
        akteur=akteur_von(sachbearbeitung),
        akte=akte,
        empfaenger_name="Dr. Anna Anwalt",
        empfaenger_email="anwalt@kanzlei.example",
        download_erlaubt=True,
    )
    freigabe = services.einsicht_freigeben(akteur=akteur_von(sachbearbeitung), einsicht=einsicht)
    einsicht.refresh_from_db()
    return einsicht, freigabe


def test_seiten_der_sachbearbeitung(
    client_als,
    sachbearbeitung,
    kollegin_andere_oe,
    datenschutz,
    fremde_sachbearbeitung,
    freigegeben,
):
    einsicht, _ = freigegeben
    adresse = f"/einsicht/{einsicht.uuid}/"
    assert client_als(sachbearbeitung).get(adresse).status_code == 200
    assert client_als(datenschutz).get(adresse).status_code == 200
    assert client_als(kollegin_andere_oe).get(adresse).status_code == 404
    assert client_als(fremde_sachbearbeitung).get(adresse).status_code == 404
    assert einsicht.nummer in client_als(datenschutz).get("/einsicht/").content.decode()
    assert einsicht.nummer not in client_als(kollegin_andere_oe).get("/einsicht/").content.decode()


def test_empfaengerseiten(client, freigegeben, sachbearbeitung):
    einsicht, freigabe = freigegeben
    adresse = f"/einsicht/zugang/{einsicht.zugangsschluessel}/"
    eintrag = einsicht.dokumente.first()
    seite = f"{adresse}{eintrag.uuid}/1/"
    assert client.get(seite).status_code == 302  # no code yet
    antwort = client.post(adresse, {"code": "nicht-der-code"})
    assert "Der Code stimmt nicht" in antwort.content.decode()
    client.post(adresse, {"code": freigabe.code})
    assert client.get(seite).status_code == 200
    bild = client.get(seite + "bild/")
    assert bild.status_code == 200 and bild.content.startswith(b"\x89PNG")
    pdf = client.get(f"{adresse}{eintrag.uuid}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    arten = set(Zugriff.alle.filter(einsicht=einsicht).values_list("art", flat=True))
    assert {"code_falsch", "code_richtig", "ansicht", "download"} <= arten
    # revoked: at once, politely
    services.einsicht_widerrufen(akteur=akteur_von(sachbearbeitung), einsicht=einsicht)
    antwort = client.get(seite)
    assert antwort.status_code == 410 and "beendet" in antwort.content.decode()


def test_abgelaufen_und_unbekannt(client, freigegeben):
    einsicht, _ = freigegeben
    einsicht.gueltig_bis = timezone.localdate() - timezone.timedelta(days=1)
    einsicht.save()
    antwort = client.get(f"/einsicht/zugang/{einsicht.zugangsschluessel}/")
    assert antwort.status_code == 410 and "abgelaufen" in antwort.content.decode()
    assert client.get("/einsicht/zugang/gibt-es-nicht/").status_code == 404


def test_fuenf_falsche_codes_sperren(client, freigegeben):
    einsicht, freigabe = freigegeben
    adresse = f"/einsicht/zugang/{einsicht.zugangsschluessel}/"
    for _ in range(5):
        antwort = client.post(adresse, {"code": "00000000"})
    assert antwort.status_code == 410 and "gesperrt" in antwort.content.decode()
    antwort = client.post(adresse, {"code": freigabe.code})
    assert antwort.status_code == 410


def test_zu_viele_versuche_von_einer_adresse(client, freigegeben, monkeypatch):
    from django.core.cache import cache

    cache.delete("einsicht-code-versuche:127.0.0.1")
    monkeypatch.setattr(services, "VERSUCHE_JE_ADRESSE", 2)
    einsicht, freigabe = freigegeben
    adresse = f"/einsicht/zugang/{einsicht.zugangsschluessel}/"
    client.post(adresse, {"code": "1"})
    client.post(adresse, {"code": "2"})
    antwort = client.post(adresse, {"code": freigabe.code})
    assert "Zu viele Versuche" in antwort.content.decode()
    einsicht.refresh_from_db()
    assert einsicht.fehlversuche == 2 and einsicht.code_hash  # the right code was not even tried
    cache.delete("einsicht-code-versuche:127.0.0.1")


def test_formular_gewaehren(client_als, sachbearbeitung, akte, drei_dokumente):
    from eakte.einsicht.models import Einsicht, EinsichtDokument

    client = client_als(sachbearbeitung)
    adresse = f"/einsicht/akte/{akte.uuid}/neu/"
    seite = client.get(adresse)
    assert seite.status_code == 200 and "Einwendung Nachbar" in seite.content.decode()
    angaben = {
        "empfaenger_name": "Max Beteiligt",
        "empfaenger_email": "max.beteiligt.example",
        "empfaenger_rolle": "beteiligt",
        "gueltig_bis": (timezone.localdate() + timezone.timedelta(days=14)).isoformat(),
        "zweitkanal": "brief",
    }
    alle = {f"dok_{v.dokument.uuid}": "1" for v in drei_dokumente}
    antwort = client.post(adresse, {**angaben, **alle})
    assert "gültige E-Mail-Adresse" in antwort.content.decode()
    angaben["empfaenger_email"] = "max@beteiligt.example"
    ohne_grund = {k: v for k, v in alle.items() if str(drei_dokumente[2].dokument.uuid) not in k}
    antwort = client.post(adresse, {**angaben, **ohne_grund})
    assert "einen Grund angeben" in antwort.content.decode()
    assert not Einsicht.objects.exists()
    grund = {f"grund_{drei_dokumente[2].dokument.uuid}": "Schutz Dritter"}
    antwort = client.post(adresse, {**angaben, **ohne_grund, **grund})
    assert antwort.status_code == 302
    zurueck = EinsichtDokument.objects.get(freigegeben=False)
    assert zurueck.grund == "Schutz Dritter" and zurueck.dokument == drei_dokumente[2].dokument


def test_liste_ohne_abfrage_je_zeile(
    client_als, sachbearbeitung, datenschutz, akte, drei_dokumente, django_assert_max_num_queries
):
    for i in range(5):
        services.einsicht_anlegen(
            akteur=akteur_von(sachbearbeitung),
            akte=akte,
            empfaenger_name=f"Person {i}",
            empfaenger_email=f"p{i}@beispiel.example",
        )
    client = client_als(datenschutz)
    client.get("/einsicht/")
    with django_assert_max_num_queries(12):
        antwort = client.get("/einsicht/")
    assert antwort.content.decode().count("AE-") >= 5
