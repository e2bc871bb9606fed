"""The Kommune's signing certificate, the signatures made at Schlusszeichnung, the checks."""

from django.conf import settings
from django.db import models

from eakte.common.mandantenbereich import Mandantenmanager
from eakte.common.models import TenantOwnedModel


class Signaturzertifikat(TenantOwnedModel):
    """One per Kommune. The PKCS#12 file and its passphrase are stored encrypted (Fernet, the
    helper of eakte.identitaet) and never shown again; subject and validity are shown."""

    pkcs12 = models.TextField("PKCS#12 (verschlüsselt)")
    passphrase = models.TextField("Passwort (verschlüsselt)", blank=True)
    inhaber = models.CharField("Inhaber", max_length=500)
    aussteller = models.CharField("Aussteller", max_length=500)
    gueltig_von = models.DateTimeField("gültig von")
    gueltig_bis = models.DateTimeField("gültig bis")
    fingerabdruck = models.CharField("SHA-256-Fingerabdruck", max_length=64)
    hinterlegt_am = models.DateTimeField("hinterlegt am", auto_now=True)
    hinterlegt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "Signaturzertifikat"
        verbose_name_plural = "Signaturzertifikate"
        constraints = [
            models.UniqueConstraint(fields=["kommune"], name="signaturzertifikat_je_kommune")
        ]

    def __str__(self) -> str:
        return self.inhaber


class Signierung(TenantOwnedModel):
    """A Version signed at Schlusszeichnung: `quelle` (frozen) → `signiert` (the new Version)."""

    quelle = models.ForeignKey("akten.Version", on_delete=models.PROTECT, related_name="+")
    signiert = models.OneToOneField(
        "akten.Version", on_delete=models.PROTECT, related_name="signierung"
    )
    signiert_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signiert_am = models.DateTimeField(auto_now_add=True)
    zertifikat_inhaber = models.CharField(max_length=500)
    fingerabdruck = models.CharField(max_length=64)

    class Meta:
        verbose_name = "elektronische Signatur"
        verbose_name_plural = "elektronische Signaturen"

    def __str__(self) -> str:
        return f"elektronisch signiert: {self.signiert_id}"


class Signaturpruefung(models.Model):
    """The signature check of one stored PDF (a Datei never changes: checked once, cached)."""

    datei = models.OneToOneField(
        "akten.Datei", on_delete=models.CASCADE, related_name="signaturpruefung"
    )
    kommune = models.ForeignKey("kommunen.Kommune", on_delete=models.PROTECT, related_name="+")
    ergebnis = models.JSONField(default=dict)
    geprueft_am = models.DateTimeField(auto_now=True)

    objects = Mandantenmanager()
    alle = models.Manager()  # noqa: DJ012 (ruff takes Mandantenmanager for a field)

    class Meta:
        verbose_name = "Signaturprüfung"
        verbose_name_plural = "Signaturprüfungen"

    def __str__(self) -> str:
        return f"Signaturprüfung {self.datei_id}"
