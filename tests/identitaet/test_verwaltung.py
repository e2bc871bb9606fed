"""Configuring the sign-in of a Kommune (browser and API): who may, secrets never shown again
nor written to the Protokoll, another Kommune's page is 404, the Verbund's 2FA rule."""

import pytest

from eakte.identitaet.geheimnis import entschluesseln
from eakte.identitaet.models import Anmelderichtlinie, Gruppenzuordnung, Identitaetsquelle
from eakte.protokoll.models import Aktion, Protokolleintrag

pytestmark = pytest.mark.django_db

GEHEIM = "Bind-Geheimnis-4711"


def _ldap_formular(**extra):
    daten = {
        "art": "ldap",
        "ldap_uri": "ldaps://dc1.erbach.example",
        "ldap_bind_dn": "cn=eakte,ou=dienste,dc=erbach,dc=example",
        "ldap_bind_passwort": GEHEIM,
        "ldap_benutzer_basis": "ou=personen,dc=erbach,dc=example",
        "ldap_benutzer_filter": "(uid=%(user)s)",
        "ldap_gruppen_basis": "ou=gruppen,dc=erbach,dc=example",
        "ldap_gruppen_filter": "(objectClass=groupOfNames)",
        "ldap_gruppentyp": "groupOfNames",
        "ldap_attr_vorname": "givenName",
        "ldap_attr_nachname": "sn",
        "ldap_attr_email": "mail",
        "oidc_scopes": "openid email profile",
        "oidc_claim_benutzername": "preferred_username",
        "oidc_claim_gruppen": "groups",
    }
    daten.update(extra)
    return daten


def test_admin_richtet_ldap_ein_geheimnis_nie_wieder_sichtbar(client_als, kommunen_admin, erbach):
    client = client_als(kommunen_admin)
    antwort = client.post("/kommunen/erbach/anmeldung/", _ldap_formular())
    assert antwort.status_code == 302
    quelle = Identitaetsquelle.alle.get(kommune=erbach)
    assert quelle.ldap_bind_geheimnis and GEHEIM not in quelle.ldap_bind_geheimnis
    assert entschluesseln(quelle.ldap_bind_geheimnis) == GEHEIM
    seite = client.get("/kommunen/erbach/anmeldung/").content.decode()
    assert GEHEIM not in seite and quelle.ldap_bind_geheimnis not in seite
    assert "Bind-Passwort hinterlegt" in seite
    # saving again without a secret keeps the stored one
    client.post("/kommunen/erbach/anmeldung/", _ldap_formular(ldap_bind_passwort=""))
    quelle.refresh_from_db()
    assert entschluesseln(quelle.ldap_bind_geheimnis) == GEHEIM
    eintraege = Protokolleintrag.alle.filter(kommune=erbach, aktion=Aktion.EINSTELLUNG_GEAENDERT)
    assert eintraege.count() == 1
    assert "ldap_bind_geheimnis" in eintraege[0].details["felder"]
    assert all(GEHEIM not in str(e.details) + e.beschreibung for e in eintraege)


def test_falsche_uri_deutsche_meldung(client_als, kommunen_admin, erbach):
    antwort = client_als(kommunen_admin).post(
        "/kommunen/erbach/anmeldung/", _ldap_formular(ldap_uri="http://dc1")
    )
    assert antwort.status_code == 200
    assert "beginnt mit ldap:// oder ldaps://" in antwort.content.decode()
    assert not Identitaetsquelle.alle.filter(kommune=erbach).exists()


def test_andere_kommune_und_sachbearbeitung(
    client_als, fremder_kommunen_admin, sachbearbeitung, erbach
):
    assert client_als(fremder_kommunen_admin).get("/kommunen/erbach/anmeldung/").status_code == 404
    assert client_als(sachbearbeitung).get("/kommunen/erbach/anmeldung/").status_code == 403


def test_api_geheimnis_nur_schreiben(api_als, kommunen_admin, fremder_kommunen_admin, erbach):
    client = api_als(kommunen_admin)
    antwort = client.put(
        "/api/v1/kommunen/erbach/anmeldung/",
        {
            "art": "oidc",
            "oidc_issuer": "https://sso.erbach.example/realms/rathaus",
            "oidc_client_id": "eakte",
            "oidc_client_secret": GEHEIM,
        },
        format="json",
    )
    assert antwort.status_code == 200, antwort.json()
    assert GEHEIM not in antwort.content.decode()
    assert antwort.json()["hat_client_geheimnis"] is True
    assert GEHEIM not in client.get("/api/v1/kommunen/erbach/anmeldung/").content.decode()
    fehler = client.put("/api/v1/kommunen/erbach/anmeldung/", {"art": "ldap"}, format="json")
    assert fehler.status_code == 400, fehler.content.decode()
    assert "Server-URI" in fehler.content.decode()
    fremd = api_als(fremder_kommunen_admin).get("/api/v1/kommunen/erbach/anmeldung/")
    assert fremd.status_code == 404


def test_api_zuordnung_fremde_oe_abgelehnt(
    api_als, kommunen_admin, erbach, bauamt, ordnungsamt_michelstadt
):
    client = api_als(kommunen_admin)
    antwort = client.post(
        "/api/v1/kommunen/erbach/anmeldung/zuordnungen/",
        {"gruppe": "GG-Bau", "organisationseinheit": str(ordnungsamt_michelstadt.uuid)},
        format="json",
    )
    assert antwort.status_code == 404
    antwort = client.post(
        "/api/v1/kommunen/erbach/anmeldung/zuordnungen/",
        {"gruppe": "GG-Bau", "rolle": "Sachbearbeitung", "organisationseinheit": str(bauamt.uuid)},
        format="json",
    )
    assert antwort.status_code == 201
    zuordnung = Gruppenzuordnung.alle.get(kommune=erbach)
    antwort = client.delete(f"/api/v1/kommunen/erbach/anmeldung/zuordnungen/{zuordnung.uuid}/")
    assert antwort.status_code == 204
    assert not Gruppenzuordnung.alle.filter(kommune=erbach).exists()


def test_formular_lehnt_verbundrolle_fuer_kommunen_admin_ab(client_als, kommunen_admin, erbach):
    antwort = client_als(kommunen_admin).post(
        "/kommunen/erbach/anmeldung/zuordnung/",
        {"gruppe": "GG-Datenschutz", "rolle": "Datenschutz"},
        follow=True,
    )
    assert "nur ein Verbund-Admin zu" in antwort.content.decode()
    assert not Gruppenzuordnung.alle.filter(kommune=erbach).exists()


def test_anmelderichtlinie(client_als, api_als, verbund_admin, kommunen_admin, verbund):
    assert client_als(kommunen_admin).get("/verbund/anmelderichtlinie/").status_code == 403
    antwort = client_als(verbund_admin).post(
        "/verbund/anmelderichtlinie/", {"zwei_faktor_fuer_admins": "on"}
    )
    assert antwort.status_code == 302
    assert Anmelderichtlinie.objects.get(verbund=verbund).zwei_faktor_fuer_admins
    antwort = api_als(verbund_admin).put(
        "/api/v1/anmelderichtlinie/", {"zwei_faktor_fuer_admins": False}, format="json"
    )
    assert antwort.json() == {"zwei_faktor_fuer_admins": False}
    assert Protokolleintrag.alle.filter(aktion=Aktion.EINSTELLUNG_GEAENDERT).count() == 2
