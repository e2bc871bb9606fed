"""Tenancy: the Verbund (IKZ), its Kommunen, their Organisationseinheiten and users."""

import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

from eakte.common.models import TenantOwnedModel

from .aktenzeichen_muster import aktenzeichen_muster_pruefen
from .rollen import Rolle

AKTENZEICHEN_MUSTER_STANDARD = "{prefix}-{kennzeichen}-{nummer:04d}/{jahr}"


class Verbund(models.Model):
    """The IKZ as an organisation: owns the shared Aktenplan, Dienstanweisungen and Schulungen."""

    name = models.CharField("Name", max_length=200, unique=True)
    slug = models.SlugField("Kurzname", max_length=60, unique=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = "Verbund"
        verbose_name_plural = "Verbünde"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Kommune(models.Model):
    """A municipality of the Verbund: the tenant. Its slug is public (the IKZ members are known)."""

    verbund = models.ForeignKey(
        Verbund, on_delete=models.PROTECT, related_name="kommunen", verbose_name="Verbund"
    )
    name = models.CharField("Name", max_length=200)
    slug = models.SlugField("Kurzname", max_length=60, unique=True)
    ags = models.CharField(
        "Amtlicher Gemeindeschlüssel (AGS)",
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^\d{8}$", "Der AGS besteht aus genau acht Ziffern.")],
    )
    aktenzeichen_praefix = models.CharField(
        "Aktenzeichen-Präfix",
        max_length=10,
        validators=[
            RegexValidator(
                r"^[A-ZÄÖÜ0-9]{2,10}$",
                "Das Präfix besteht aus 2 bis 10 Großbuchstaben oder Ziffern, z. B. MIC.",
            )
        ],
    )
    aktenzeichen_muster = models.CharField(
        "Aktenzeichen-Muster",
        max_length=100,
        default=AKTENZEICHEN_MUSTER_STANDARD,
        validators=[aktenzeichen_muster_pruefen],
        help_text="Platzhalter: {prefix}, {kennzeichen}, {nummer:04d}, {jahr}",
    )
    aktiv = models.BooleanField("aktiv", default=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = "Kommune"
        verbose_name_plural = "Kommunen"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["verbund", "aktenzeichen_praefix"],
                name="kommune_praefix_eindeutig_im_verbund",
                violation_error_message="Dieses Aktenzeichen-Präfix ist im Verbund schon vergeben.",
            ),
            models.UniqueConstraint(
                fields=["verbund", "name"], name="kommune_name_eindeutig_im_verbund"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Organisationseinheit(TenantOwnedModel):
    """A department of a Kommune (Hauptamt, Bauamt, …); a tree inside its Kommune."""

    kommune = models.ForeignKey(
        Kommune,
        on_delete=models.PROTECT,
        related_name="organisationseinheiten",
        verbose_name="Kommune",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="untereinheiten",
        verbose_name="übergeordnete Einheit",
    )
    name = models.CharField("Name", max_length=200)
    kuerzel = models.CharField("Kürzel", max_length=20)
    aktiv = models.BooleanField("aktiv", default=True)

    class Meta:
        verbose_name = "Organisationseinheit"
        verbose_name_plural = "Organisationseinheiten"
        ordering = ["kommune", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kommune", "kuerzel"],
                name="oe_kuerzel_eindeutig_in_kommune",
                violation_error_message="Dieses Kürzel ist in der Kommune schon vergeben.",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="oe_nicht_eigene_oberheit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kuerzel})"


class BenutzerManager(UserManager):
    def get_by_natural_key(self, username):
        # Login names are case-insensitive: "Sachbearbeitung.Erbach" is the same person.
        return self.get(username__iexact=username)


class Benutzer(AbstractUser):
    """A person working in one Kommune (its home Kommune), member of one or more OEs."""

    kommune = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, related_name="benutzer", verbose_name="Kommune"
    )
    organisationseinheiten = models.ManyToManyField(
        Organisationseinheit,
        blank=True,
        related_name="mitglieder",
        verbose_name="Organisationseinheiten",
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # the person's own preference (Konto page, issue 16)
    freigabe_mail = models.BooleanField(
        "E-Mail, wenn eine Akte für mich freigegeben wird", default=True
    )

    objects = BenutzerManager()
    REQUIRED_FIELDS = ["email", "kommune"]

    class Meta:
        verbose_name = "Benutzer"
        verbose_name_plural = "Benutzer"
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.UniqueConstraint(Lower("username"), name="benutzername_eindeutig_ohne_gross"),
        ]

    @property
    def einladung_offen(self) -> bool:
        """Active, but never set a password: the person still needs (another) invitation."""
        return self.is_active and not self.has_usable_password() and not self.last_login

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def rollen(self) -> frozenset[Rolle]:
        """The roles of this user, read once per instance (prefetch `groups` for lists)."""
        if not hasattr(self, "_rollen"):
            self._rollen = Rolle.from_group_names(group.name for group in self.groups.all())
        return self._rollen

    @property
    def hat_verbundweite_rolle(self) -> bool:
        """Holds a role that reaches beyond the Kommune (only a Verbund-Admin changes them)."""
        from .rollen import VERBUNDWEITE_ROLLEN

        return bool(VERBUNDWEITE_ROLLEN & self.rollen)

    def hat_rolle(self, *rollen: Rolle) -> bool:
        return self.is_active and any(rolle in self.rollen for rolle in rollen)
