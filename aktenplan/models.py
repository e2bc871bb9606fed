"""The shared Aktenplan of a Verbund: a tree of Aktenplaneinheiten and the record of its changes."""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from .kennzeichen import Nummerierung


class Aussonderungsart(models.TextChoices):
    ARCHIVWUERDIG = "A", "A – archivwürdig"
    BEWERTEN = "B", "B – bewerten"
    VERNICHTEN = "V", "V – vernichten"


class Aktenplan(models.Model):
    """One file plan of a Verbund. A new Fassung (version) is a new plan with a later gültig_ab."""

    verbund = models.ForeignKey(
        "kommunen.Verbund",
        on_delete=models.PROTECT,
        related_name="aktenplaene",
        verbose_name="Verbund",
    )
    name = models.CharField("Name", max_length=200)
    fassung = models.CharField("Fassung", max_length=50, default="1")
    trenner = models.CharField(
        "Trennzeichen",
        max_length=3,
        default=".",
        blank=True,
        help_text="Zeichen zwischen den Stellen eines Kennzeichens, z. B. „.“",
    )
    stellen = models.CharField(
        "Ziffern je Ebene",
        max_length=50,
        default="1,1,2",
        validators=[RegexValidator(r"^[1-9](,[1-9])*$", "Ziffern je Ebene, z. B. „1,1,2“.")],
        help_text="Zum Beispiel „1,1,2“ ergibt 0, 0.2, 0.2.01; tiefere Ebenen wie die letzte.",
    )
    gueltig_ab = models.DateField("gültig ab", null=True, blank=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = "Aktenplan"
        verbose_name_plural = "Aktenpläne"
        ordering = ["verbund", "-gueltig_ab", "name"]

    def __str__(self) -> str:
        return f"{self.name} (Fassung {self.fassung})"

    @property
    def nummerierung(self) -> Nummerierung:
        return Nummerierung.aus_text(self.trenner, self.stellen)


class Aktenplaneinheit(models.Model):
    """A node of the plan. Akten hang under active leaves; a unit is never deleted."""

    aktenplan = models.ForeignKey(
        Aktenplan, on_delete=models.PROTECT, related_name="einheiten", verbose_name="Aktenplan"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kinder",
        verbose_name="übergeordnete Einheit",
    )
    kennzeichen = models.CharField("Kennzeichen", max_length=100)
    sortierschluessel = models.CharField(max_length=400, editable=False)
    ebene = models.PositiveSmallIntegerField(editable=False)
    titel = models.CharField("Titel", max_length=300)
    beschreibung = models.TextField("Beschreibung / Inhaltsangabe", blank=True)
    aufbewahrungsfrist = models.PositiveSmallIntegerField(
        "Aufbewahrungsfrist (Jahre)",
        null=True,
        blank=True,
        help_text="Leer bedeutet unbefristet.",
    )
    aussonderungsart = models.CharField(
        "Aussonderungsart", max_length=1, choices=Aussonderungsart.choices
    )
    gueltig_ab = models.DateField("gültig ab", null=True, blank=True)
    gueltig_bis = models.DateField("gültig bis", null=True, blank=True)
    stillgelegt = models.BooleanField("stillgelegt", default=False)
    nachfolger = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vorgaenger",
        verbose_name="Nachfolger",
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = "Aktenplaneinheit"
        verbose_name_plural = "Aktenplaneinheiten"
        ordering = ["aktenplan", "sortierschluessel"]
        constraints = [
            models.UniqueConstraint(
                fields=["aktenplan", "kennzeichen"],
                name="einheit_kennzeichen_eindeutig",
                violation_error_message="Dieses Kennzeichen gibt es im Aktenplan schon.",
            ),
            models.CheckConstraint(
                condition=models.Q(aussonderungsart__in=["A", "B", "V"]),
                name="einheit_aussonderungsart_abv",
            ),
            models.CheckConstraint(
                condition=models.Q(gueltig_bis__isnull=True)
                | models.Q(gueltig_ab__isnull=True)
                | models.Q(gueltig_bis__gte=models.F("gueltig_ab")),
                name="einheit_gueltigkeit_geordnet",
                violation_error_message="„gültig bis“ liegt vor „gültig ab“.",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="einheit_nicht_eigene_oberheit"
            ),
        ]
        indexes = [
            models.Index(fields=["aktenplan", "sortierschluessel"], name="einheit_baum_idx"),
            models.Index(fields=["aktenplan", "parent"], name="einheit_kinder_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kennzeichen} {self.titel}"

    @property
    def frist_text(self) -> str:
        if self.aufbewahrungsfrist is None:
            return "unbefristet"
        return f"{self.aufbewahrungsfrist} Jahr" + ("" if self.aufbewahrungsfrist == 1 else "e")


class Aenderungsart(models.TextChoices):
    ANGELEGT = "angelegt", "angelegt"
    GEAENDERT = "geaendert", "geändert"
    VERSCHOBEN = "verschoben", "verschoben/umnummeriert"
    STILLGELEGT = "stillgelegt", "stillgelegt"
    REAKTIVIERT = "reaktiviert", "wieder aktiviert"


class Aktenplanaenderung(models.Model):
    """Append-only record of every change: who, when, old and new values."""

    aktenplan = models.ForeignKey(Aktenplan, on_delete=models.PROTECT, related_name="aenderungen")
    einheit = models.ForeignKey(
        Aktenplaneinheit, on_delete=models.PROTECT, related_name="aenderungen"
    )
    art = models.CharField("Art", max_length=20, choices=Aenderungsart.choices)
    zeitpunkt = models.DateTimeField("Zeitpunkt", auto_now_add=True, db_index=True)
    benutzer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="geändert von",
    )
    kommune = models.ForeignKey(
        "kommunen.Kommune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Kommune der ändernden Person",
    )
    alt = models.JSONField("vorher", default=dict, blank=True)
    neu = models.JSONField("nachher", default=dict, blank=True)
    quelle = models.CharField(
        "Quelle", max_length=200, blank=True, help_text="z. B. „Import aktenplan.csv“"
    )

    class Meta:
        verbose_name = "Änderung am Aktenplan"
        verbose_name_plural = "Änderungen am Aktenplan"
        ordering = ["-zeitpunkt", "-id"]
        indexes = [models.Index(fields=["aktenplan", "-zeitpunkt"], name="aenderung_feed_idx")]

    def __str__(self) -> str:
        return f"{self.get_art_display()}: {self.einheit_id} am {self.zeitpunkt:%d.%m.%Y %H:%M}"


class Aktenplanbesuch(models.Model):
    """When a person last looked at the change feed of a plan ("what changed since")."""

    aktenplan = models.ForeignKey(Aktenplan, on_delete=models.CASCADE, related_name="+")
    benutzer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    zuletzt = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["aktenplan", "benutzer"], name="besuch_eindeutig")
        ]

    def __str__(self) -> str:
        return f"{self.benutzer_id} zuletzt {self.zuletzt:%d.%m.%Y %H:%M}"
