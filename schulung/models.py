"""Dienstanweisungen and Leitfäden of a Verbund, in versions (Fassungen), with Kenntnisnahme;
Schulungen (courses) with dated Termine, registration, waiting list and attendance.
"""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator, URLValidator
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
    organisationseinheiten = models.ManyToManyField(
        "kommunen.Organisationseinheit",
        blank=True,
        related_name="+",
        verbose_name="nur für die Organisationseinheiten",
        help_text="leer: für alle Organisationseinheiten",
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = "Dokument"
        verbose_name_plural = "Dokumente"
        ordering = ["art", "titel"]

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


class Kenntnisnahmeerinnerung(models.Model):
    """When a person was last reminded to confirm a Fassung (at most one reminder a day)."""

    fassung = models.ForeignKey(Fassung, on_delete=models.CASCADE, related_name="erinnerungen")
    benutzer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    gesendet_am = models.DateTimeField()

    class Meta:
        verbose_name = "Erinnerung an die Kenntnisnahme"
        verbose_name_plural = "Erinnerungen an die Kenntnisnahme"
        constraints = [
            models.UniqueConstraint(fields=["fassung", "benutzer"], name="erinnerung_einmal")
        ]

    def __str__(self) -> str:
        return f"{self.benutzer_id}: {self.fassung} ({self.gesendet_am:%d.%m.%Y})"


# --- Schulungen ------------------------------------------------------------------------------


class Schulung(models.Model):
    """A course of the Verbund's training programme; it is held on one or more Termine."""

    verbund = models.ForeignKey(
        "kommunen.Verbund", on_delete=models.PROTECT, related_name="schulungen"
    )
    titel = models.CharField("Titel", max_length=300)
    beschreibung = models.TextField("Beschreibung (Markdown)", blank=True)
    beschreibung_html = models.TextField(editable=False, blank=True)
    rollen = models.JSONField(
        "Zielrollen", default=list, blank=True, help_text="leer: für alle Rollen"
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    erstellt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    erstellt_am = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Schulung"
        verbose_name_plural = "Schulungen"
        ordering = ["titel"]

    def __str__(self) -> str:
        return self.titel


online_link_pruefen = URLValidator(
    schemes=["http", "https"], message="Bitte einen Link mit http:// oder https:// angeben."
)


class Schulungstermin(models.Model):
    """One dated session of a Schulung with a limited number of places."""

    schulung = models.ForeignKey(Schulung, on_delete=models.PROTECT, related_name="termine")
    beginn = models.DateTimeField("Beginn")
    ende = models.DateTimeField("Ende")
    ort = models.CharField("Ort", max_length=300, blank=True)
    online_link = models.URLField(
        "Online-Link", max_length=500, blank=True, validators=[online_link_pruefen]
    )
    kapazitaet = models.PositiveIntegerField(
        "Plätze", validators=[MinValueValidator(1, "Ein Termin braucht mindestens einen Platz.")]
    )
    anmeldeschluss = models.DateTimeField("Anmeldeschluss")
    abgesagt = models.BooleanField("abgesagt", default=False)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = "Schulungstermin"
        verbose_name_plural = "Schulungstermine"
        ordering = ["beginn"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kapazitaet__gt=0), name="termin_kapazitaet_positiv"
            ),
            models.CheckConstraint(
                condition=models.Q(ende__gt=models.F("beginn")), name="termin_ende_nach_beginn"
            ),
            models.CheckConstraint(
                condition=~models.Q(ort="") | ~models.Q(online_link=""),
                name="termin_ort_oder_link",
            ),
        ]
        indexes = [models.Index(fields=["beginn"], name="termin_beginn_idx")]

    def __str__(self) -> str:
        return f"{self.schulung.titel}, {self.beginn:%d.%m.%Y}"


class Anmeldestatus(models.TextChoices):
    ANGEMELDET = "angemeldet", "angemeldet"
    WARTELISTE = "warteliste", "Warteliste"
    ABGEMELDET = "abgemeldet", "abgemeldet"


class Anmeldung(models.Model):
    """A person's registration for one Termin. `zeitpunkt` orders the waiting list; leaving
    keeps the row (status abgemeldet), registering again puts the person at the end."""

    termin = models.ForeignKey(
        Schulungstermin, on_delete=models.PROTECT, related_name="anmeldungen"
    )
    benutzer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="schulungsanmeldungen"
    )
    status = models.CharField("Status", max_length=20, choices=Anmeldestatus.choices)
    zeitpunkt = models.DateTimeField("angemeldet am")
    teilgenommen = models.BooleanField("teilgenommen", null=True, blank=True)
    bescheinigungsnummer = models.CharField(
        "Bescheinigungsnummer", max_length=40, null=True, blank=True, unique=True
    )
    erinnert_am = models.DateTimeField("Erinnerung gesendet am", null=True, blank=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = "Anmeldung"
        verbose_name_plural = "Anmeldungen"
        ordering = ["termin", "zeitpunkt", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["termin", "benutzer"], name="anmeldung_einmal"),
        ]
        indexes = [
            models.Index(fields=["termin", "status", "zeitpunkt"], name="anmeldung_liste_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.benutzer_id} – {self.termin_id}: {self.status}"


class Anhang(models.Model):
    """A PDF attached to a Dienstanweisung or Leitfaden (e.g. a form or a signed original).
    Stored once per content under the Verbund; served only through a permission check."""

    dokument = models.ForeignKey(Dokument, on_delete=models.PROTECT, related_name="anhaenge")
    dateiname = models.CharField("Dateiname", max_length=255)
    speicherort = models.CharField(max_length=300, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    groesse = models.PositiveBigIntegerField("Größe (Bytes)")
    hochgeladen_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    hochgeladen_am = models.DateTimeField(auto_now_add=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = "Anhang"
        verbose_name_plural = "Anhänge"
        ordering = ["dokument", "dateiname"]

    def __str__(self) -> str:
        return self.dateiname
