"""Sign-in through a real OpenID Connect provider (tests/oidc_anbieter, django-oauth-toolkit):
the test client plays the browser on our side, a requests session on the provider's side."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from eakte.identitaet.models import Kontoherkunft
from eakte.kommunen.models import Benutzer
from eakte.kommunen.rollen import Rolle
from eakte.protokoll.models import Aktion, Protokolleintrag
from tests.identitaet import anbieter as a
from tests.identitaet.conftest import RUECKKEHR_TESTCLIENT

pytestmark = pytest.mark.django_db


def _beim_anbieter_anmelden(adresse: str) -> str:
    """Signs in at the provider and returns where it sends the browser back (with code)."""
    sitzung = requests.Session()
    basis = "{0.scheme}://{0.netloc}".format(urlsplit(adresse))
    seite = sitzung.get(adresse, allow_redirects=True, timeout=10)
    csrf = sitzung.cookies["csrftoken"]
    antwort = sitzung.post(
        seite.url,
        data={
            "username": a.PERSON["name"],
            "password": a.PERSON["passwort"],
            "csrfmiddlewaretoken": csrf,
            "next": parse_qs(urlsplit(seite.url).query)["next"][0],
        },
        headers={"Referer": seite.url},
        allow_redirects=False,
        timeout=10,
    )
    assert antwort.status_code == 302, antwort.text[:500]
    weiter = sitzung.get(basis + antwort.headers["Location"], allow_redirects=False, timeout=10)
    assert weiter.status_code == 302, weiter.text[:500]
    return weiter.headers["Location"]


def _start(client, slug="michelstadt"):
    antwort = client.get(f"/anmelden/oidc/{slug}/")
    assert antwort.status_code == 302
    return antwort.url


def test_anmeldung_ueber_anbieter_legt_konto_an(client, michelstadt_oidc, ordnungsamt_michelstadt):
    zurueck = _beim_anbieter_anmelden(_start(client))
    assert zurueck.startswith(RUECKKEHR_TESTCLIENT)
    antwort = client.get(zurueck)
    assert antwort.status_code == 302 and antwort.url == "/", antwort
    person = Benutzer.objects.get(username="jschmidt@michelstadt")
    assert person.kommune == michelstadt_oidc.kommune
    assert person.rollen == {Rolle.SACHBEARBEITUNG}
    assert list(person.organisationseinheiten.all()) == [ordnungsamt_michelstadt]
    assert Kontoherkunft.alle.get(benutzer=person).art == "oidc"
    assert int(client.session["_auth_user_id"]) == person.pk
    assert Protokolleintrag.alle.get(
        kommune=michelstadt_oidc.kommune, aktion=Aktion.ANGEMELDET, benutzer=person
    ).details == {"quelle": "oidc"}


def test_falscher_state(client, michelstadt_oidc):
    zurueck = _beim_anbieter_anmelden(_start(client))
    teile = urlsplit(zurueck)
    code = parse_qs(teile.query)["code"][0]
    antwort = client.get(f"/anmelden/oidc/rueckkehr/?code={code}&state=erfunden", follow=True)
    assert antwort.status_code == 200
    assert "Die Sitzung passt nicht zur Antwort des Anmeldedienstes (state)" in (
        antwort.content.decode()
    )
    assert "_auth_user_id" not in client.session
    assert Protokolleintrag.alle.filter(
        kommune=michelstadt_oidc.kommune, aktion=Aktion.ANMELDUNG_FEHLGESCHLAGEN
    ).exists()


def test_falscher_nonce(client, michelstadt_oidc):
    zurueck = _beim_anbieter_anmelden(_start(client))
    sitzung = client.session
    for eintrag in sitzung["oidc_states"].values():
        eintrag["nonce"] = "untergeschoben"
    sitzung.save()
    antwort = client.get(zurueck, follow=True)
    assert "gehört nicht zu dieser Anmeldung (nonce)" in antwort.content.decode()
    assert "_auth_user_id" not in client.session
    assert not Benutzer.objects.filter(username="jschmidt@michelstadt").exists()


def test_abgelaufenes_token(client, michelstadt, fremder_kommunen_admin, tmp_path):
    from django.core.cache import cache

    from tests.identitaet.conftest import oidc_einrichten

    cache.clear()
    # a provider whose ID tokens expired two minutes before they were issued
    anbieter = a.starten(tmp_path / "abgelaufen", [RUECKKEHR_TESTCLIENT], ablauf=-120)
    try:
        oidc_einrichten(michelstadt, fremder_kommunen_admin, anbieter.issuer)
        antwort = client.get(_beim_anbieter_anmelden(_start(client)), follow=True)
    finally:
        anbieter.stoppen()
    assert "Das Anmeldetoken ist abgelaufen" in antwort.content.decode()
    assert "_auth_user_id" not in client.session


def test_anbieter_nicht_erreichbar(client, michelstadt, fremder_kommunen_admin):
    from django.core.cache import cache

    from tests.identitaet.conftest import oidc_einrichten

    cache.clear()
    oidc_einrichten(michelstadt, fremder_kommunen_admin, "http://127.0.0.1:9/o")
    antwort = client.get("/anmelden/oidc/michelstadt/", follow=True)
    assert antwort.status_code == 200
    assert "Der Anmeldedienst ist nicht erreichbar" in antwort.content.decode()


def test_anmeldeseite_zeigt_knopf(client, michelstadt_oidc):
    inhalt = client.get("/anmelden/").content.decode()
    assert "Anmelden mit Michelstadt" in inhalt
