"""The Protokoll (audit log): append-only, one hash chain per Kommune."""

import hashlib
import json

from django.conf import settings
from django.db import models

from eakte.common.akteur import Anmeldeart
from eakte.common.mandantenbereich import Mandantenmanager

from .darstellung import details_anzeige


class Aktion(models.TextChoices):
    ANGEMELDET = "angemeldet", "angemeldet"
    ABGEMELDET = "abgemeldet", "abgemeldet"
    ANGELEGT = "angelegt", "angelegt"
    GEAENDERT = "geaendert", "geändert"
    ANGESEHEN = "angesehen", "angesehen"
    HOCHGELADEN = "hochgeladen", "hochgeladen"
    HERUNTERGELADEN = "heruntergeladen", "heruntergeladen"
    VERSCHOBEN = "verschoben", "verschoben"
    ZDA = "zda", "zu den Akten verfügt (zdA)"
    WIEDEREROEFFNET = "wiedereroeffnet", "wiedereröffnet"
    FREIGEGEBEN = "freigegeben", "freigegeben"
    FREIGABE_ENTZOGEN = "freigabe_entzogen", "Freigabe entzogen"
    WIEDERVORLAGE = "wiedervorlage", "Wiedervorlage"
    EXPORTIERT = "exportiert", "exportiert"
    VEROEFFENTLICHT = "veroeffentlicht", "veröffentlicht"
    AUSSER_KRAFT = "ausser_kraft", "außer Kraft gesetzt"
    KENNTNIS_GENOMMEN = "kenntnis_genommen", "zur Kenntnis genommen"
    # Administration (issue 14): each in the chain of the Kommune whose people or data it touched.
    ROLLEN_GEAENDERT = "rollen_geaendert", "Rollen geändert"
    AKTIVIERT = "aktiviert", "aktiviert"
    DEAKTIVIERT = "deaktiviert", "deaktiviert"
    PASSWORT_LINK = "passwort_link", "Link zum Setzen des Passworts gesendet"
    PASSWORT_GEAENDERT = "passwort_geaendert", "Passwort geändert"
    API_SCHLUESSEL_ERSTELLT = "api_schluessel_erstellt", "API-Schlüssel erstellt"
    API_SCHLUESSEL_WIDERRUFEN = "api_schluessel_widerrufen", "API-Schlüssel widerrufen"
    KOMMUNE_AUFGENOMMEN = "kommune_aufgenommen", "Kommune aufgenommen"
    IMPORTIERT = "importiert", "importiert"
    ZUSAMMENGELEGT = "zusammengelegt", "zusammengelegt"
    ANWESENHEIT = "anwesenheit", "Anwesenheit erfasst"
    EINSTELLUNG_GEAENDERT = "einstellung_geaendert", "Einstellung geändert"
    ANMELDUNG_FEHLGESCHLAGEN = "anmeldung_fehlgeschlagen", "Anmeldung fehlgeschlagen"
    AUSSONDERUNG = "aussonderung", "Aussonderung"
    GELOESCHT = "geloescht", "gelöscht"
    LOESCHSPERRE = "loeschsperre", "Löschsperre"
    DSGVO_SUCHE = "dsgvo_suche", "Datenschutz-Suche"
    # Geschäftsgang (issue 17)
    GESCHAEFTSGANG = "geschaeftsgang", "Geschäftsgang"
    VERTRETUNG = "vertretung", "Vertretung"
    # Everyday use (issue 16)
    STORNIERT = "storniert", "storniert"


