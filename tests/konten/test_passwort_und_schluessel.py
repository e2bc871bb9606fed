"""API keys and passwords in the Protokoll; a password change takes the API key with it."""

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from eakte.common.akteur import Anmeldeart
from eakte.konten.models import ApiSchluessel
from eakte.protokoll.models import Aktion, Protokolleintrag
from tests.factories import PASSWORT


def _aktionen(person):
    return list(
        Protokolleintrag.objects.filter(objekt_uuid=person.uuid)
        .order_by("laufnummer")
        .values_list("aktion", flat=True)
    )


def test_schluessel_erstellen_erneuern_loeschen_steht_im_protokoll(client_als, sachbearbeitung):
    client = client_als(sachbearbeitung)
    client.post("/konto/api-schluessel/")
    client.post("/konto/api-schluessel/")
    client.post("/konto/api-schluessel/loeschen/")
    assert _aktionen(sachbearbeitung) == [
        Aktion.API_SCHLUESSEL_ERSTELLT,
        Aktion.API_SCHLUESSEL_ERSTELLT,
        Aktion.API_SCHLUESSEL_WIDERRUFEN,
    ]
    erneuert = (
        Protokolleintrag.objects.filter(aktion=Aktion.API_SCHLUESSEL_ERSTELLT)
        .order_by("laufnummer")
        .last()
    )
    assert erneuert.details == {"erneuert": True}
    assert erneuert.benutzer == sachbearbeitung and erneuert.kommune == sachbearbeitung.kommune


def test_passwort_aendern_loescht_den_api_schluessel(client_als, sachbearbeitung, api_client):
    client = client_als(sachbearbeitung)
    client.post("/konto/api-schluessel/")
    schluessel = client.get("/konto/").context["neuer_token"]
    antwort = client.post(
        "/konto/passwort/",
        {
            "old_password": PASSWORT,
            "new_password1": "Neues-Passwort-77",
            "new_password2": "Neues-Passwort-77",
        },
        follow=True,
    )
    assert "Ihr API-Schlüssel wurde dabei gelöscht" in antwort.content.decode()
    assert not ApiSchluessel.objects.filter(benutzer=sachbearbeitung).exists()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {schluessel}")
    assert api_client.get("/api/v1/benutzer/ich/").status_code == 401
    assert _aktionen(sachbearbeitung)[-2:] == [
        Aktion.PASSWORT_GEAENDERT,
        Aktion.API_SCHLUESSEL_WIDERRUFEN,
    ]
    widerrufen = Protokolleintrag.objects.get(aktion=Aktion.API_SCHLUESSEL_WIDERRUFEN)
    assert widerrufen.details == {"grund": "Passwort geändert"}


def test_passwort_aendern_ohne_schluessel_sagt_nichts_davon(client_als, sachbearbeitung):
    antwort = client_als(sachbearbeitung).post(
        "/konto/passwort/",
        {
            "old_password": PASSWORT,
            "new_password1": "Neues-Passwort-77",
            "new_password2": "Neues-Passwort-77",
        },
        follow=True,
    )
    assert "Ihr Passwort wurde geändert." in antwort.content.decode()
    assert (
        "API-Schlüssel"
        not in antwort.content.decode().split("Ihr Passwort wurde geändert.")[1][:80]
    )
    assert _aktionen(sachbearbeitung) == [Aktion.PASSWORT_GEAENDERT]


def test_passwort_ueber_den_link_loescht_den_api_schluessel(client, client_als, sachbearbeitung):
    client_als(sachbearbeitung).post("/konto/api-schluessel/")
    client.logout()
    link = (
        f"/passwort/neu/{urlsafe_base64_encode(force_bytes(sachbearbeitung.pk))}/"
        f"{default_token_generator.make_token(sachbearbeitung)}/"
    )
    seite = client.get(link, follow=True)
    antwort = client.post(
        seite.redirect_chain[-1][0],
        {"new_password1": "Ganz-Neues-Pw-42", "new_password2": "Ganz-Neues-Pw-42"},
        follow=True,
        REMOTE_ADDR="198.51.100.9",
    )
    assert "Ihr API-Schlüssel wurde dabei gelöscht" in antwort.content.decode()
    assert not ApiSchluessel.objects.filter(benutzer=sachbearbeitung).exists()
    geaendert = Protokolleintrag.objects.get(aktion=Aktion.PASSWORT_GEAENDERT)
    assert geaendert.benutzer == sachbearbeitung
    assert geaendert.ip_adresse == "198.51.100.9"


def test_anmeldung_steht_mit_sitzung_und_adresse_im_protokoll(client, sachbearbeitung):
    client.post(
        "/anmelden/",
        {"username": sachbearbeitung.username, "password": PASSWORT},
        REMOTE_ADDR="203.0.113.4",
    )
    eintrag = Protokolleintrag.objects.get(aktion=Aktion.ANGEMELDET)
    assert eintrag.anmeldeart == Anmeldeart.SITZUNG and eintrag.ip_adresse == "203.0.113.4"
