"""Records of a Kommune: Akte → Vorgang → Dokument → Version, and the stored files behind them.

Names follow xdomea where it has one (Akte, Vorgang, Dokument, Version, zdA, Federführung).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from eakte.common.mandantenbereich import Mandantenmanager
from eakte.common.models import TenantOwnedModel

from .dateiarten import in_worten


class Vertraulichkeit(models.TextChoices):
    OFFEN = "offen", "offen"
    NFD = "nfd", "VS – nur für den Dienstgebrauch"
    VERTRAULICH = "vertraulich", "vertraulich (personenbezogene Daten)"


class Dokumenttyp(models.TextChoices):
    EINGANG = "eingang", "Eingang"
    AUSGANG = "ausgang", "Ausgang"
    INTERN = "intern", "intern"


class Verbleib(models.TextChoices):
    """Where the content of an Akte went at the end of its life (set by the Aussonderung)."""

    ARCHIVIERT = "archiviert", "archiviert"
    GELOESCHT = "geloescht", "gelöscht"


class Akte(TenantOwnedModel):
    aktenplaneinheit = models.ForeignKey(
        "aktenplan.Aktenplaneinheit",
        on_delete=models.PROTECT,
        related_name="akten",
        verbose_name="Aktenplaneinheit",
    )
    betreff = models.CharField("Betreff", max_length=500)
    federfuehrende_oe = models.ForeignKey(
        "kommunen.Organisationseinheit",
        on_delete=models.PROTECT,
        related_name="federfuehrende_akten",
        verbose_name="federführende OE",
    )
    aktenfuehrende_oe = models.ForeignKey(
        "kommunen.Organisationseinheit",
        on_delete=models.PROTECT,
        related_name="aktenfuehrende_akten",
        verbose_name="aktenführende OE",
    )
    aktenzeichen = models.CharField("Aktenzeichen", max_length=150, editable=False)
    kennzeichen = models.CharField(
        "Kennzeichen bei Anlage",
        max_length=100,
        editable=False,
        help_text="Teil des Aktenzeichens; bleibt, auch wenn die Einheit umnummeriert wird.",
    )
    jahr = models.PositiveSmallIntegerField("Jahr", editable=False)
    laufende_nummer = models.PositiveIntegerField("laufende Nummer", editable=False)
    vertraulichkeit = models.CharField(
        "Vertraulichkeit",
        max_length=20,
        choices=Vertraulichkeit.choices,
        default=Vertraulichkeit.OFFEN,
    )
    beginn = models.DateField("Laufzeit von")
    ende = models.DateField("Laufzeit bis", null=True, blank=True)
    zda_am = models.DateField("zdA am", null=True, blank=True)
    zda_durch = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="zdA verfügt von",
    )
    aufbewahrung_bis = models.DateField("aufzubewahren bis", null=True, blank=True)
    letzte_vorgangsnummer = models.PositiveIntegerField(default=0, editable=False)
    angelegt_am = models.DateTimeField("angelegt am", auto_now_add=True)
    angelegt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="angelegt von",
    )
    geaendert_am = models.DateTimeField("geändert am", auto_now=True)
    # Set only by the Aussonderung (layer 6) through services.akte_aussondern_ungeprueft and
    # services.loeschsperre_vermerken_ungeprueft: a handed-over or deleted Akte is a read-only
    # stub; an active Löschsperre is shown wherever the Akte appears, without a further query.
    verbleib = models.CharField(
        "Verbleib", max_length=12, choices=Verbleib.choices, blank=True, editable=False
    )
    ausgesondert_am = models.DateTimeField("ausgesondert am", null=True, blank=True, editable=False)
    ausgesondert_nach = models.CharField(
        "ausgesondert (an / durch)", max_length=300, blank=True, editable=False
    )
    loeschsperre_grund = models.CharField(
        "Grund der Löschsperre", max_length=1000, blank=True, editable=False
    )

    class Meta:
        verbose_name = "Akte"
        verbose_name_plural = "Akten"
        ordering = ["-angelegt_am", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kommune", "aktenzeichen"], name="akte_aktenzeichen_eindeutig"
            ),
            models.UniqueConstraint(  # 0: provisional until the end of its transaction
                fields=["kommune", "kennzeichen", "jahr", "laufende_nummer"],
                condition=models.Q(laufende_nummer__gt=0),
                name="akte_nummer_eindeutig",
            ),
        ]
        indexes = [
            models.Index(
                fields=["kommune", "federfuehrende_oe", "-angelegt_am"], name="akte_oe_idx"
            ),
            models.Index(fields=["kommune", "-angelegt_am"], name="akte_kommune_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.aktenzeichen} {self.betreff}"

    @property
    def ist_zda(self) -> bool:
        return self.zda_am is not None

    @property
    def ist_ausgesondert(self) -> bool:
        return bool(self.verbleib)

    @property
    def hat_loeschsperre(self) -> bool:
        return bool(self.loeschsperre_grund)

    @property
    def verbleib_text(self) -> str:
        """E.g. "archiviert am 05.12.2026 (an Staatsarchiv)", "gelöscht am … (Löschlauf …)"."""
        if not self.verbleib:
            return ""
        am = self.ausgesondert_am
        am = timezone.localtime(am).strftime("%d.%m.%Y") if am else "?"
        text = f"{Verbleib(self.verbleib).label} am {am}"
        return f"{text} ({self.ausgesondert_nach})" if self.ausgesondert_nach else text

    @property
    def ausgesondert_meldung(self) -> str:
        return (
            f"Die Akte ist {self.verbleib_text} und nur noch ein Nachweis: "
            "sie kann nicht mehr geändert, freigegeben oder wieder eröffnet werden."
        )


class Aktenzeichenzaehler(models.Model):
    """The last number given per Kommune, Kennzeichen and year (the row lock makes it gap-free)."""

    kommune = models.ForeignKey("kommunen.Kommune", on_delete=models.PROTECT, related_name="+")
    kennzeichen = models.CharField(max_length=100)
    jahr = models.PositiveSmallIntegerField()
    letzte_nummer = models.PositiveIntegerField()

    objects = Mandantenmanager()
    alle = models.Manager()  # noqa: DJ012 (ruff takes Mandantenmanager for a field)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kommune", "kennzeichen", "jahr"], name="zaehler_eindeutig"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kennzeichen}/{self.jahr}: {self.letzte_nummer}"


class AkteBenutzerfreigabe(UserObjectPermissionBase):
    """django-guardian's direct-FK table for grants on single Akten (no text-cast ids)."""

    content_object = models.ForeignKey(Akte, on_delete=models.CASCADE, related_name="freigaben")
    # when the share was made: the start page of the person lists new shares (issue 16)
    angelegt_am = models.DateTimeField("freigegeben am", auto_now_add=True, null=True)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "Freigabe einer Akte"
        verbose_name_plural = "Freigaben von Akten"


