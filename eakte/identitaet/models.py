"""Where the people of a Kommune sign in: local passwords, an LDAP/AD directory or an OpenID
Connect provider; how directory groups become roles and OEs; where each account came from."""

from django.db import models

from eakte.common.models import TenantOwnedModel
from eakte.kommunen.rollen import Rolle


class Quellenart(models.TextChoices):
    KEINE = "keine", "keine (lokale Passwörter)"
    LDAP = "ldap", "LDAP / Active Directory"
    OIDC = "oidc", "OpenID Connect"


class Gruppentyp(models.TextChoices):
    GROUP_OF_NAMES = "groupOfNames", "groupOfNames (OpenLDAP, verschachtelt)"
    ACTIVE_DIRECTORY = "ad", "Active Directory (verschachtelt)"


class Identitaetsquelle(TenantOwnedModel):
    """The identity source of one Kommune. Secrets are stored encrypted (geheimnis.py)."""

    kommune = models.OneToOneField(
        "kommunen.Kommune",
        on_delete=models.PROTECT,
        related_name="identitaetsquelle",
        verbose_name="Kommune",
    )
    art = models.CharField("Art", max_length=10, choices=Quellenart.choices, default="keine")
    # LDAP / AD
    ldap_uri = models.CharField("Server-URI", max_length=300, blank=True)
    ldap_starttls = models.BooleanField("StartTLS verwenden", default=False)
    ldap_ca_zertifikat = models.TextField(
        "CA-Zertifikat (PEM)",
        blank=True,
        help_text="Für ldaps:// oder StartTLS mit einer eigenen (internen) Zertifizierungsstelle; "
        "leer: die Zertifikate des Systems.",
    )
    ldap_bind_dn = models.CharField("Bind-DN (Dienstkonto)", max_length=500, blank=True)
    ldap_bind_geheimnis = models.TextField("Bind-Passwort (verschlüsselt)", blank=True)
    ldap_benutzer_basis = models.CharField("Suchbasis für Personen", max_length=500, blank=True)
    ldap_benutzer_filter = models.CharField(
        "Filter für Personen",
        max_length=500,
        default="(&(objectClass=inetOrgPerson)(uid=%(user)s))",
        help_text="%(user)s steht für den Anmeldenamen; deaktivierte Konten schließt der "
        "Filter aus (AD: (!(userAccountControl:1.2.840.113556.1.4.803:=2))).",
    )
    ldap_gruppen_basis = models.CharField("Suchbasis für Gruppen", max_length=500, blank=True)
    ldap_gruppen_filter = models.CharField(
        "Filter für Gruppen", max_length=500, default="(objectClass=groupOfNames)"
    )
    ldap_gruppentyp = models.CharField(
        "Gruppentyp", max_length=20, choices=Gruppentyp.choices, default="groupOfNames"
    )
    ldap_attr_vorname = models.CharField("Attribut Vorname", max_length=60, default="givenName")
    ldap_attr_nachname = models.CharField("Attribut Nachname", max_length=60, default="sn")
    ldap_attr_email = models.CharField("Attribut E-Mail", max_length=60, default="mail")
    ldap_attr_oe = models.CharField(
        "Attribut OE-Kürzel",
        max_length=60,
        blank=True,
        help_text="z. B. departmentNumber; sein Wert ist das Kürzel einer OE der Kommune.",
    )
    # OpenID Connect
    oidc_issuer = models.URLField("Issuer", max_length=300, blank=True)
    oidc_client_id = models.CharField("Client-ID", max_length=200, blank=True)
    oidc_client_geheimnis = models.TextField("Client-Secret (verschlüsselt)", blank=True)
    oidc_scopes = models.CharField("Scopes", max_length=200, default="openid email profile")
    oidc_claim_benutzername = models.CharField(
        "Claim Anmeldename", max_length=60, default="preferred_username"
    )
    oidc_claim_gruppen = models.CharField("Claim Gruppen", max_length=60, default="groups")
    oidc_claim_oe = models.CharField("Claim OE-Kürzel", max_length=60, blank=True)
    geaendert_am = models.DateTimeField("geändert am", auto_now=True)

    class Meta:
        verbose_name = "Identitätsquelle"
        verbose_name_plural = "Identitätsquellen"

    def __str__(self) -> str:
        return f"{self.kommune}: {self.get_art_display()}"


class Gruppenzuordnung(TenantOwnedModel):
    """A directory group (LDAP: its DN; OIDC: the group name in the claim) gives a role, an OE
    or both to its members."""

    gruppe = models.CharField("Gruppe (DN oder Name)", max_length=500)
    rolle = models.CharField("Rolle", max_length=30, choices=Rolle.choices, blank=True)
    organisationseinheit = models.ForeignKey(
        "kommunen.Organisationseinheit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Organisationseinheit",
    )

    class Meta:
        verbose_name = "Gruppenzuordnung"
        verbose_name_plural = "Gruppenzuordnungen"
        ordering = ["gruppe"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(rolle="") | models.Q(organisationseinheit__isnull=False),
                name="gruppenzuordnung_rolle_oder_oe",
            )
        ]

    def __str__(self) -> str:
        return self.gruppe


class Kontoherkunft(TenantOwnedModel):
    """An account that came from a directory or an OIDC provider (accounts without one are
    local: in a Kommune with a directory they are the break-glass accounts)."""

    benutzer = models.OneToOneField(
        "kommunen.Benutzer",
        on_delete=models.CASCADE,
        related_name="kontoherkunft",
        verbose_name="Benutzer",
    )
    art = models.CharField("Quelle", max_length=10, choices=Quellenart.choices)
    extern_id = models.CharField("Kennung in der Quelle", max_length=500)
    zuletzt_abgeglichen_am = models.DateTimeField("zuletzt abgeglichen", null=True, blank=True)

    class Meta:
        verbose_name = "Kontoherkunft"
        verbose_name_plural = "Kontoherkünfte"
        constraints = [
            models.UniqueConstraint(
                fields=["kommune", "art", "extern_id"], name="kontoherkunft_eindeutig"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_art_display()}: {self.extern_id}"


class Anmelderichtlinie(models.Model):
    """Verbund-wide sign-in rules. Without a row the default of the installation applies
    (settings.EAKTE_ZWEI_FAKTOR_PFLICHT, on by default)."""

    verbund = models.OneToOneField(
        "kommunen.Verbund", on_delete=models.CASCADE, related_name="anmelderichtlinie"
    )
    zwei_faktor_fuer_admins = models.BooleanField(
        "Zweiter Faktor für Kommunen-Admin, Verbund-Admin und Datenschutz", default=True
    )

    class Meta:
        verbose_name = "Anmelderichtlinie"
        verbose_name_plural = "Anmelderichtlinien"

    def __str__(self) -> str:
        return f"Anmelderichtlinie {self.verbund}"
