"""Daily roll-ups of the digitisation figures, per Kommune, OE and day.

Written only by `services.tag_verdichten` (Celery beat, the backfill command, the demo data);
the cockpit pages read nothing else, so they never scan the big tables.
Rows with `oe` NULL hold the Kommune-wide figures that belong to no OE (Kenntnisnahme rate,
Schulung attendance, OEs without Digitallotse, active people, Aktenplan units in use).
"""

from django.db import models

from eakte.common.mandantenbereich import Mandantenmanager


class Tagesstand(models.Model):
    kommune = models.ForeignKey("kommunen.Kommune", on_delete=models.CASCADE, related_name="+")
    oe = models.ForeignKey(
        "kommunen.Organisationseinheit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    tag = models.DateField("Tag")
    # filings of the day (Versionen hochgeladen), by the federführende OE of their Akte
    seiten_gescannt = models.PositiveIntegerField("Seiten gescannt und erkannt", default=0)
    seiten_digital = models.PositiveIntegerField("Seiten digital entstanden", default=0)
    dokumente_gescannt = models.PositiveIntegerField("gescannte Dokumente", default=0)
    dokumente_digital = models.PositiveIntegerField("digital entstandene Dokumente", default=0)
    ablagen = models.PositiveIntegerField("Ablagen", default=0)
    akten_angelegt = models.PositiveIntegerField("Akten angelegt", default=0)
    vorgaenge_angelegt = models.PositiveIntegerField("Vorgänge angelegt", default=0)
    # snapshot at the end of the day
    aktiv_30_tage = models.BooleanField("mindestens eine Ablage in 30 Tagen", default=False)
    aktive_personen_7_tage = models.PositiveIntegerField("aktive Personen (7 Tage)", default=0)
    # Kommune rows (oe NULL) only
    oes_gesamt = models.PositiveIntegerField(default=0)
    oes_ohne_lotse = models.PositiveIntegerField(default=0)
    kenntnisnahme_soll = models.PositiveIntegerField(default=0)
    kenntnisnahme_ist = models.PositiveIntegerField(default=0)
    schulung_teilnahmen = models.PositiveIntegerField(default=0)
    aktenplaneinheiten_genutzt = models.PositiveIntegerField(default=0)
    berechnet_am = models.DateTimeField(auto_now=True)

    objects = Mandantenmanager()
    alle = models.Manager()  # noqa: DJ012 (ruff takes Mandantenmanager for a field)

    class Meta:
        verbose_name = "Tagesstand"
        verbose_name_plural = "Tagesstände"
        constraints = [
            models.UniqueConstraint(
                fields=["kommune", "oe", "tag"],
                name="tagesstand_eindeutig",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["kommune", "tag"], name="tagesstand_kommune_tag_idx")]

    def __str__(self) -> str:
        return f"{self.kommune_id}/{self.oe_id}/{self.tag}"
