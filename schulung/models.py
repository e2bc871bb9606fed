"""Dienstanweisungen and Leitfäden of a Verbund, in versions (Fassungen), with Kenntnisnahme.

Schulungen and their Termine follow (see the Schulung issue).
"""

import uuid

from django.conf import settings
from django.db import models


class Dokumentart(models.TextChoices):
    DIENSTANWEISUNG = "dienstanweisung", "Dienstanweisung"
    LEITFADEN = "leitfaden", "Leitfaden"


class Dokument(models.Model):
    """A Dienstanweisung or Leitfaden, written once for the whole Verbund or some Kommunen."""

    verbund = models.ForeignKey(
        "kommunen.Verbund", on_delete=models.PROTECT, related_name="dokumente"
    )
    art = models.CharField("Art", max_length=20, choices=Dokumentart.choices)
    titel = models.CharField("Titel", max_length=300)
    kategorie = models.CharField("Kategorie", max_length=100, blank=True)
    erfordert_kenntnisnahme = models.BooleanField(
        "Kenntnisnahme erforderlich",
        default=False,
        help_text="Alle im Geltungsbereich müssen bestätigen, dass sie die Fassung gelesen haben.",
    )
    alle_kommunen = models.BooleanField("gilt für alle Kommunen des Verbunds", default=True)
    kommunen = models.ManyToManyField(
        "kommunen.Kommune", blank=True, related_name="+", verbose_name="gilt für die Kommunen"
    )
    rollen = models.JSONField(
        "nur für die Rollen", default=list, blank=True, help_text="leer: für alle Rollen"
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = "Dokument"
        verbose_name_plural = "Dokumente"
        ordering = ["art", "titel"]
        permissions = [
            ("schulung_verwalten", "Dienstanweisungen, Leitfäden und Schulungen pflegen")
        ]

    def __str__(self) -> str:
        return f"{self.get_art_display()}: {self.titel}"


class Fassungsstatus(models.TextChoices):
    ENTWURF = "entwurf", "Entwurf"
    VEROEFFENTLICHT = "veroeffentlicht", "veröffentlicht"
    AUSSER_KRAFT = "ausser_kraft", "außer Kraft"


class Fassung(models.Model):
    """One version of a Dokument. Published versions are never changed again."""

    dokument = models.ForeignKey(Dokument, on_delete=models.PROTECT, related_name="fassungen")
    nummer = models.PositiveIntegerField("Fassung")
    text = models.TextField("Text (Markdown)")
    html = models.TextField(editable=False, help_text="bereinigtes HTML des Textes")
    status = models.CharField(
        "Status", max_length=20, choices=Fassungsstatus.choices, default=Fassungsstatus.ENTWURF
    )
    gueltig_ab = models.DateField("gültig ab", null=True, blank=True)
    erstellt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    veroeffentlicht_am = models.DateTimeField(null=True, blank=True)
    veroeffentlicht_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "Fassung"
        verbose_name_plural = "Fassungen"
        ordering = ["dokument", "-nummer"]
        constraints = [
            models.UniqueConstraint(fields=["dokument", "nummer"], name="fassung_nummer_eindeutig"),
            models.UniqueConstraint(
                fields=["dokument"],
                condition=models.Q(status="veroeffentlicht"),
                name="eine_gueltige_fassung_je_dokument",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dokument.titel}, Fassung {self.nummer}"


class Kenntnisnahme(models.Model):
    """A person's dated confirmation that they read one Fassung."""

    fassung = models.ForeignKey(Fassung, on_delete=models.PROTECT, related_name="kenntnisnahmen")
    benutzer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="kenntnisnahmen"
    )
    zeitpunkt = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Kenntnisnahme"
        verbose_name_plural = "Kenntnisnahmen"
        constraints = [
            models.UniqueConstraint(fields=["fassung", "benutzer"], name="kenntnisnahme_einmal")
        ]

    def __str__(self) -> str:
        return f"{self.benutzer_id} hat {self.fassung} am {self.zeitpunkt:%d.%m.%Y} bestätigt"
