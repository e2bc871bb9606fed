"""Digital Akteneinsicht (§ 29 HVwVfG, § 100 VwGO): chosen documents of one Akte released for a
time to one recipient, who opens them without an account by a link and a one-time code."""

from django.conf import settings
from django.db import models

from eakte.common.models import TenantOwnedModel


class Empfaengerrolle(models.TextChoices):
    BETEILIGT = "beteiligt", "Beteiligte/r"
    BEVOLLMAECHTIGT = "bevollmaechtigt", "Bevollmächtigte/r"


class Zweitkanal(models.TextChoices):
    BRIEF_TELEFON = "brief", "Brief oder Telefon (Code wird angezeigt)"
    EMAIL = "email", "E-Mail an eine zweite Adresse"


class Status(models.TextChoices):
    ENTWURF = "entwurf", "Entwurf (noch nicht freigegeben)"
    FREIGEGEBEN = "freigegeben", "freigegeben"
    WIDERRUFEN = "widerrufen", "widerrufen"


class Einsicht(TenantOwnedModel):
    akte = models.ForeignKey(
        "akten.Akte", on_delete=models.PROTECT, related_name="+", verbose_name="Akte"
    )
    jahr = models.PositiveSmallIntegerField(editable=False)
    laufende_nummer = models.PositiveIntegerField(editable=False)
    nummer = models.CharField("Einsichtsnummer", max_length=30, editable=False)
    empfaenger_name = models.CharField("Name der Empfängerin / des Empfängers", max_length=200)
    empfaenger_email = models.EmailField("E-Mail-Adresse")
    empfaenger_rolle = models.CharField(
        "Rolle", max_length=20, choices=Empfaengerrolle.choices, default=Empfaengerrolle.BETEILIGT
    )
    gueltig_bis = models.DateField("einsehbar bis")
    download_erlaubt = models.BooleanField("Herunterladen erlaubt", default=False)
    zweitkanal = models.CharField("Code übermitteln per", max_length=10, choices=Zweitkanal.choices)
    zweitkanal_email = models.EmailField("zweite E-Mail-Adresse für den Code", blank=True)
    status = models.CharField(
        "Status", max_length=12, choices=Status.choices, default=Status.ENTWURF, db_index=True
    )
    zugangsschluessel = models.CharField(max_length=64, unique=True, editable=False)
    code_hash = models.CharField(max_length=200, blank=True, editable=False)
    fehlversuche = models.PositiveSmallIntegerField(default=0)
    gesperrt_am = models.DateTimeField("gesperrt am", null=True, blank=True)
    freigegeben_am = models.DateTimeField("freigegeben am", null=True, blank=True)
    widerrufen_am = models.DateTimeField("widerrufen am", null=True, blank=True)
    angelegt_am = models.DateTimeField("angelegt am", auto_now_add=True)
    angelegt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "Akteneinsicht"
        verbose_name_plural = "Akteneinsichten"
        ordering = ["-angelegt_am", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kommune", "jahr", "laufende_nummer"], name="einsicht_nummer_eindeutig"
            )
        ]

    def __str__(self) -> str:
        return f"{self.nummer} ({self.empfaenger_name})"


class EinsichtDokument(TenantOwnedModel):
    """One document of the Akte in an Einsicht: released (with its redacted copy) or withheld
    with a reason."""

    einsicht = models.ForeignKey(Einsicht, on_delete=models.CASCADE, related_name="dokumente")
    dokument = models.ForeignKey("akten.Dokument", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey("akten.Version", on_delete=models.PROTECT, related_name="+")
    freigegeben = models.BooleanField("freigegeben", default=True)
    grund = models.CharField("Grund der Zurückhaltung", max_length=500, blank=True)
    quelle = models.ForeignKey(
        "akten.Datei",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        help_text="die PDF, aus der freigegeben wird (Archivversion oder Original)",
    )
    freigabedatei = models.ForeignKey(
        "akten.Datei",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="die freigegebene (geschwärzte) Fassung, eine eigene gespeicherte Datei",
    )
    seiten = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "Dokument einer Akteneinsicht"
        verbose_name_plural = "Dokumente einer Akteneinsicht"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["einsicht", "dokument"], name="einsicht_dokument_einmal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.einsicht_id}: {self.dokument_id}"


class Schwaerzung(TenantOwnedModel):
    """A box on one page, in fractions of the page from the top left (0 … 1)."""

    einsicht_dokument = models.ForeignKey(
        EinsichtDokument, on_delete=models.CASCADE, related_name="schwaerzungen"
    )
    seite = models.PositiveIntegerField("Seite")
    x0 = models.FloatField()
    y0 = models.FloatField()
    x1 = models.FloatField()
    y1 = models.FloatField()
    suchwort = models.CharField("gefunden über Suchwort", max_length=200, blank=True)
    angelegt_am = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Schwärzung"
        verbose_name_plural = "Schwärzungen"
        ordering = ["seite", "y0", "x0"]

    def __str__(self) -> str:
        return f"S. {self.seite}"


class Zugriffsart(models.TextChoices):
    CODE_RICHTIG = "code_richtig", "mit Code geöffnet"
    CODE_FALSCH = "code_falsch", "falscher Code"
    GESPERRT = "gesperrt", "nach fünf falschen Codes gesperrt"
    ANSICHT = "ansicht", "Seite angesehen"
    DOWNLOAD = "download", "heruntergeladen"


class Zugriff(TenantOwnedModel):
    """What the recipient did, with time and address (shown to the clerk and Datenschutz)."""

    einsicht = models.ForeignKey(Einsicht, on_delete=models.CASCADE, related_name="zugriffe")
    einsicht_dokument = models.ForeignKey(
        EinsichtDokument, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    art = models.CharField("Art", max_length=20, choices=Zugriffsart.choices)
    seite = models.PositiveIntegerField("Seite", null=True, blank=True)
    zeitpunkt = models.DateTimeField("Zeitpunkt", auto_now_add=True)
    ip_adresse = models.GenericIPAddressField("Adresse", null=True, blank=True)

    class Meta:
        verbose_name = "Zugriff auf eine Akteneinsicht"
        verbose_name_plural = "Zugriffe auf Akteneinsichten"
        ordering = ["-zeitpunkt", "-id"]

    def __str__(self) -> str:
        return f"{self.get_art_display()} {self.zeitpunkt}"
