"""Sign-in against a real slapd: JIT provisioning, roles from nested groups, OE from an
attribute, failures (directory down, wrong bind secret, disabled account), the sync."""

import pytest

from eakte.identitaet import services
from eakte.identitaet.models import Kontoherkunft
from eakte.identitaet.verzeichnis import Verzeichnisfehler, abgleichen
from eakte.kommunen.models import Benutzer
from eakte.kommunen.rollen import Rolle
from eakte.protokoll.models import Aktion, Protokolleintrag
from tests.factories import PASSWORT
from tests.hilfen import akteur_von
from tests.identitaet import verzeichnis as v
from tests.identitaet.conftest import ldap_einrichten

pytestmark = pytest.mark.django_db(transaction=False)


def _anmelden(client, name, passwort=v.PERSONEN_PASSWORT):
    return client.post("/anmelden/", {"username": name, "password": passwort})


def test_erste_anmeldung_legt_konto_mit_rolle_und_oe_an(client, erbach_ldap, bauamt):
    antwort = _anmelden(client, "mmuster@erbach")
    assert antwort.status_code == 302 and antwort.url == "/"
    person = Benutzer.objects.get(username="mmuster@erbach")
    assert person.kommune == erbach_ldap.kommune
    assert (person.first_name, person.last_name) == ("Maria", "Muster")
    # GG-Bauamt ⊂ GG-Sachbearbeitung: the role comes through the nested group
    assert person.rollen == {Rolle.SACHBEARBEITUNG}
    assert list(person.organisationseinheiten.all()) == [bauamt]
    assert not person.has_usable_password()
    assert Kontoherkunft.alle.get(benutzer=person).art == "ldap"
    eintraege = Protokolleintrag.alle.filter(kommune=erbach_ldap.kommune)
    assert eintraege.filter(aktion=Aktion.ANGELEGT, objekt_uuid=person.uuid).exists()
    assert eintraege.filter(aktion=Aktion.ROLLEN_GEAENDERT, objekt_uuid=person.uuid).exists()
    anmeldung = eintraege.get(aktion=Aktion.ANGEMELDET, benutzer=person)
    assert anmeldung.details == {"quelle": "ldap"}


def test_falsches_passwort_und_protokoll(client, erbach_ldap):
    antwort = _anmelden(client, "mmuster@erbach", "falsch")
    assert antwort.status_code == 200
    assert "_auth_user_id" not in client.session
    eintrag = Protokolleintrag.alle.get(
        kommune=erbach_ldap.kommune, aktion=Aktion.ANMELDUNG_FEHLGESCHLAGEN
    )
    assert eintrag.details["quelle"] == "ldap"


def test_ohne_zugeordnete_gruppe_seite_mit_ansprechperson(client, erbach_ldap, kommunen_admin):
    antwort = _anmelden(client, "kkeiner@erbach")
    assert antwort.status_code == 302 and antwort.url == "/anmelden/keine-rolle/"
    seite = client.get(antwort.url).content.decode()
    assert "noch keine Rolle" in seite
    assert kommunen_admin.email in seite


def test_verzeichnis_weg_deutsche_meldung_notfallzugang_geht(
    client, erbach, kommunen_admin, frisches_verzeichnis, bauamt
):
    ldap_einrichten(erbach, kommunen_admin, frisches_verzeichnis.uri)
    frisches_verzeichnis.stoppen()
    antwort = _anmelden(client, "mmuster@erbach")
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "Verzeichnis Ihrer Kommune ist gerade nicht möglich" in inhalt
    assert "nicht erreichbar" in inhalt
    # the local break-glass account still signs in
    antwort = client.post("/anmelden/", {"username": kommunen_admin.username, "password": PASSWORT})
    assert antwort.status_code == 302
    with pytest.raises(Verzeichnisfehler):
        abgleichen(services.quelle_von(erbach))


def test_falsches_bind_geheimnis(client, erbach, kommunen_admin, verzeichnis, bauamt):
    ldap_einrichten(erbach, kommunen_admin, verzeichnis.uri, geheimnis="falsch")
    antwort = _anmelden(client, "mmuster@erbach")
    assert antwort.status_code == 200
    assert "Dienstkonto (Bind-DN/Passwort) wird vom Verzeichnis abgelehnt" in (
        antwort.content.decode()
    )
    assert not Benutzer.objects.filter(username="mmuster@erbach").exists()


