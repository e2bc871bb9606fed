"""Who acts: the person (or the system), how they authenticated, and from which address.

Built once per request (`akteur_aus(request)`) or per task/command (`Akteur.system(...)`) and
passed to every service that writes. A service never guesses who acts: a missing actor is an
error, and the system acting is said explicitly, so "no actor" is never a way around a check.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from eakte.kommunen.models import Benutzer


class Anmeldeart(models.TextChoices):
    SITZUNG = "sitzung", "Browser-Sitzung"
    API_SCHLUESSEL = "api-schluessel", "API-Schlüssel"
    SYSTEM = "system", "System"


@dataclass(frozen=True)
class Akteur:
    """The actor of one write. `benutzer` is None only for the system (a task or a command)."""

    benutzer: Benutzer | None
    art: Anmeldeart
    ip: str | None = None
    grund: str = ""  # for the system: which task or command acts

    def __post_init__(self) -> None:
        if self.benutzer is None and self.art != Anmeldeart.SYSTEM:
            raise ValueError("Ein Akteur ohne Person muss das System sein.")
        if self.art == Anmeldeart.SYSTEM and not self.grund:
            raise ValueError("Das System handelt immer mit einem Grund (Aufgabe oder Befehl).")

    @classmethod
    def system(cls, grund: str, *, im_namen_von: Benutzer | None = None) -> Akteur:
        """The system acting for `grund`; with `im_namen_von` in a person's name (demo data,
        a Deckblatt's owner), without a request and so without an address."""
        return cls(benutzer=im_namen_von, art=Anmeldeart.SYSTEM, grund=grund)

    @classmethod
    def person(cls, benutzer: Benutzer, *, art=Anmeldeart.SITZUNG, ip: str | None = None):
        return cls(benutzer=benutzer, art=art, ip=ip)

    @property
    def ist_system(self) -> bool:
        return self.art == Anmeldeart.SYSTEM

    @property
    def kommune_id(self) -> int | None:
        return self.benutzer.kommune_id if self.benutzer is not None else None

    @property
    def name(self) -> str:
        if self.benutzer is None:
            return f"System ({self.grund})"
        benutzer = self.benutzer
        return f"{benutzer.get_full_name() or benutzer.username} ({benutzer.username})"


def client_adresse(request) -> str | None:
    """The client's address. Behind `EAKTE_PROXY_ANZAHL` trusted reverse proxies it is taken from
    X-Forwarded-For, counted from the right (the part the proxies appended themselves), so a
    client cannot choose its own address by sending the header."""
    if request is None:
        return None
    meta = getattr(request, "META", {})
    anzahl = getattr(settings, "EAKTE_PROXY_ANZAHL", 0)
    adresse = meta.get("REMOTE_ADDR")
    if anzahl > 0:
        kette = [teil.strip() for teil in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        kette = [teil for teil in kette if teil]
        if len(kette) >= anzahl:
            adresse = kette[-anzahl]
    return _gueltige_adresse(adresse)


def _gueltige_adresse(adresse: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(adresse)) if adresse else None
    except ValueError:
        return None


def akteur_aus(request) -> Akteur:
    """The actor of a Django or DRF request (an API key counts as its own way of signing in)."""
    from eakte.konten.models import ApiSchluessel

    gemerkt = getattr(request, "_eakte_akteur", None)
    if gemerkt is not None and gemerkt.benutzer == request.user:
        return gemerkt
    user = request.user
    if not (user and user.is_authenticated):
        raise ValueError("Eine anonyme Anfrage handelt nicht als Person.")
    art = (
        Anmeldeart.API_SCHLUESSEL
        if isinstance(getattr(request, "auth", None), ApiSchluessel)
        else Anmeldeart.SITZUNG
    )
    akteur = Akteur(benutzer=user, art=art, ip=client_adresse(request))
    try:
        request._eakte_akteur = akteur
    except AttributeError:  # pragma: no cover - a request object without attributes
        pass
    return akteur
