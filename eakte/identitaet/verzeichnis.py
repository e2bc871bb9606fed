"""LDAP / Active Directory per Kommune with django-auth-ldap.

django-auth-ldap reads one configuration from settings; here each Kommune brings its own: the
backend is built for the Kommune the login name points to (`name@kommune`, or an account that
came from that Kommune's directory) and its `settings` come from the Kommune's source.
"""

import hashlib
import logging
from pathlib import Path

import ldap
from django.conf import settings
from django_auth_ldap.backend import LDAPBackend, _LDAPUser
from django_auth_ldap.config import (
    LDAPSearch,
    LDAPSettings,
    NestedActiveDirectoryGroupType,
    NestedGroupOfNamesType,
)

from eakte.common.akteur import Akteur
from eakte.common.mandantenbereich import systembereich
from eakte.konten.backends import BenutzerBackend

from . import services
from .geheimnis import entschluesseln
from .models import Gruppentyp, Identitaetsquelle, Kontoherkunft, Quellenart

logger = logging.getLogger("eakte.identitaet")

ZEITLIMIT = 5  # seconds for connecting to and answering from a directory


def _ca_datei(pem: str) -> str:
    """OpenLDAP reads a CA only from a file: one per certificate, named by its hash."""
    inhalt = pem.strip() + "\n"
    ordner = Path(settings.VAR_DIR) / "ldap-ca"
    ordner.mkdir(parents=True, exist_ok=True)
    datei = ordner / (hashlib.sha256(inhalt.encode()).hexdigest() + ".pem")
    if not datei.exists():
        datei.write_text(inhalt)
    return str(datei)


def verbindungsoptionen(quelle: Identitaetsquelle) -> dict:
    optionen = {
        ldap.OPT_NETWORK_TIMEOUT: ZEITLIMIT,
        ldap.OPT_TIMEOUT: ZEITLIMIT,
        ldap.OPT_REFERRALS: 0,
        ldap.OPT_X_TLS_REQUIRE_CERT: ldap.OPT_X_TLS_DEMAND,
    }
    if quelle.ldap_ca_zertifikat.strip():
        optionen[ldap.OPT_X_TLS_CACERTFILE] = _ca_datei(quelle.ldap_ca_zertifikat)
    optionen[ldap.OPT_X_TLS_NEWCTX] = 0  # last: applies the TLS options above to this connection
    return optionen


def ldap_einstellungen(quelle: Identitaetsquelle) -> LDAPSettings:
    einstellungen = LDAPSettings(prefix="EAKTE_LDAP_NICHT_GESETZT_")
    gruppentyp = (
        NestedActiveDirectoryGroupType()
        if quelle.ldap_gruppentyp == Gruppentyp.ACTIVE_DIRECTORY
        else NestedGroupOfNamesType()
    )
    werte = {
        "SERVER_URI": quelle.ldap_uri,
        "START_TLS": quelle.ldap_starttls,
        "BIND_DN": quelle.ldap_bind_dn,
        "BIND_PASSWORD": entschluesseln(quelle.ldap_bind_geheimnis),
        "USER_SEARCH": LDAPSearch(
            quelle.ldap_benutzer_basis, ldap.SCOPE_SUBTREE, quelle.ldap_benutzer_filter
        ),
        "GROUP_SEARCH": LDAPSearch(
            quelle.ldap_gruppen_basis or quelle.ldap_benutzer_basis,
            ldap.SCOPE_SUBTREE,
            quelle.ldap_gruppen_filter,
        ),
        "GROUP_TYPE": gruppentyp,
        "USER_ATTR_MAP": {},  # names are taken by services.konto_abgleichen
        "ALWAYS_UPDATE_USER": False,
        "CONNECTION_OPTIONS": verbindungsoptionen(quelle),
    }
    for name, wert in werte.items():
        setattr(einstellungen, name, wert)
    return einstellungen


def quelle_fuer_anmeldename(anmeldename: str | None):
    """(source, name in the directory) for a login name, or None for local accounts."""
    if not anmeldename:
        return None
    name = anmeldename.strip().lower()
    if "@" not in name:
        return None
    uid, _, slug = name.rpartition("@")
    if not uid:
        return None
    with systembereich("Anmeldung: Identitätsquelle finden"):
        quelle = (
            Identitaetsquelle.objects.select_related("kommune")
            .filter(kommune__slug=slug, kommune__aktiv=True, art=Quellenart.LDAP)
            .first()
        )
    return (quelle, uid) if quelle else None


def _attr(attrs, name: str) -> str:
    if not name:
        return ""
    werte = (attrs or {}).get(name) or (attrs or {}).get(name.lower()) or []
    return str(werte[0]) if werte else ""


def kontodaten(quelle: Identitaetsquelle, uid: str, ldap_user) -> services.Kontodaten:
    attrs = ldap_user.attrs
    oe = _attr(attrs, quelle.ldap_attr_oe)
    return services.Kontodaten(
        extern_id=uid,
        benutzername=uid,
        vorname=_attr(attrs, quelle.ldap_attr_vorname),
        nachname=_attr(attrs, quelle.ldap_attr_nachname),
        email=_attr(attrs, quelle.ldap_attr_email),
        gruppen=frozenset(ldap_user.group_dns),
        oe_kuerzel=frozenset({oe}) if oe else frozenset(),
    )


class Verzeichnisfehler(Exception):
    """The directory could not be asked (down, wrong bind secret, TLS)."""


