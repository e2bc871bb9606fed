import pytest

from eakte.identitaet import services
from eakte.identitaet.models import Identitaetsquelle
from eakte.kommunen.rollen import Rolle
from tests.hilfen import akteur_von
from tests.identitaet import verzeichnis as v


@pytest.fixture(scope="session")
def verzeichnis(tmp_path_factory):
    laufend = v.starten(tmp_path_factory.mktemp("slapd"))
    yield laufend
    laufend.stoppen()


@pytest.fixture
def frisches_verzeichnis(tmp_path):
    """A directory of its own for tests that change or stop it."""
    laufend = v.starten(tmp_path / "slapd")
    yield laufend
    laufend.stoppen()


def ldap_einrichten(kommune, admin, uri, *, geheimnis=v.DIENST_PASSWORT, oe=None):
    services.quelle_speichern(
        akteur=akteur_von(admin),
        kommune=kommune,
        daten={
            "art": "ldap",
            "ldap_uri": uri,
            "ldap_bind_dn": v.DIENST_DN,
            "ldap_benutzer_basis": f"ou=personen,{v.BASIS}",
            "ldap_benutzer_filter": "(&(objectClass=inetOrgPerson)(uid=%(user)s)"
            "(!(employeeType=deaktiviert)))",
            "ldap_gruppen_basis": v.GRUPPEN,
            "ldap_attr_oe": "departmentNumber",
        },
        geheimnisse={"ldap_bind_geheimnis": geheimnis},
    )
    services.zuordnung_anlegen(
        akteur=akteur_von(admin),
        kommune=kommune,
        gruppe=v.gruppe_dn("GG-Sachbearbeitung"),
        rolle=Rolle.SACHBEARBEITUNG.value,
    )
    if oe is not None:
        services.zuordnung_anlegen(
            akteur=akteur_von(admin),
            kommune=kommune,
            gruppe=v.gruppe_dn("GG-Bauamt"),
            organisationseinheit=oe,
        )
    return Identitaetsquelle.alle.get(kommune=kommune)


@pytest.fixture
def erbach_ldap(erbach, bauamt, kommunen_admin, verzeichnis):
    return ldap_einrichten(erbach, kommunen_admin, verzeichnis.uri, oe=bauamt)


RUECKKEHR_TESTCLIENT = "http://testserver/anmelden/oidc/rueckkehr/"


@pytest.fixture(scope="session")
def oidc_anbieter(tmp_path_factory):
    from tests.identitaet import anbieter as a

    laufend = a.starten(tmp_path_factory.mktemp("oidc"), [RUECKKEHR_TESTCLIENT])
    yield laufend
    laufend.stoppen()


def oidc_einrichten(kommune, admin, issuer):
    from tests.identitaet import anbieter as a

    quelle = services.quelle_speichern(
        akteur=akteur_von(admin),
        kommune=kommune,
        daten={"art": "oidc", "oidc_issuer": issuer, "oidc_client_id": a.CLIENT},
        geheimnisse={"oidc_client_geheimnis": a.SECRET},
    )
    services.zuordnung_anlegen(
        akteur=akteur_von(admin),
        kommune=kommune,
        gruppe="MIC-Sachbearbeitung",
        rolle=Rolle.SACHBEARBEITUNG.value,
    )
    return quelle


@pytest.fixture
def michelstadt_oidc(michelstadt, ordnungsamt_michelstadt, fremder_kommunen_admin, oidc_anbieter):
    from django.core.cache import cache

    cache.clear()
    quelle = oidc_einrichten(michelstadt, fremder_kommunen_admin, oidc_anbieter.issuer)
    services.zuordnung_anlegen(
        akteur=akteur_von(fremder_kommunen_admin),
        kommune=michelstadt,
        gruppe="MIC-Ordnungsamt",
        organisationseinheit=ordnungsamt_michelstadt,
    )
    return quelle
