from django.conf import settings

from tests.factories import PASSWORT


def _anmelden(client, username, passwort):
    return client.post("/anmelden/", {"username": username, "password": passwort})


def test_anmeldung_fuehrt_zur_startseite(client, sachbearbeitung):
    antwort = _anmelden(client, "sb.erbach", PASSWORT)
    assert antwort.status_code == 302 and antwort.url == "/"
    assert client.get("/").context["user"] == sachbearbeitung


def test_benutzername_ohne_gross_und_kleinschreibung(client, sachbearbeitung):
    assert _anmelden(client, "SB.Erbach", PASSWORT).status_code == 302


def test_falsches_passwort_zeigt_deutsche_meldung(client, sachbearbeitung):
    antwort = _anmelden(client, "sb.erbach", "falsch")
    assert antwort.status_code == 200
    assert "Bitte Benutzername und Passwort eingeben" in antwort.content.decode()


def test_deaktivierte_person_kann_sich_nicht_anmelden(client, sachbearbeitung):
    sachbearbeitung.is_active = False
    sachbearbeitung.save()
    assert _anmelden(client, "sb.erbach", PASSWORT).status_code == 200
    assert "_auth_user_id" not in client.session


def test_sperre_nach_zu_vielen_fehlversuchen(client, sachbearbeitung):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _anmelden(client, "sb.erbach", "falsch")
    gesperrt = _anmelden(client, "sb.erbach", PASSWORT)
    assert gesperrt.status_code == 429
    assert "vorübergehend gesperrt" in gesperrt.content.decode()
    assert "_auth_user_id" not in client.session


def test_abmelden_nur_per_post(client_als, sachbearbeitung):
    client = client_als(sachbearbeitung)
    assert client.get("/abmelden/").status_code == 405
    assert client.post("/abmelden/").status_code == 302
    assert client.get("/").status_code == 302
