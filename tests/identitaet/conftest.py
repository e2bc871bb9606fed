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
            akteur=akteur_von(admin), kommune=kommune, gruppe=v.gruppe_dn("GG-Bauamt"),
            organisationseinheit=oe,
        )
    return Identitaetsquelle.alle.get(kommune=kommune)


@pytest.fixture
def erbach_ldap(erbach, bauamt, kommunen_admin, verzeichnis):
    return ldap_einrichten(erbach, kommunen_admin, verzeichnis.uri, oe=bauamt)

