"""The Posteingang of a Kommune: files from the scan stations waiting to be filed, and the
cover sheets (Deckblätter) that file a scanned batch directly into an Akte or a Vorgang."""

from django.conf import settings
from django.db import models

from eakte.common.models import TenantOwnedModel


class Status(models.TextChoices):
    OFFEN = "offen", "offen"
    ZUGEORDNET = "zugeordnet", "zugeordnet"
    VERWORFEN = "verworfen", "verworfen"


class Posteingangseintrag(TenantOwnedModel):
    """One file picked up from an intake folder. The stored original (`datei`) is kept in every
    case; `uuid` is also the claim mark of the file while it is being picked up."""

    datei = models.ForeignKey(
        "akten.Datei", on_delete=models.PROTECT, related_name="+", verbose_name="Datei"
    )
    dateiname = models.CharField("Dateiname", max_length=255)
    quelle = models.CharField("Quelle", max_length=200, help_text="Scanstation oder Eingangsordner")
    eingegangen_am = models.DateTimeField("eingegangen am", auto_now_add=True)
    status = models.CharField(
        "Status", max_length=12, choices=Status.choices, default=Status.OFFEN, db_index=True
    )
    bemerkung = models.TextField("Bemerkung", blank=True)
    zugeordnet_zu = models.ForeignKey(
        "akten.Version",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="zugeordnet zu",
    )
    zugeordnet_am = models.DateTimeField("zugeordnet am", null=True, blank=True)
    zugeordnet_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="zugeordnet von",
    )

    class Meta:
        verbose_name = "Posteingangseintrag"
        verbose_name_plural = "Posteingangseinträge"
        ordering = ["-eingegangen_am", "-id"]
        indexes = [
            models.Index(
                fields=["kommune", "status", "-eingegangen_am"], name="posteingang_offen_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dateiname} ({self.get_status_display()})"


class Deckblatt(TenantOwnedModel):
    """A printed cover sheet; its `uuid` is in the QR code. Documents filed by the sheet are
    filed in the name of the person who printed it (checked again when the batch arrives)."""

    akte = models.ForeignKey(
        "akten.Akte", on_delete=models.PROTECT, related_name="+", verbose_name="Akte"
    )
    vorgang = models.ForeignKey(
        "akten.Vorgang",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Vorgang",
    )
    erstellt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="gedruckt von",
    )
    erstellt_am = models.DateTimeField("gedruckt am", auto_now_add=True)

    class Meta:
        verbose_name = "Deckblatt"
        verbose_name_plural = "Deckblätter"

    def __str__(self) -> str:
        return f"Deckblatt {self.uuid}"
