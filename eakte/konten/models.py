"""A person's API key, kept only as its SHA-256."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiSchluessel(models.Model):
    """Programs act in a person's name with this key (`Authorization: Token …`). Only its SHA-256
    is stored, so a copy of the database or a backup does not let anyone act as them. The key
    has 256 random bits: a fast hash without salt is enough, nobody can guess it back."""

    benutzer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_schluessel"
    )
    hash = models.CharField(max_length=64, unique=True)
    angelegt_am = models.DateTimeField("angelegt am", default=timezone.now)
    zuletzt_benutzt_am = models.DateTimeField("zuletzt benutzt am", null=True, blank=True)

    class Meta:
        verbose_name = "API-Schlüssel"
        verbose_name_plural = "API-Schlüssel"

    def __str__(self) -> str:
        return f"API-Schlüssel von {self.benutzer}"