class Freigabegruppe(models.Model):
    """The Django group that stands for a whole OE when an Akte is shared with that OE.

    Nobody is put into the group: who belongs to it is read from the OE's members at the moment
    of the check (eakte.akten.selectors), so a person joining or leaving the OE gains or loses
    the shared Akten at once, with no second membership list to keep in step.
    """

    oe = models.OneToOneField(
        "kommunen.Organisationseinheit", on_delete=models.CASCADE, related_name="freigabegruppe"
    )
    gruppe = models.OneToOneField(
        "auth.Group", on_delete=models.CASCADE, related_name="freigabe_oe"
    )

    class Meta:
        verbose_name = "Freigabegruppe einer OE"
        verbose_name_plural = "Freigabegruppen der OEs"

    def __str__(self) -> str:
        return str(self.oe)


class AkteGruppenfreigabe(GroupObjectPermissionBase):
    """django-guardian's direct-FK table for grants on single Akten to a whole OE."""

    content_object = models.ForeignKey(
        Akte, on_delete=models.CASCADE, related_name="gruppenfreigaben"
    )

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "Freigabe einer Akte an eine OE"
        verbose_name_plural = "Freigaben von Akten an OEs"


class Vorgang(TenantOwnedModel):
    akte = models.ForeignKey(
        Akte, on_delete=models.PROTECT, related_name="vorgaenge", verbose_name="Akte"
    )
    nummer = models.PositiveIntegerField("Nummer", editable=False)
    vorgangszeichen = models.CharField("Vorgangszeichen", max_length=170, editable=False)
    betreff = models.CharField("Betreff", max_length=500)
    zda_am = models.DateField("zdA am", null=True, blank=True)
    zda_durch = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="zdA verfügt von",
    )
    angelegt_am = models.DateTimeField("angelegt am", auto_now_add=True)
    angelegt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="angelegt von",
    )

    class Meta:
        verbose_name = "Vorgang"
        verbose_name_plural = "Vorgänge"
        ordering = ["akte", "nummer"]
        constraints = [
            models.UniqueConstraint(fields=["akte", "nummer"], name="vorgang_nummer_eindeutig"),
        ]
        # the cockpit's daily roll-up counts the Vorgänge of a day (issue 21)
        indexes = [models.Index(fields=["kommune", "angelegt_am"], name="vorgang_kommune_tag_idx")]

    def __str__(self) -> str:
        return f"{self.vorgangszeichen} {self.betreff}"

    @property
    def ist_zda(self) -> bool:
        return self.zda_am is not None


