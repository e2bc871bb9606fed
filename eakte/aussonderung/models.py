"""Aussonderung (xdomea 3.0.0, messages 0501–0506), Löschung with four eyes, Löschsperre, and
DSGVO requests. The records themselves stay in eakte.akten; what happened to an Akte at the end
of its life is written here (Aussonderungsvermerk) and the Akte row is kept as the stub."""

from datetime import timedelta

from django.conf import settings
from django.db import models

from eakte.common.mandantenbereich import Mandantenmanager
from eakte.common.models import TenantOwnedModel


class Aussonderungsart(models.TextChoices):
    ARCHIVWUERDIG = "A", "A – archivwürdig"
    BEWERTEN = "B", "B – bewerten"
    VERNICHTEN = "V", "V – vernichten"


class Archiv(TenantOwnedModel):
    """The archive the Kommune offers its records to (one per Kommune)."""

    name = models.CharField("Name des Archivs", max_length=300)
    kennung = models.CharField(
        "Behördenkennung des Archivs", max_length=100, help_text="z. B. Behördenschlüssel"
    )
    kontakt = models.CharField("Ansprechperson / Kontakt", max_length=300, blank=True)
    absender_kennung = models.CharField(
        "eigene Behördenkennung", max_length=100, blank=True, help_text="leer: Kürzel der Kommune"
    )

    class Meta:
        verbose_name = "Archiv"
        verbose_name_plural = "Archive"
        constraints = [models.UniqueConstraint(fields=["kommune"], name="archiv_je_kommune")]

    def __str__(self) -> str:
        return self.name


class Bewertungsvorgabe(TenantOwnedModel):
    """An Akte's own A/B/V mark, overriding its Aktenplaneinheit's (Kommunen-Admin, with reason)."""

    akte = models.OneToOneField("akten.Akte", on_delete=models.CASCADE, related_name="+")
    art = models.CharField("Aussonderungsart", max_length=1, choices=Aussonderungsart.choices)
    grund = models.CharField("Begründung", max_length=1000)
    gesetzt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    gesetzt_am = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Bewertungsvorgabe einer Akte"
        verbose_name_plural = "Bewertungsvorgaben"


class Loeschsperre(TenantOwnedModel):
    """Legal hold: while `aufgehoben_am` is empty the Akte is never offered, handed over or
    deleted."""

    akte = models.ForeignKey("akten.Akte", on_delete=models.CASCADE, related_name="+")
    grund = models.CharField("Grund", max_length=1000)
    gesetzt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    gesetzt_am = models.DateTimeField(auto_now_add=True)
    aufgehoben_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    aufgehoben_am = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Löschsperre"
        verbose_name_plural = "Löschsperren"
        constraints = [
            models.UniqueConstraint(
                fields=["akte"],
                condition=models.Q(aufgehoben_am__isnull=True),
                name="eine_aktive_loeschsperre_je_akte",
            )
        ]


class Prozessstatus(models.TextChoices):
    ANGEBOTEN = "angeboten", "angeboten (0501 erstellt)"
    BEWERTET = "bewertet", "bewertet"
    WIRD_ERSTELLT = "wird_erstellt", "Aussonderung (0503) wird erstellt …"
    ABGEGEBEN = "abgegeben", "abgegeben (0503 erstellt)"
    ABGESCHLOSSEN = "abgeschlossen", "abgeschlossen (Übernahme bestätigt)"


class Prozess(TenantOwnedModel):
    """One Aussonderung: its `uuid` is the xdomea ProzessID of all its messages."""

    status = models.CharField(
        "Status", max_length=15, choices=Prozessstatus.choices, default=Prozessstatus.ANGEBOTEN
    )
    archiv_name = models.CharField("Archiv", max_length=300)
    angelegt_am = models.DateTimeField("angeboten am", auto_now_add=True)
    angelegt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    bewertet_am = models.DateTimeField("bewertet am", null=True, blank=True)
    abgegeben_am = models.DateTimeField("abgegeben am", null=True, blank=True)
    abgeschlossen_am = models.DateTimeField("Übernahme bestätigt am", null=True, blank=True)
    # the 0503 ZIP is built by a Celery task (eakte.aussonderung.abgabe_bauen); a failed build
    # puts the Prozess back to `bewertet` with the reason here
    abgabe_angefordert_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    abgabe_fehler = models.CharField("Fehler der letzten Abgabe", max_length=1000, blank=True)

    class Meta:
        verbose_name = "Aussonderungsprozess"
        verbose_name_plural = "Aussonderungsprozesse"
        ordering = ["-angelegt_am"]

    def __str__(self) -> str:
        return str(self.uuid)


