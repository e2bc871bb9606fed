from django.db import connection

from eakte.konten.models import ApiSchluessel
from eakte.konten.services import schluessel_hash


def test_konto_zeigt_kommune_rollen_und_oes(client_als, sachbearbeitung):
    inhalt = client_als(sachbearbeitung).get("/konto/").content.decode()
    assert "Erbach" in inhalt and "Bauamt" in inhalt and "Sachbearbeitung" in inhalt


def test_api_schluessel_wird_einmal_angezeigt_und_funktioniert(
    client_als, sachbearbeitung, api_client
):
    client = client_als(sachbearbeitung)
    client.post("/konto/api-schluessel/")
    erste_ansicht = client.get("/konto/")
    schluessel = erste_ansicht.context["neuer_token"]
    assert ApiSchluessel.objects.get(benutzer=sachbearbeitung).hash == schluessel_hash(schluessel)
    assert schluessel in erste_ansicht.content.decode()
    assert schluessel not in client.get("/konto/").content.decode()

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {schluessel}")
    assert api_client.get("/api/v1/benutzer/ich/").json()["username"] == "sb.erbach"


def test_neuer_schluessel_macht_den_alten_ungueltig(client_als, sachbearbeitung, api_client):
    client = client_als(sachbearbeitung)
    client.post("/konto/api-schluessel/")
    alt = client.get("/konto/").context["neuer_token"]
    client.post("/konto/api-schluessel/")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {alt}")
    assert api_client.get("/api/v1/benutzer/ich/").status_code == 401


def test_schluessel_loeschen(client_als, sachbearbeitung):
    client = client_als(sachbearbeitung)
    client.post("/konto/api-schluessel/")
    client.post("/konto/api-schluessel/loeschen/")
    assert not ApiSchluessel.objects.filter(benutzer=sachbearbeitung).exists()


def test_schluessel_steht_nirgends_im_klartext(client_als, sachbearbeitung, api_client):
    client = client_als(sachbearbeitung)
    client.post("/konto/api-schluessel/")
    schluessel = client.get("/konto/").context["neuer_token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {schluessel}")
    assert api_client.get("/api/v1/benutzer/ich/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT hash FROM konten_apischluessel UNION ALL SELECT key FROM authtoken_token"
        )
        gespeichert = [zeile[0] for zeile in cursor.fetchall()]
    assert gespeichert == [schluessel_hash(schluessel)]
    eintrag = ApiSchluessel.objects.get(benutzer=sachbearbeitung)
    assert eintrag.zuletzt_benutzt_am is not None  # the use is noted


def test_falscher_schluessel_deutsche_meldung(api_client, sachbearbeitung):
    api_client.credentials(HTTP_AUTHORIZATION="Token falsch")
    antwort = api_client.get("/api/v1/benutzer/ich/")
    assert antwort.status_code == 401
    assert antwort.json()["detail"] == "Ungültiger API-Schlüssel."
    assert antwort["WWW-Authenticate"] == "Token"


def test_passwort_aendern(client_als, sachbearbeitung):
    from tests.factories import PASSWORT

    antwort = client_als(sachbearbeitung).post(
        "/konto/passwort/",
        {
            "old_password": PASSWORT,
            "new_password1": "Neues-Passwort-77",
            "new_password2": "Neues-Passwort-77",
        },
    )
    assert antwort.status_code == 302
    sachbearbeitung.refresh_from_db()
    assert sachbearbeitung.check_password("Neues-Passwort-77")


def test_alte_klartext_tokens_werden_uebernommen(api_client, sachbearbeitung):
    """Migration konten 0002: a client with an old token keeps working, the plain text is gone."""
    import importlib

    from django.apps import apps
    from rest_framework.authtoken.models import Token

    alt = Token.objects.create(user=sachbearbeitung).key
    migration = importlib.import_module("eakte.konten.migrations.0002_tokens_als_hash")
    migration.uebernehmen(apps, None)

    assert not Token.objects.exists()
    assert ApiSchluessel.objects.get(benutzer=sachbearbeitung).hash == schluessel_hash(alt)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {alt}")
    assert api_client.get("/api/v1/benutzer/ich/").status_code == 200