class Datei(models.Model):
    """A stored file, addressed by its SHA-256; written once, never changed, shared by versions."""

    kommune = models.ForeignKey("kommunen.Kommune", on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField("SHA-256", max_length=64)
    groesse = models.PositiveBigIntegerField("Größe (Bytes)")
    mime_typ = models.CharField("Dateityp", max_length=150)
    speicherort = models.CharField(max_length=300, unique=True)
    angelegt_am = models.DateTimeField(auto_now_add=True)

    objects = Mandantenmanager()
    alle = models.Manager()  # noqa: DJ012 (ruff takes Mandantenmanager for a field)

    class Meta:
        verbose_name = "gespeicherte Datei"
        verbose_name_plural = "gespeicherte Dateien"
        constraints = [
            models.UniqueConstraint(fields=["kommune", "sha256"], name="datei_inhalt_eindeutig"),
        ]

    def __str__(self) -> str:
        return self.sha256

    @property
    def art_in_worten(self) -> str:
        """'PDF-Dokument', 'Word-Dokument' … for people; the MIME type stays for programs."""
        return in_worten(self.mime_typ)


class Dokument(TenantOwnedModel):
    akte = models.ForeignKey(
        Akte, on_delete=models.PROTECT, related_name="dokumente", verbose_name="Akte"
    )
    vorgang = models.ForeignKey(
        Vorgang, on_delete=models.PROTECT, related_name="dokumente", verbose_name="Vorgang"
    )
    titel = models.CharField("Titel", max_length=500)
    typ = models.CharField(
        "Art", max_length=20, choices=Dokumenttyp.choices, default=Dokumenttyp.EINGANG
    )
    posteingangsdatum = models.DateField("Posteingangsdatum", null=True, blank=True)
    postausgangsdatum = models.DateField("Postausgangsdatum", null=True, blank=True)
    absender = models.CharField("Absender", max_length=300, blank=True)
    empfaenger = models.CharField("Empfänger", max_length=300, blank=True)
    bemerkung = models.TextField("Bemerkung", blank=True)
    anlage_zu = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="anlagen",
        verbose_name="Anlage zu",
        help_text="Die E-Mail, aus der dieses Dokument als Anlage übernommen wurde.",
    )
    letzte_versionsnummer = models.PositiveIntegerField(default=0, editable=False)
    schlussgezeichnete_version = models.ForeignKey(
        "Version",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="schlussgezeichnete Version",
        help_text="Eingefroren durch die Schlusszeichnung eines Geschäftsgangs: keine neue "
        "Version ohne neuen Geschäftsgang.",
    )
    angelegt_am = models.DateTimeField("angelegt am", auto_now_add=True)
    angelegt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="angelegt von",
    )
    geaendert_am = models.DateTimeField("geändert am", auto_now=True)
    # Stornierung (issue 16): filed by mistake. Kept for the record, hidden from lists and the
    # search by default, no new Versions.
    storniert_am = models.DateTimeField("storniert am", null=True, blank=True)
    storniert_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="storniert von",
    )
    stornierungsgrund = models.TextField("Grund der Stornierung", blank=True)

    class Meta:
        verbose_name = "Dokument"
        verbose_name_plural = "Dokumente"
        ordering = ["-angelegt_am", "-id"]
        indexes = [
            models.Index(fields=["akte", "-angelegt_am"], name="dokument_akte_idx"),
            models.Index(fields=["vorgang", "-angelegt_am"], name="dokument_vorgang_idx"),
        ]

    def __str__(self) -> str:
        return self.titel