class Entscheidung(models.TextChoices):
    OFFEN = "offen", "noch nicht bewertet"
    ARCHIVIEREN = "archivieren", "archivieren"
    VERNICHTEN = "vernichten", "vernichten"


class ProzessAkte(models.Model):
    prozess = models.ForeignKey(Prozess, on_delete=models.CASCADE, related_name="akten")
    akte = models.ForeignKey("akten.Akte", on_delete=models.PROTECT, related_name="+")
    kommune = models.ForeignKey("kommunen.Kommune", on_delete=models.PROTECT, related_name="+")
    vorschlag = models.CharField("Bewertungsvorschlag", max_length=1)
    entscheidung = models.CharField(
        "Bewertung", max_length=12, choices=Entscheidung.choices, default=Entscheidung.OFFEN
    )
    archivkennung = models.CharField("Archivkennung", max_length=300, blank=True)

    objects = Mandantenmanager()
    alle = models.Manager()  # noqa: DJ012 (ruff takes Mandantenmanager for a field)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prozess", "akte"], name="prozessakte_eindeutig")
        ]

    def __str__(self) -> str:
        return f"{self.prozess_id}: {self.akte_id} ({self.entscheidung})"


class Nachrichtentyp(models.TextChoices):
    ANBIETEVERZEICHNIS = "0501", "0501 Anbieteverzeichnis"
    BEWERTUNGSVERZEICHNIS = "0502", "0502 Bewertungsverzeichnis"
    AUSSONDERUNG = "0503", "0503 Aussonderung"
    ANBIETUNG_EMPFANG = "0504", "0504 Empfang der Anbietung bestätigt"
    BEWERTUNG_EMPFANG = "0505", "0505 Empfang der Bewertung bestätigt"
    IMPORT_BESTAETIGT = "0506", "0506 Import der Aussonderung bestätigt"
    AUSSONDERUNG_EMPFANG = "0507", "0507 Empfang der Aussonderung bestätigt"
    MANUELL = "manuell", "Übernahme manuell bestätigt (Nachweis)"


class Nachricht(TenantOwnedModel):
    """A message of a Prozess, sent or received, kept as a file in the storage."""

    prozess = models.ForeignKey(Prozess, on_delete=models.PROTECT, related_name="nachrichten")
    typ = models.CharField("Nachricht", max_length=7, choices=Nachrichtentyp.choices)
    eingehend = models.BooleanField("eingegangen", default=False)
    dateiname = models.CharField("Dateiname", max_length=255)
    speicherort = models.CharField(max_length=400)
    groesse = models.PositiveBigIntegerField("Größe (Bytes)", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    erstellt_am = models.DateTimeField("am", auto_now_add=True)
    erstellt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["erstellt_am"]
        verbose_name = "Nachricht"
        verbose_name_plural = "Nachrichten"


class Laufstatus(models.TextChoices):
    VORGESCHLAGEN = "vorgeschlagen", "vorgeschlagen"
    DURCHGEFUEHRT = "durchgefuehrt", "genehmigt und durchgeführt"


class Loeschlauf(TenantOwnedModel):
    """A deletion run: proposed by one person, approved (and thereby carried out) by another."""

    status = models.CharField(
        "Status", max_length=15, choices=Laufstatus.choices, default=Laufstatus.VORGESCHLAGEN
    )
    betreff_schwaerzen = models.BooleanField("Betreff im Nachweis schwärzen", default=False)
    vorgeschlagen_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    vorgeschlagen_am = models.DateTimeField(auto_now_add=True)
    genehmigt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    genehmigt_am = models.DateTimeField(null=True, blank=True)
    protokoll_pdf = models.CharField(max_length=400, blank=True)
    protokoll_pdf_sha256 = models.CharField(max_length=64, blank=True)
    protokoll_pdf_groesse = models.PositiveBigIntegerField(default=0)
    protokoll_csv = models.CharField(max_length=400, blank=True)
    protokoll_csv_sha256 = models.CharField(max_length=64, blank=True)
    protokoll_csv_groesse = models.PositiveBigIntegerField(default=0)

    # The Löschprotokoll's two stored files, for dateien_pruefen, dateien_umziehen and the backup
    # (eakte/betrieb/dateibestand.py).
    GESPEICHERTE_DATEIEN = (
        ("protokoll_pdf", "protokoll_pdf_sha256", "protokoll_pdf_groesse"),
        ("protokoll_csv", "protokoll_csv_sha256", "protokoll_csv_groesse"),
    )

    class Meta:
        ordering = ["-vorgeschlagen_am"]
        verbose_name = "Löschlauf"
        verbose_name_plural = "Löschläufe"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(genehmigt_von=models.F("vorgeschlagen_von")),
                name="loeschlauf_vier_augen",
            )
        ]


