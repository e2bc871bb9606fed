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
    assert "Benutzername oder Passwort stimmt nicht." in antwort.content.decode()


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


def _falsch_bis_gesperrt(client, username, **extra):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/anmelden/", {"username": username, "password": "falsch"}, **extra)


def test_sperre_gilt_fuer_jede_schreibweise_des_namens(client, sachbearbeitung):
    _falsch_bis_gesperrt(client, "sb.erbach")
    for schreibweise in ("sb.erbach", "SB.Erbach", "sb.erbacH", " sb.erbach "):
        antwort = _anmelden(client, schreibweise, PASSWORT)
        assert antwort.status_code == 429, schreibweise
        assert "_auth_user_id" not in client.session


def test_fehlversuche_verschiedener_schreibweisen_zaehlen_zusammen(client, sachbearbeitung):
    schreibweisen = ["sb.erbach", "SB.erbach", "sb.ERBACH", "Sb.Erbach", "sB.eRbach"]
    for schreibweise in schreibweisen[: settings.AXES_FAILURE_LIMIT]:
        _anmelden(client, schreibweise, "falsch")
    assert _anmelden(client, "sb.erbaCH", PASSWORT).status_code == 429
    assert "_auth_user_id" not in client.session


def test_hinter_einem_proxy_werden_clients_getrennt_gesperrt(client, sachbearbeitung, settings):
    settings.EAKTE_PROXY_ANZAHL = 1
    angreifer = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    kollege = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.9"}
    _falsch_bis_gesperrt(client, "sb.erbach", **angreifer)
    gesperrt = client.post(
        "/anmelden/", {"username": "sb.erbach", "password": PASSWORT}, **angreifer
    )
    assert gesperrt.status_code == 429
    # Every request comes from the proxy's address; the colleague behind it is not locked out.
    antwort = client.post("/anmelden/", {"username": "sb.erbach", "password": PASSWORT}, **kollege)
    assert antwort.status_code == 302


def test_ohne_proxy_aendert_ein_gefaelschter_header_nichts(client, sachbearbeitung, settings):
    settings.EAKTE_PROXY_ANZAHL = 0
    _falsch_bis_gesperrt(client, "sb.erbach", HTTP_X_FORWARDED_FOR="203.0.113.7")
    antwort = client.post(
        "/anmelden/",
        {"username": "sb.erbach", "password": PASSWORT},
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert antwort.status_code == 429
    assert "_auth_user_id" not in client.session
