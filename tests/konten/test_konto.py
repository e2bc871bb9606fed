from rest_framework.authtoken.models import Token


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
    assert schluessel == Token.objects.get(user=sachbearbeitung).key
    assert schluessel in erste_ansicht.content.decode()
    assert schluessel not in client.get("/konto/").content.decode()

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {schluessel}")
    assert api_client.get("/api/v1/benutzer/ich/").json()["username"] == "sb.erbach"


def test_neuer_schluessel_macht_den_alten_ungueltig(client_als, sachbearbeitung, api_client):
    client = client_als(sachbearbeitung)
    client.post("/konto/api-schluessel/")
    alt = Token.objects.get(user=sachbearbeitung).key
    client.post("/konto/api-schluessel/")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {alt}")
    assert api_client.get("/api/v1/benutzer/ich/").status_code == 401


def test_schluessel_loeschen(client_als, sachbearbeitung):
    client = client_als(sachbearbeitung)
    client.post("/konto/api-schluessel/")
    client.post("/konto/api-schluessel/loeschen/")
    assert not Token.objects.filter(user=sachbearbeitung).exists()


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