class VerzeichnisBackend(LDAPBackend):
    """Authentication backend: password sign-in against the directory of the person's Kommune."""

    def __init__(self, quelle: Identitaetsquelle | None = None):
        self.quelle = quelle

    @property
    def settings(self):
        if self._settings is None:
            self._settings = (
                ldap_einstellungen(self.quelle)
                if self.quelle is not None
                else LDAPSettings(prefix="EAKTE_LDAP_NICHT_GESETZT_")
            )
        return self._settings

    def authenticate(self, request, username=None, password=None, **kwargs):
        if self.quelle is None:
            treffer = quelle_fuer_anmeldename(username)
            if treffer is None or not password:
                return None
            quelle, uid = treffer
            return type(self)(quelle).authenticate(request, username=uid, password=password)
        if request is not None:
            request.eakte_anmeldequelle = (self.quelle.kommune_id, "ldap")
        ldap_user = _LDAPUser(self, username=username, request=request)
        with systembereich("Anmeldung über das Verzeichnis"):
            user = self.authenticate_ldap_user(ldap_user, password)
            if user is None:
                return None
            return services.konto_abgleichen(
                akteur=Akteur.system("Anmeldung über das Verzeichnis"),
                kommune=self.quelle.kommune,
                art=Quellenart.LDAP,
                daten=kontodaten(self.quelle, username, ldap_user),
                benutzer=None if isinstance(user, _Vorlaeufig) else user,
            )

    def get_or_build_user(self, username, ldap_user):
        benutzer = services.konto_finden(self.quelle.kommune, Quellenart.LDAP, username)
        if benutzer is None:
            # built and saved by konto_abgleichen after the directory said yes
            from eakte.kommunen.models import Benutzer

            name = services.anmeldename(self.quelle.kommune, username)
            if Benutzer.objects.filter(username__iexact=name).exists():
                raise ldap_user.AuthenticationFailed("lokales Konto gleichen Namens")
            return _Vorlaeufig(), True
        return benutzer, False

    def get_user(self, user_id):
        return BenutzerBackend().get_user(user_id)

    def get_group_permissions(self, user, obj=None):
        return set()


class _Vorlaeufig:
    """Stands for a person not yet created: django-auth-ldap 'saves' it, konto_abgleichen then
    creates the real account in one transaction with its roles."""

    def set_unusable_password(self):
        pass

    def save(self):
        pass


def abgleichen(quelle: Identitaetsquelle) -> dict:
    """Nightly sync of one Kommune: every directory account is looked up with the service
    account; roles and OEs follow the directory, people no longer found (or filtered out as
    disabled) are deactivated. If the directory cannot be asked, nothing is changed."""
    backend = VerzeichnisBackend(quelle)
    akteur = Akteur.system("Abgleich mit dem Verzeichnis")
    ergebnis = {"abgeglichen": 0, "deaktiviert": 0}
    _verbindung_pruefen(backend)
    herkuenfte = Kontoherkunft.alle.filter(
        kommune=quelle.kommune, art=Quellenart.LDAP
    ).select_related("benutzer")
    for herkunft in herkuenfte:
        ldap_user = _LDAPUser(backend, username=herkunft.extern_id)
        try:
            attrs = ldap_user.attrs
            daten = kontodaten(quelle, herkunft.extern_id, ldap_user) if attrs else None
        except ldap.LDAPError as fehler:
            raise Verzeichnisfehler(_fehlertext(fehler)) from None
        if daten is None:
            if herkunft.benutzer.is_active:
                services.konto_deaktivieren(
                    akteur=akteur,
                    benutzer=herkunft.benutzer,
                    grund="nicht mehr im Verzeichnis (oder dort deaktiviert)",
                )
                ergebnis["deaktiviert"] += 1
            continue
        services.konto_abgleichen(
            akteur=akteur,
            kommune=quelle.kommune,
            art=Quellenart.LDAP,
            daten=daten,
            benutzer=herkunft.benutzer,
        )
        ergebnis["abgeglichen"] += 1
    return ergebnis


def _verbindung_pruefen(backend: VerzeichnisBackend) -> None:
    einstellungen = backend.settings
    try:
        verbindung = ldap.initialize(einstellungen.SERVER_URI)
        for option, wert in einstellungen.CONNECTION_OPTIONS.items():
            verbindung.set_option(option, wert)
        if einstellungen.START_TLS:
            verbindung.start_tls_s()
        verbindung.simple_bind_s(einstellungen.BIND_DN, einstellungen.BIND_PASSWORD)
        verbindung.unbind_s()
    except ldap.LDAPError as fehler:
        raise Verzeichnisfehler(_fehlertext(fehler)) from None


def _fehlertext(fehler: Exception) -> str:
    if isinstance(fehler, ldap.INVALID_CREDENTIALS):
        return "Das Dienstkonto (Bind-DN/Passwort) wird vom Verzeichnis abgelehnt."
    if isinstance(fehler, ldap.CONNECT_ERROR) or "certificate" in str(fehler).lower():
        return "Die verschlüsselte Verbindung (TLS) zum Verzeichnis ist gescheitert (Zertifikat)."
    if isinstance(fehler, ldap.SERVER_DOWN):
        return "Der Verzeichnisserver ist nicht erreichbar."
    return f"Das Verzeichnis meldet einen Fehler ({type(fehler).__name__})."