class LoeschlaufAkte(models.Model):
    lauf = models.ForeignKey(Loeschlauf, on_delete=models.PROTECT, related_name="akten")
    akte = models.ForeignKey("akten.Akte", on_delete=models.PROTECT, related_name="+")
    kommune = models.ForeignKey("kommunen.Kommune", on_delete=models.PROTECT, related_name="+")

    objects = Mandantenmanager()
    alle = models.Manager()  # noqa: DJ012 (ruff takes Mandantenmanager for a field)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lauf", "akte"], name="loeschlaufakte_eindeutig")
        ]

    def __str__(self) -> str:
        return f"{self.lauf_id}: {self.akte_id}"


class Verbleib(models.TextChoices):
    ARCHIVIERT = "archiviert", "an das Archiv abgegeben (archiviert)"
    GELOESCHT = "geloescht", "gelöscht"


class Aussonderungsvermerk(TenantOwnedModel):
    """The stub of an Akte whose content has left the e-file. Copies what the proof needs, so
    it stays readable whatever happens to the Akte row."""

    akte = models.OneToOneField("akten.Akte", on_delete=models.PROTECT, related_name="+")
    verbleib = models.CharField("Verbleib", max_length=12, choices=Verbleib.choices)
    aktenzeichen = models.CharField("Aktenzeichen", max_length=150)
    betreff = models.CharField("Betreff", max_length=500)
    beginn = models.DateField("Laufzeit von")
    ende = models.DateField("Laufzeit bis", null=True, blank=True)
    am = models.DateTimeField("am", auto_now_add=True)
    prozess = models.ForeignKey(Prozess, on_delete=models.PROTECT, null=True, related_name="+")
    lauf = models.ForeignKey(Loeschlauf, on_delete=models.PROTECT, null=True, related_name="+")
    vorgeschlagen_von = models.CharField("vorgeschlagen von", max_length=300, blank=True)
    genehmigt_von = models.CharField("genehmigt von", max_length=300, blank=True)
    dateien_geloescht = models.PositiveIntegerField("gelöschte Dateien", default=0)

    class Meta:
        verbose_name = "Aussonderungsvermerk"
        verbose_name_plural = "Aussonderungsvermerke"


class Anfrageart(models.TextChoices):
    AUSKUNFT = "art15", "Auskunft (Art. 15 DSGVO)"
    LOESCHUNG = "art17", "Löschung (Art. 17 DSGVO)"


FRIST_TAGE = 30


class Datenschutzanfrage(TenantOwnedModel):
    art = models.CharField("Art", max_length=5, choices=Anfrageart.choices)
    person = models.CharField("betroffene Person", max_length=300)
    suchbegriffe = models.CharField(
        "Suchbegriffe", max_length=500, help_text="Name, Anschrift, Geburtsdatum …"
    )
    eingegangen_am = models.DateField("eingegangen am")
    beantwortet_am = models.DateField("beantwortet am", null=True, blank=True)
    angelegt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    angelegt_am = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-eingegangen_am"]
        verbose_name = "Datenschutzanfrage"
        verbose_name_plural = "Datenschutzanfragen"

    @property
    def frist(self):
        return self.eingegangen_am + timedelta(days=FRIST_TAGE)
