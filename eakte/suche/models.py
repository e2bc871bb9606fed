"""The search index: one row per Dokument with its weighted German text-search vector, and the
vocabulary of the indexed texts (for compound parts and "meinten Sie").

Filter and facet fields are copied from the Dokument and its Akte (Kommune, Akte, federführende
OE, Aktenplaneinheit, zdA, Art, date, storniert), so that counting facets needs no join with the
Akten or Dokumente. The services of the records reindex the Dokumente of an Akte whenever one of
these changes (akte_aendern, akte_zda, akte_wiedereroeffnen, dokument_verschieben), and a
Dokument when it is storniert (dokument_stornieren). Visibility is never taken
from here: it always comes from `akten_fuer(user)`.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from eakte.common.mandantenbereich import Mandantenmanager


class Suchdokument(models.Model):
    dokument = models.OneToOneField(
        "akten.Dokument", on_delete=models.CASCADE, primary_key=True, related_name="suchdokument"
    )
    kommune = models.ForeignKey("kommunen.Kommune", on_delete=models.PROTECT, related_name="+")
    akte = models.ForeignKey("akten.Akte", on_delete=models.CASCADE, related_name="+")
    oe = models.ForeignKey(
        "kommunen.Organisationseinheit", on_delete=models.PROTECT, related_name="+"
    )  # the federführende OE of the Akte
    aktenplaneinheit = models.ForeignKey(
        "aktenplan.Aktenplaneinheit", on_delete=models.PROTECT, related_name="+"
    )
    zda = models.BooleanField(default=False)
    # the Dokument is storniert (copied, so that leaving these out needs no join with the
    # Dokumente: at a million Dokumente that join read every hit's Dokument row)
    storniert = models.BooleanField(default=False)
    typ = models.CharField(max_length=20)
    datum = models.DateField()
    text_datei = models.ForeignKey(
        "akten.Datei",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Die Datei der letzten Version, deren erkannter Text im Index steht.",
    )
    # A = Titel, Betreff, Aktenzeichen; B = Absender, Empfänger, Bemerkung;
    # C = the first pages of the text; D = the rest of it.
    vektor = SearchVectorField(null=True)
    # Only A and B (title, Betreff, Aktenzeichen, Absender …): small, so it stays in the row and
    # its own GIN index finds the title hits of a very common word quickly (selectors.py).
    kopf = SearchVectorField(null=True)
    aktualisiert_am = models.DateTimeField(auto_now=True)

    objects = Mandantenmanager()
    alle = models.Manager()  # noqa: DJ012 (ruff takes Mandantenmanager for a field)

    class Meta:
        verbose_name = "Suchindex-Eintrag"
        verbose_name_plural = "Suchindex"
        indexes = [
            GinIndex(fields=["vektor"], name="suchdokument_vektor_gin"),
            GinIndex(fields=["kopf"], name="suchdokument_kopf_gin"),
            models.Index(fields=["akte", "datum"], name="suchdokument_akte_idx"),
            models.Index(fields=["kommune", "datum"], name="suchdokument_kommune_idx"),
        ]

    def __str__(self) -> str:
        return f"Suchindex {self.dokument_id}"


class Suchwort(models.Model):
    """A word as it was written (lower case) and its German stem, from all indexed texts.

    Never shown as such: it only expands a query word to compounds that end with it and proposes
    corrections, which are shown only after the corrected query has hits the person may see.
    """

    wort = models.CharField(max_length=100, primary_key=True)
    lexem = models.CharField(max_length=100)
    rueckwaerts = models.CharField(max_length=100, help_text="das Lexem rückwärts (Wortende)")
    anzahl = models.PositiveIntegerField(default=1, help_text="ungefähre Zahl der Dokumente")

    class Meta:
        verbose_name = "Suchwort"
        verbose_name_plural = "Suchwörter"
        indexes = [
            models.Index(
                fields=["rueckwaerts"],
                name="suchwort_rueckwaerts_idx",
                opclasses=["text_pattern_ops"],
            ),
            models.Index(fields=["wort"], name="suchwort_wort_idx", opclasses=["text_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.wort
