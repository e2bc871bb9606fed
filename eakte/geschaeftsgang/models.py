"""The Geschäftsgang: a route of Verfügungen (steps) on a Vorgang or Dokument.

A route is a list of steps ordered by `position`; steps with the same position form a parallel
group (all of them must be finished before the route goes on). A step is addressed to a person,
to an OE's Postkorb, or to a role (within an OE, or within the Kommune). Route templates
(Vorlage) belong to a Kommune (Kommunen-Admin) or to the whole Verbund (Digitallotse).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from eakte.common.models import TenantOwnedModel


class Verfuegung(models.TextChoices):
    """What the recipient is asked to do (the usual Verfügungen of a German town hall)."""

    KENNTNIS = "zk", "zur Kenntnis"
    MITZEICHNUNG = "mz", "zur Mitzeichnung"
    STELLUNGNAHME = "stn", "zur Stellungnahme"
    VERANLASSUNG = "zwv", "zur weiteren Veranlassung"
    SCHLUSSZEICHNUNG = "sz", "zur Schlusszeichnung"
    VERSAND = "versand", "zum Versand"
    WIEDERVORLAGE = "wv", "zur Wiedervorlage"
    ZDA = "zda", "zdA"


class Gangstatus(models.TextChoices):
    LAUFEND = "laufend", "läuft"
    ABGESCHLOSSEN = "abgeschlossen", "abgeschlossen"
    ABGEBROCHEN = "abgebrochen", "abgebrochen"


class Schrittstatus(models.TextChoices):
    WARTEND = "wartend", "wartet"
    AKTIV = "aktiv", "liegt vor"
    ERLEDIGT = "erledigt", "erledigt"
    ABGEBROCHEN = "abgebrochen", "abgebrochen"


class Ergebnis(models.TextChoices):
    ERLEDIGT = "erledigt", "erledigt"
    MITGEZEICHNET = "mitgezeichnet", "mitgezeichnet"
    SCHLUSSGEZEICHNET = "schlussgezeichnet", "schlussgezeichnet"
    ABGELEHNT = "abgelehnt", "abgelehnt"
    WEITERGELEITET = "weitergeleitet", "weitergeleitet"
    ABGEBROCHEN = "abgebrochen", "abgebrochen"


class Geschaeftsgang(TenantOwnedModel):
    akte = models.ForeignKey(
        "akten.Akte", on_delete=models.PROTECT, related_name="geschaeftsgaenge"
    )
    vorgang = models.ForeignKey(
        "akten.Vorgang",
        on_delete=models.PROTECT,
        related_name="geschaeftsgaenge",
        verbose_name="Vorgang",
    )
    dokument = models.ForeignKey(
        "akten.Dokument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="geschaeftsgaenge",
        verbose_name="Dokument",
    )
    vorlage = models.ForeignKey(
        "Vorlage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    betreff = models.CharField("Betreff", max_length=500)
    status = models.CharField(max_length=20, choices=Gangstatus.choices, default=Gangstatus.LAUFEND)
    gestartet_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    gestartet_am = models.DateTimeField(auto_now_add=True)
    abgeschlossen_am = models.DateTimeField(null=True, blank=True)
    schlussgezeichnet_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    schlussgezeichnete_version = models.ForeignKey(
        "akten.Version", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # "elektronisch signiert von … am …" (eakte.signatur, at Schlusszeichnung)
    signaturvermerk = models.CharField("Signaturvermerk", max_length=1000, blank=True)

    class Meta:
        verbose_name = "Geschäftsgang"
        verbose_name_plural = "Geschäftsgänge"
        ordering = ["-gestartet_am", "-id"]
        indexes = [
            models.Index(fields=["vorgang", "-gestartet_am"], name="gg_vorgang_idx"),
            models.Index(
                fields=["akte"], name="gg_akte_laufend_idx", condition=Q(status="laufend")
            ),
        ]

    def __str__(self) -> str:
        return self.betreff


class Schritt(TenantOwnedModel):
    """One Verfügung of a route, addressed to exactly one person, OE or role."""

    geschaeftsgang = models.ForeignKey(
        Geschaeftsgang, on_delete=models.CASCADE, related_name="schritte"
    )
    position = models.PositiveIntegerField("Position")
    verfuegung = models.CharField("Verfügung", max_length=10, choices=Verfuegung.choices)
    empfaenger_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="an Person",
    )
    empfaenger_oe = models.ForeignKey(
        "kommunen.Organisationseinheit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="an OE",
    )
    empfaenger_rolle = models.CharField("an Rolle", max_length=50, blank=True)
    empfaenger_kommune = models.ForeignKey(
        "kommunen.Kommune",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Die Kommune des Empfängers (bei Rollen ohne OE: in welcher Kommune).",
    )
    frist = models.DateField("Frist", null=True, blank=True)
    notiz = models.CharField("Hinweis", max_length=1000, blank=True)
    status = models.CharField(
        max_length=20, choices=Schrittstatus.choices, default=Schrittstatus.WARTEND
    )
    absender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    aktiviert_am = models.DateTimeField(null=True, blank=True)
    bearbeiter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="übernommen/bearbeitet von",
    )
    uebernommen_am = models.DateTimeField(null=True, blank=True)
    in_vertretung_fuer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="i. V. für",
    )
    ergebnis = models.CharField(max_length=20, choices=Ergebnis.choices, blank=True)
    bemerkung = models.CharField("Bemerkung", max_length=2000, blank=True)
    erledigt_am = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Schritt"
        verbose_name_plural = "Schritte"
        ordering = ["geschaeftsgang", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(empfaenger_person__isnull=False)
                | Q(empfaenger_oe__isnull=False)
                | ~Q(empfaenger_rolle=""),
                name="schritt_hat_empfaenger",
            ),
        ]
        indexes = [
            models.Index(fields=["geschaeftsgang", "position"], name="schritt_gang_idx"),
            models.Index(
                fields=["empfaenger_person", "-aktiviert_am"],
                name="schritt_person_aktiv_idx",
                condition=Q(status="aktiv"),
            ),
            models.Index(
                fields=["empfaenger_oe", "-aktiviert_am"],
                name="schritt_oe_aktiv_idx",
                condition=Q(status="aktiv"),
            ),
            models.Index(
                fields=["empfaenger_kommune", "empfaenger_rolle", "-aktiviert_am"],
                name="schritt_rolle_aktiv_idx",
                condition=Q(status="aktiv") & ~Q(empfaenger_rolle=""),
            ),
            models.Index(
                fields=["bearbeiter", "-aktiviert_am"],
                name="schritt_bearbeiter_aktiv_idx",
                condition=Q(status="aktiv"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_verfuegung_display()} an {self.empfaenger_text}"

    @property
    def empfaenger_text(self) -> str:
        if self.empfaenger_person_id:
            person = self.empfaenger_person
            return person.get_full_name() or person.username
        teile = []
        if self.empfaenger_rolle:
            teile.append(self.empfaenger_rolle)
        if self.empfaenger_oe_id:
            teile.append(
                f"Postkorb {self.empfaenger_oe.name}" if not teile else self.empfaenger_oe.name
            )
        return " in ".join(teile)

    @property
    def fuer_postkorb(self) -> bool:
        """Addressed to an OE or role: whoever is free takes it first."""
        return self.empfaenger_person_id is None


class Zugriff(models.Model):
    """A read share on the Akte that the route granted for an open step (revoked when done).

    Only grants that were new are recorded: who could read the Akte before keeps that access.
    """

    schritt = models.ForeignKey(Schritt, on_delete=models.CASCADE, related_name="zugriffe")
    akte = models.ForeignKey("akten.Akte", on_delete=models.CASCADE, related_name="+")
    benutzer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    oe = models.ForeignKey(
        "kommunen.Organisationseinheit", on_delete=models.CASCADE, null=True, related_name="+"
    )
    offen = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["akte", "offen"], name="zugriff_akte_idx")]

    def __str__(self) -> str:
        return f"Zugriff auf Akte {self.akte_id} für Schritt {self.schritt_id}"


class Vorlage(models.Model):
    """A route template of a Kommune, or of the whole Verbund (kommune empty)."""

    verbund = models.ForeignKey("kommunen.Verbund", on_delete=models.CASCADE, related_name="+")
    kommune = models.ForeignKey(
        "kommunen.Kommune", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    uuid = models.UUIDField(unique=True, editable=False, default=uuid.uuid4)
    name = models.CharField("Name", max_length=200)
    beschreibung = models.CharField("Beschreibung", max_length=1000, blank=True)
    aktiv = models.BooleanField("aktiv", default=True)
    angelegt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    geaendert_am = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Vorlage eines Geschäftsgangs"
        verbose_name_plural = "Vorlagen von Geschäftsgängen"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Empfaengerart(models.TextChoices):
    PERSON = "person", "Person"
    OE = "oe", "Postkorb einer OE"
    ROLLE = "rolle", "Rolle (in einer OE oder der Kommune)"
    ABSENDER = "absender", "wer den Geschäftsgang startet"


class Vorlageschritt(models.Model):
    vorlage = models.ForeignKey(Vorlage, on_delete=models.CASCADE, related_name="schritte")
    reihenfolge = models.PositiveIntegerField("Reihenfolge")
    gruppe = models.PositiveIntegerField(
        "Gruppe", help_text="Schritte mit derselben Gruppe laufen parallel."
    )
    verfuegung = models.CharField("Verfügung", max_length=10, choices=Verfuegung.choices)
    art = models.CharField("an", max_length=10, choices=Empfaengerart.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    oe = models.ForeignKey(
        "kommunen.Organisationseinheit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rolle = models.CharField(max_length=50, blank=True)
    frist_tage = models.PositiveIntegerField("Frist in Tagen", null=True, blank=True)
    notiz = models.CharField("Hinweis", max_length=1000, blank=True)

    class Meta:
        ordering = ["vorlage", "reihenfolge"]

    def __str__(self) -> str:
        return f"{self.reihenfolge}. {self.get_verfuegung_display()}"


class Vertretung(TenantOwnedModel):
    """An absence: from `von` to `bis` (inclusive) the deputies also see new items."""

    abwesend = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="abwesenheiten",
        verbose_name="abwesend",
    )
    von = models.DateField("abwesend von")
    bis = models.DateField("abwesend bis")
    vertreter = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="vertretungen", verbose_name="Vertretung durch"
    )
    grund = models.CharField("Hinweis", max_length=200, blank=True)
    angelegt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    angelegt_am = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Vertretung"
        verbose_name_plural = "Vertretungen"
        ordering = ["von", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(bis__gte=F("von")), name="vertretung_zeitraum"),
        ]
        indexes = [models.Index(fields=["abwesend", "bis"], name="vertretung_abwesend_idx")]

    def __str__(self) -> str:
        return f"{self.abwesend} {self.von:%d.%m.%Y}–{self.bis:%d.%m.%Y}"


class Verbundeinstellung(models.Model):
    """Settings of the Geschäftsgang for a whole Verbund (Verbund-Admin)."""

    verbund = models.OneToOneField(
        "kommunen.Verbund", on_delete=models.CASCADE, related_name="geschaeftsgang"
    )
    vertretung_kommunenuebergreifend = models.BooleanField(
        "Vertretung durch Personen anderer Kommunen des Verbunds",
        default=False,
        help_text="Alle Kommunen des Verbunds haben zugestimmt.",
    )

    def __str__(self) -> str:
        return f"Geschäftsgang im Verbund {self.verbund_id}"


class Benachrichtigungsart(models.TextChoices):
    SOFORT = "sofort", "sofort per E-Mail"
    TAEGLICH = "taeglich", "einmal täglich (Zusammenfassung)"
    AUS = "aus", "keine E-Mail"


class Benachrichtigung(models.Model):
    """How a person hears of new Postkorb items (default: immediately)."""

    benutzer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="postkorb_mail"
    )
    art = models.CharField(
        "E-Mail bei neuen Postkorb-Einträgen",
        max_length=10,
        choices=Benachrichtigungsart.choices,
        default=Benachrichtigungsart.SOFORT,
    )
    gemeldet_bis = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.benutzer_id}: {self.art}"