def test_konto_im_verzeichnis_deaktiviert_zwischen_zwei_anmeldungen(
    client, erbach, kommunen_admin, frisches_verzeichnis, bauamt
):
    quelle = ldap_einrichten(erbach, kommunen_admin, frisches_verzeichnis.uri)
    assert _anmelden(client, "ppeters@erbach").status_code == 302
    client.logout()
    frisches_verzeichnis.ldif(
        f"dn: {v.person_dn('ppeters')}\nchangetype: modify\nadd: employeeType\n"
        "employeeType: deaktiviert\n"
    )
    assert _anmelden(client, "ppeters@erbach").status_code == 200
    assert abgleichen(quelle) == {"abgeglichen": 0, "deaktiviert": 1}
    person = Benutzer.objects.get(username="ppeters@erbach")
    assert not person.is_active
    assert Protokolleintrag.alle.filter(
        kommune=erbach, aktion=Aktion.DEAKTIVIERT, objekt_uuid=person.uuid
    ).exists()


def test_abgleich_folgt_gruppen_und_entfernt_gegangene(
    client, erbach, kommunen_admin, frisches_verzeichnis, bauamt
):
    quelle = ldap_einrichten(erbach, kommunen_admin, frisches_verzeichnis.uri)
    assert _anmelden(client, "mmuster@erbach").status_code == 302
    client.logout()
    assert _anmelden(client, "ppeters@erbach").status_code == 302
    assert Benutzer.objects.get(username="ppeters@erbach").rollen == {Rolle.SACHBEARBEITUNG}
    # Paul leaves the Bauamt group (and so the role), Maria leaves the directory
    frisches_verzeichnis.ldif(
        f"dn: {v.gruppe_dn('GG-Bauamt')}\nchangetype: modify\ndelete: member\n"
        f"member: {v.person_dn('ppeters')}\n"
    )
    frisches_verzeichnis.ldif(f"dn: {v.person_dn('mmuster')}\nchangetype: delete\n")
    assert abgleichen(quelle) == {"abgeglichen": 1, "deaktiviert": 1}
    assert not Benutzer.objects.get(username="mmuster@erbach").is_active
    paul = Benutzer.objects.get(username="ppeters@erbach")
    assert paul.rollen == frozenset()
    eintrag = Protokolleintrag.alle.get(
        kommune=erbach,
        aktion=Aktion.ROLLEN_GEAENDERT,
        objekt_uuid=paul.uuid,
        details__nachher=[],
    )
    assert eintrag.details["vorher"] == ["Sachbearbeitung"]


def test_zuordnung_fremde_gruppe_und_verbundrolle_abgelehnt(
    erbach_ldap, kommunen_admin, ordnungsamt_michelstadt
):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Gruppen-Suchbasis"):
        services.zuordnung_anlegen(
            akteur=akteur_von(kommunen_admin),
            kommune=erbach_ldap.kommune,
            gruppe="cn=GG-Bauamt,ou=gruppen,dc=michelstadt,dc=example",
            rolle=Rolle.SACHBEARBEITUNG.value,
        )
    with pytest.raises(ValidationError, match="nur ein Verbund-Admin"):
        services.zuordnung_anlegen(
            akteur=akteur_von(kommunen_admin),
            kommune=erbach_ldap.kommune,
            gruppe=v.gruppe_dn("GG-Bauamt"),
            rolle=Rolle.DATENSCHUTZ.value,
        )
    with pytest.raises(ValidationError, match="gehört nicht zu dieser Kommune"):
        services.zuordnung_anlegen(
            akteur=akteur_von(kommunen_admin),
            kommune=erbach_ldap.kommune,
            gruppe=v.gruppe_dn("GG-Bauamt"),
            organisationseinheit=ordnungsamt_michelstadt,
        )