class Version(TenantOwnedModel):
    """One uploaded state of a Dokument. Never changed; a new state is a new Version."""

    dokument = models.ForeignKey(
        Dokument, on_delete=models.PROTECT, related_name="versionen", verbose_name="Dokument"
    )
    nummer = models.PositiveIntegerField("Version", editable=False)
    datei = models.ForeignKey(Datei, on_delete=models.PROTECT, related_name="versionen")
    dateiname = models.CharField("Dateiname", max_length=255)
    kommentar = models.CharField("Kommentar", max_length=500, blank=True)
    hochgeladen_am = models.DateTimeField("hochgeladen am", auto_now_add=True)
    hochgeladen_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="hochgeladen von",
    )

    class Meta:
        verbose_name = "Version"
        verbose_name_plural = "Versionen"
        ordering = ["dokument", "-nummer"]
        constraints = [
            models.UniqueConstraint(fields=["dokument", "nummer"], name="version_nummer_eindeutig"),
        ]
        # the cockpit's daily roll-up reads the filings of a day (issue 21)
        indexes = [
            models.Index(fields=["kommune", "hochgeladen_am"], name="version_kommune_tag_idx")
        ]

    def __str__(self) -> str:
        return f"{self.dateiname} (Version {self.nummer})"


class Wiedervorlage(TenantOwnedModel):
    """ "Show me this again on …": a date and a note for one person on an Akte or Vorgang."""

    benutzer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="wiedervorlagen",
        verbose_name="für",
    )
    akte = models.ForeignKey(
        Akte, on_delete=models.PROTECT, related_name="wiedervorlagen", verbose_name="Akte"
    )
    vorgang = models.ForeignKey(
        Vorgang,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wiedervorlagen",
        verbose_name="Vorgang",
    )
    datum = models.DateField("Wiedervorlage am")
    notiz = models.CharField("Notiz", max_length=500, blank=True)
    erledigt_am = models.DateTimeField("erledigt am", null=True, blank=True)
    gemeldet_am = models.DateField(
        "per E-Mail gemeldet am",
        null=True,
        blank=True,
        help_text="Tag der täglichen Erinnerungs-E-Mail; eine Wiedervorlage wird einmal gemeldet.",
    )
    angelegt_am = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Wiedervorlage"
        verbose_name_plural = "Wiedervorlagen"
        ordering = ["datum", "id"]
        indexes = [
            models.Index(fields=["benutzer", "erledigt_am", "datum"], name="wv_faellig_idx"),
        ]

    def __str__(self) -> str:
        return f"Wv. {self.datum:%d.%m.%Y}: {self.akte_id}"
