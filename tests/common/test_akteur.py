"""The actor of a write: person or system, how they signed in, and the client's address."""

import pytest
from django.test import RequestFactory, override_settings

from eakte.common.akteur import Akteur, Anmeldeart, akteur_aus, client_adresse
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren


def _anfrage(remote="10.0.0.1", weitergeleitet=None):
    extra = {"REMOTE_ADDR": remote}
    if weitergeleitet is not None:
        extra["HTTP_X_FORWARDED_FOR"] = weitergeleitet
    return RequestFactory().get("/", **extra)


def test_ohne_proxy_zaehlt_die_verbindung_und_nicht_der_kopf():
    assert client_adresse(_anfrage("10.0.0.1", "1.2.3.4")) == "10.0.0.1"


@override_settings(EAKTE_PROXY_ANZAHL=1)
def test_hinter_einem_proxy_zaehlt_der_vom_proxy_angehaengte_teil():
    # The client sent "6.6.6.6" itself; the proxy appended the real address.
    assert client_adresse(_anfrage("10.0.0.1", "6.6.6.6, 198.51.100.7")) == "198.51.100.7"


@override_settings(EAKTE_PROXY_ANZAHL=2)
def test_zwei_proxies_und_unsinn_im_kopf():
    assert client_adresse(_anfrage("10.0.0.1", "203.0.113.5, 10.0.0.2")) == "203.0.113.5"
    assert client_adresse(_anfrage("10.0.0.1", "kein-ip, 10.0.0.2")) is None


def test_system_braucht_einen_grund_und_person_eine_person():
    with pytest.raises(ValueError):
        Akteur(benutzer=None, art=Anmeldeart.SITZUNG)
    with pytest.raises(ValueError):
        Akteur(benutzer=None, art=Anmeldeart.SYSTEM)
    assert Akteur.system("OCR").name == "System (OCR)"


def test_anonyme_anfrage_hat_keinen_akteur():
    from django.contrib.auth.models import AnonymousUser

    anfrage = _anfrage()
    anfrage.user = AnonymousUser()
    with pytest.raises(ValueError):
        akteur_aus(anfrage)


def test_protokoll_nennt_art_und_adresse(sachbearbeitung):
    anfrage = _anfrage("192.0.2.9")
    anfrage.user = sachbearbeitung
    akteur = akteur_aus(anfrage)
    eintrag = protokollieren(
        kommune_id=sachbearbeitung.kommune_id,
        akteur=akteur,
        aktion=Aktion.GEAENDERT,
        beschreibung="Test",
    )
    eintrag.refresh_from_db()
    assert (eintrag.anmeldeart, eintrag.ip_adresse) == (Anmeldeart.SITZUNG, "192.0.2.9")
    assert eintrag.benutzer == sachbearbeitung
    # The kind of sign-in is covered by the hash chain.
    gespeichert = eintrag.hash
    eintrag.anmeldeart = Anmeldeart.API_SCHLUESSEL
    assert eintrag.berechne_hash() != gespeichert
