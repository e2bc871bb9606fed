"""The processing of one stored file: text layer or OCR, PDF/A archive version, thumbnail.

It belongs to the content (a `Datei`), not to a Version: the same scan uploaded twice in a
Kommune is recognised once, and a Posteingang item is processed before it has a Version.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from eakte.common.mandantenbereich import Mandantenmanager


class Status(models.TextChoices):
    WARTET = "wartet", "wartet"
    LAEUFT = "laeuft", "läuft"
    FERTIG = "fertig", "fertig"
    FEHLER = "fehler", "Fehler"


class Verfahren(models.TextChoices):
    TEXTEBENE = "textebene", "Text aus der Textebene der PDF übernommen"
    OCR = "ocr", "Texterkennung mit OCRmyPDF/Tesseract"
    UMWANDLUNG = "umwandlung", "mit LibreOffice in PDF/A umgewandelt"
    EMAIL = "email", "E-Mail mit LibreOffice in PDF/A umgewandelt, Anlagen als eigene Dokumente"
    KEINE = "keine", "keine Texterkennung für diesen Dateityp"


class Verarbeitung(models.Model):
    """One row per stored original. The original is never touched; results go beside it."""

    datei = models.OneToOneField(
        "akten.Datei", on_delete=models.PROTECT, related_name="verarbeitung"
    )
    kommune = models.ForeignKey("kommunen.Kommune", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "Status", max_length=10, choices=Status.choices, default=Status.WARTET, db_index=True
    )
    verfahren = models.CharField("Verfahren", max_length=10, choices=Verfahren.choices, blank=True)
    seiten = models.PositiveIntegerField("Seiten", null=True, blank=True)
    seite = models.PositiveIntegerField("bearbeitete Seiten", default=0)
    meldung = models.CharField("Meldung", max_length=1000, blank=True)
    archiv = models.ForeignKey(
        "akten.Datei",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Archivversion (PDF/A)",
    )
    vorschaubild = models.ForeignKey(
        "akten.Datei", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField("erkannter Text", blank=True)
    versuche = models.PositiveSmallIntegerField("Versuche", default=0)
    # the failure lies in the file itself (too large, damaged, protected): "Erneut versuchen"
    # would fail the same way, so it is not offered
    dauerhaft = models.BooleanField("dauerhafter Fehler", default=False)
    # of an e-mail: its attachments, stored as Dateien ([{"datei": id, "name": …}]), which the
    # task `eakte.ocr.anlagen_ablegen` files as Dokumente beside every Dokument of the mail
    anlagen = models.JSONField("Anlagen", default=list, blank=True)
    transfervermerk = models.JSONField("Transfervermerk", default=dict, blank=True)
    # while a job runs, its worker process writes a sign of life every OCR_LEBENSZEICHEN
    # seconds; a job "läuft" without one for OCR_VERWAIST_NACH seconds lost its worker (killed,
    # out of memory, node gone) and the watchdog task `eakte.ocr.verwaiste_aufnehmen` requeues it
    lebenszeichen = models.DateTimeField("letztes Lebenszeichen", null=True, blank=True)
    worker = models.CharField("Worker (Rechner:Prozess)", max_length=200, blank=True)
    eingereiht_am = models.DateTimeField(auto_now_add=True)
    gestartet_am = models.DateTimeField(null=True, blank=True)
    fertig_am = models.DateTimeField(null=True, blank=True)

    objects = Mandantenmanager()
    alle = models.Manager()  # noqa: DJ012 (ruff takes Mandantenmanager for a field)

    class Meta:
        verbose_name = "Verarbeitung"
        verbose_name_plural = "Verarbeitungen"
        indexes = [models.Index(fields=["kommune", "status"], name="verarbeitung_status_idx")]

    def __str__(self) -> str:
        return f"{self.datei_id}: {self.get_status_display()}"

    @property
    def fortschritt_prozent(self) -> int:
        if self.status == Status.FERTIG:
            return 100
        if not self.seiten:
            return 0
        return min(99, round(100 * self.seite / self.seiten))

    @property
    def ohne_lebenszeichen(self) -> bool:
        """It "läuft", but its worker has not been heard of for OCR_VERWAIST_NACH seconds."""
        letztes = self.lebenszeichen or self.gestartet_am
        grenze = timezone.now() - timedelta(seconds=settings.OCR_VERWAIST_NACH)
        return self.status == Status.LAEUFT and letztes is not None and letztes < grenze