def test_vom_abgleich_deaktiviert_erscheint_zur_uebergabe(
    client, client_als, erbach, kommunen_admin, frisches_verzeichnis, bauamt, akte_anlegen
):
    """The leaver flow: a person the sync deactivated shows their open Wiedervorlagen on their
    page in the user administration, ready to be handed over."""
    from django.urls import reverse
    from django.utils import timezone

    from eakte.akten import services as akten_services

    quelle = ldap_einrichten(erbach, kommunen_admin, frisches_verzeichnis.uri, oe=bauamt)
    assert _anmelden(client, "mmuster@erbach").status_code == 302
    maria = Benutzer.objects.get(username="mmuster@erbach")
    akte = akte_anlegen(maria, bauamt, "Bauantrag Lindenweg 3")
    akten_services.wiedervorlage_setzen(
        akteur=akteur_von(maria), akte=akte, datum=timezone.localdate(), notiz="Statik prüfen"
    )
    frisches_verzeichnis.ldif(f"dn: {v.person_dn('mmuster')}\nchangetype: delete\n")
    abgleichen(quelle)
    seite = reverse("kommunen:benutzer_bearbeiten", kwargs={"slug": "erbach", "uuid": maria.uuid})
    inhalt = client_als(kommunen_admin).get(seite).content.decode()
    assert "ist deaktiviert" in inhalt and akte.aktenzeichen in inhalt


def test_starttls_mit_eigener_ca(client, erbach, kommunen_admin, bauamt, tmp_path):
    """StartTLS against slapd with a certificate of an internal CA: with that CA configured the
    sign-in works; with another CA it is refused with a German TLS message."""
    laufend = v.starten(tmp_path / "tls", tls=True)
    try:
        quelle = ldap_einrichten(erbach, kommunen_admin, laufend.uri, oe=bauamt)
        fremde_ca = v.zertifikate(_ordner(tmp_path / "andere"))
        services.quelle_speichern(
            akteur=akteur_von(kommunen_admin),
            kommune=erbach,
            daten={"ldap_starttls": True, "ldap_ca_zertifikat": fremde_ca},
        )
        antwort = _anmelden(client, "mmuster@erbach")
        assert antwort.status_code == 200
        assert "(TLS) zum Verzeichnis ist gescheitert" in antwort.content.decode()
        services.quelle_speichern(
            akteur=akteur_von(kommunen_admin),
            kommune=erbach,
            daten={"ldap_ca_zertifikat": laufend.ca},
        )
        assert _anmelden(client, "mmuster@erbach").status_code == 302
        quelle.refresh_from_db()
        assert abgleichen(quelle) == {"abgeglichen": 1, "deaktiviert": 0}
    finally:
        laufend.stoppen()


def _ordner(pfad):
    pfad.mkdir(parents=True)
    return pfad


def test_ca_kein_pem(erbach_ldap, kommunen_admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="PEM-Format"):
        services.quelle_speichern(
            akteur=akteur_von(kommunen_admin),
            kommune=erbach_ldap.kommune,
            daten={"ldap_ca_zertifikat": "kein Zertifikat"},
        )


@pytest.mark.worker
def test_naechtlicher_abgleich_im_celery_worker(
    transactional_db, celery_worker_prozess, client, erbach, kommunen_admin, bauamt, tmp_path
):
    """The beat job runs in the real worker: a person removed from the directory is
    deactivated, the others keep their roles."""
    from eakte.identitaet.tasks import verzeichnisse_abgleichen
    from tests.hilfen import warten_bis

    laufend = v.starten(tmp_path / "slapd")
    try:
        ldap_einrichten(erbach, kommunen_admin, laufend.uri, oe=bauamt)
        assert _anmelden(client, "mmuster@erbach").status_code == 302
        client.logout()
        assert _anmelden(client, "ppeters@erbach").status_code == 302
        laufend.ldif(f"dn: {v.person_dn('mmuster')}\nchangetype: delete\n")
        verzeichnisse_abgleichen.delay()
        warten_bis(
            lambda: not Benutzer.objects.get(username="mmuster@erbach").is_active,
            sekunden=60,
            was=lambda: celery_worker_prozess.log.read_text(errors="replace")[-3000:],
        )
    finally:
        laufend.stoppen()
    paul = Benutzer.objects.get(username="ppeters@erbach")
    assert paul.is_active and paul.rollen == {Rolle.SACHBEARBEITUNG}
    eintrag = Protokolleintrag.alle.get(kommune=erbach, aktion=Aktion.DEAKTIVIERT)
    assert eintrag.benutzer is None and "Abgleich mit dem Verzeichnis" in eintrag.benutzer_name