class Protokolleintrag(models.Model):
    """One event. Rows are never changed or deleted (a database trigger refuses it).

    `hash` covers every field and the hash of the previous entry of the same Kommune, so a changed,
    inserted or removed row breaks the chain at that point (`manage.py protokoll_pruefen`).
    Names and Aktenzeichen are copied in: the entry must stay readable as it was written.
    """

    kommune = models.ForeignKey(
        "kommunen.Kommune", on_delete=models.PROTECT, related_name="+", verbose_name="Kommune"
    )
    laufnummer = models.PositiveBigIntegerField("laufende Nummer")
    zeitpunkt = models.DateTimeField("Zeitpunkt")
    benutzer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Benutzer",
    )
    benutzer_name = models.CharField("Benutzer (Name)", max_length=300, blank=True)
    aktion = models.CharField("Aktion", max_length=30, choices=Aktion.choices)
    objekt_typ = models.CharField("Objekt", max_length=30, blank=True)
    objekt_uuid = models.UUIDField("Objekt-UUID", null=True, blank=True)
    akte_uuid = models.UUIDField("Akte (UUID)", null=True, blank=True)
    aktenzeichen = models.CharField("Aktenzeichen", max_length=150, blank=True)
    beschreibung = models.CharField("Beschreibung", max_length=1000)
    details = models.JSONField("Einzelheiten", default=dict, blank=True)
    ip_adresse = models.GenericIPAddressField("IP-Adresse", null=True, blank=True)
    anmeldeart = models.CharField(
        "angemeldet über",
        max_length=20,
        blank=True,
        choices=Anmeldeart.choices,
        help_text="Browser-Sitzung, API-Schlüssel oder System (leer bei älteren Einträgen)",
    )
    systemgrund = models.CharField(
        "Grund des Systemvorgangs",
        max_length=200,
        blank=True,
        help_text="Welche Aufgabe oder welcher Befehl gehandelt hat, z. B. „Demodaten“",
    )
    vorheriger_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = Mandantenmanager()
    alle = models.Manager()  # noqa: DJ012 (ruff takes Mandantenmanager for a field)

    class Meta:
        verbose_name = "Protokolleintrag"
        verbose_name_plural = "Protokolleinträge"
        ordering = ["-zeitpunkt", "-laufnummer"]
        constraints = [
            models.UniqueConstraint(
                fields=["kommune", "laufnummer"], name="protokoll_laufnummer_eindeutig"
            ),
        ]
        indexes = [
            models.Index(fields=["kommune", "-zeitpunkt"], name="protokoll_zeit_idx"),
            models.Index(fields=["kommune", "benutzer", "-zeitpunkt"], name="protokoll_person_idx"),
            models.Index(fields=["kommune", "akte_uuid"], name="protokoll_akte_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.zeitpunkt:%d.%m.%Y %H:%M} {self.benutzer_name}: {self.beschreibung}"

    @property
    def details_anzeige(self) -> list[tuple[str, str]]:
        """The details with German names and readable values (for the list)."""
        return details_anzeige(self.details)

    @property
    def adresse_anzeige(self) -> str:
        """The address as shown in the list and the CSV; where there is none, why not."""
        if self.ip_adresse:
            return self.ip_adresse
        if self.anmeldeart == Anmeldeart.SYSTEM:
            if self.systemgrund:
                return f"– (Systemvorgang: {self.systemgrund})"
            return "– (Systemvorgang)"
        if self.anmeldeart:
            return "– (Adresse nicht übermittelt)"
        return "– (älterer Eintrag ohne Angabe)"

    def berechne_hash(self) -> str:
        inhalt = {
            "kommune": self.kommune_id,
            "laufnummer": self.laufnummer,
            "zeitpunkt": self.zeitpunkt.isoformat(),
            "benutzer": self.benutzer_id,
            "benutzer_name": self.benutzer_name,
            "aktion": self.aktion,
            "objekt_typ": self.objekt_typ,
            "objekt_uuid": str(self.objekt_uuid or ""),
            "akte_uuid": str(self.akte_uuid or ""),
            "aktenzeichen": self.aktenzeichen,
            "beschreibung": self.beschreibung,
            "details": self.details,
            "ip_adresse": self.ip_adresse or "",
            "vorheriger_hash": self.vorheriger_hash,
        }
        if self.anmeldeart:  # older entries were hashed without it and must keep their hash
            inhalt["anmeldeart"] = self.anmeldeart
        if self.systemgrund:  # likewise: only entries that record it hash it
            inhalt["systemgrund"] = self.systemgrund
        kanonisch = json.dumps(inhalt, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(kanonisch.encode()).hexdigest()
