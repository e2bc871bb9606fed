"""The inbound channel for process platforms (Civento or any OZG portal).

- `Plattform`: a registered client of the Verbund (credentials, webhook address). Its secret is
  kept encrypted (geheimnis.py): HMAC verification needs the secret itself, a hash would not do.
- `Zulassung`: which Kommune a platform may deliver into, and the person of that Kommune in
  whose name its submissions are filed (the system creates no records of its own).
- `Regel`: Leistung → Aktenplaneinheit, federführende OE, new Akte or existing Akte by key;
  Verbund-wide defaults (kommune empty, OE by Kürzel) and rules of one Kommune (OE chosen).
- `Antrag`: one accepted submission (idempotent per platform reference).
- `Aktenschluessel`: which Akte holds the submissions of one key value (e.g. a Flurstück).
- `Rueckmeldung`: one signed webhook to the platform and its delivery log.
"""

import uuid

from django.conf import settings
from django.db import models

from eakte.common.models import TenantOwnedModel


class Plattform(models.Model):
    verbund = models.ForeignKey(
        "kommunen.Verbund", on_delete=models.PROTECT, related_name="+", verbose_name="Verbund"
    )
    name = models.CharField("Name", max_length=200)
    kennung = models.SlugField("Client-Kennung", max_length=80, unique=True)
    geheimnis = models.TextField("Geheimnis (verschlüsselt)", editable=False)
    webhook_url = models.URLField("Webhook-Adresse", blank=True)
    aktiv = models.BooleanField("aktiv", default=True)
    angelegt_am = models.DateTimeField("angelegt am", auto_now_add=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = "Plattform"
        verbose_name_plural = "Plattformen"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Zulassung(TenantOwnedModel):
    plattform = models.ForeignKey(
        Plattform, on_delete=models.CASCADE, related_name="zulassungen", verbose_name="Plattform"
    )
    konto = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="ablegen im Namen von",
        help_text="Eingangskonto der Kommune, in dessen Namen Akten und Vorgänge angelegt werden",
    )

    class Meta:
        verbose_name = "Zulassung"
        verbose_name_plural = "Zulassungen"
        constraints = [
            models.UniqueConstraint(
                fields=["plattform", "kommune"], name="zulassung_einmal_je_kommune"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plattform} → {self.kommune_id}"


class Ablage(models.TextChoices):
    NEUE_AKTE = "neue_akte", "neue Akte je Antrag"
    AKTE_JE_SCHLUESSEL = "akte_je_schluessel", "Vorgang in der Akte zum Schlüssel"


# the fields a person sets on a rule (form, API)
REGELFELDER = [
    "leistung",
    "bezeichnung",
    "aktenplaneinheit",
    "oe",
    "oe_kuerzel",
    "ablage",
    "schluesselfeld",
    "vorlage",
]


class Regel(models.Model):
    """A routing rule. `kommune` empty: a default of the Verbund (maintained by Digitallotsen),
    the OE is then found by its Kürzel in the destination Kommune. A rule of the Kommune wins."""

    verbund = models.ForeignKey(
        "kommunen.Verbund", on_delete=models.PROTECT, related_name="+", verbose_name="Verbund"
    )
    kommune = models.ForeignKey(
        "kommunen.Kommune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Kommune",
        help_text="leer: Vorgabe für den ganzen Verbund",
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    leistung = models.CharField(
        "Leistung",
        max_length=100,
        help_text="FIM-Leistungsschlüssel oder Prozesskennung der Plattform",
    )
    bezeichnung = models.CharField("Bezeichnung", max_length=200)
    aktenplaneinheit = models.ForeignKey(
        "aktenplan.Aktenplaneinheit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="Aktenplaneinheit",
    )
    oe = models.ForeignKey(
        "kommunen.Organisationseinheit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="federführende OE",
    )
    oe_kuerzel = models.CharField(
        "Kürzel der federführenden OE",
        max_length=20,
        blank=True,
        help_text="für Vorgaben des Verbunds: die OE mit diesem Kürzel in der Kommune",
    )
    ablage = models.CharField(
        "Ablage", max_length=20, choices=Ablage.choices, default=Ablage.NEUE_AKTE
    )
    schluesselfeld = models.CharField(
        "Schlüsselfeld",
        max_length=100,
        blank=True,
        help_text="Feld der Antragsdaten, das die Akte bestimmt (z. B. flurstueck)",
    )
    vorlage = models.ForeignKey(
        "geschaeftsgang.Vorlage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Geschäftsgang (Vorlage)",
        help_text="wird für jeden zugeordneten Antrag am neuen Vorgang gestartet",
    )
    geaendert_am = models.DateTimeField("geändert am", auto_now=True)

    class Meta:
        verbose_name = "Zuordnungsregel"
        verbose_name_plural = "Zuordnungsregeln"
        ordering = ["leistung", "kommune_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kommune", "leistung"],
                name="regel_einmal_je_kommune",
                violation_error_message="Für diese Leistung gibt es hier schon eine Regel.",
            ),
            models.UniqueConstraint(
                fields=["verbund", "leistung"],
                condition=models.Q(kommune__isnull=True),
                name="vorgabe_einmal_je_verbund",
                violation_error_message="Für diese Leistung gibt es schon eine Vorgabe.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bezeichnung} ({self.leistung})"


class Antragsstatus(models.TextChoices):
    EINGEGANGEN = "eingegangen", "eingegangen"
    IN_BEARBEITUNG = "in_bearbeitung", "in Bearbeitung"
    ABGESCHLOSSEN = "abgeschlossen", "abgeschlossen"


class Datenformat(models.TextChoices):
    JSON = "json", "JSON"
    XML = "xml", "XML"


class Antrag(TenantOwnedModel):
    plattform = models.ForeignKey(
        Plattform, on_delete=models.PROTECT, related_name="+", verbose_name="Plattform"
    )
    referenz = models.CharField("Referenz der Plattform", max_length=200)
    idempotenz_schluessel = models.CharField("Idempotency-Key", max_length=200, blank=True)
    leistung = models.CharField("Leistung", max_length=100)
    prozess_id = models.CharField("Prozesskennung", max_length=200, blank=True)
    antragsteller_name = models.CharField("Antragsteller", max_length=300)
    antragsteller_anschrift = models.CharField("Anschrift", max_length=500, blank=True)
    eingereicht_am = models.DateTimeField("eingereicht am")
    eingegangen_am = models.DateTimeField("eingegangen am", auto_now_add=True)
    daten = models.TextField("Antragsdaten (wie empfangen)", blank=True)
    datenformat = models.CharField(
        "Format", max_length=4, choices=Datenformat.choices, default=Datenformat.JSON
    )
    status = models.CharField(
        "Status", max_length=20, choices=Antragsstatus.choices, default=Antragsstatus.EINGEGANGEN
    )
    regel = models.ForeignKey(
        Regel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Regel",
    )
    vorgang = models.ForeignKey(
        "akten.Vorgang",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Vorgang",
    )
    nicht_zugeordnet_grund = models.TextField("nicht zugeordnet, weil", blank=True)
    geschaeftsgang_hinweis = models.TextField("Geschäftsgang nicht gestartet, weil", blank=True)

    class Meta:
        verbose_name = "Antrag"
        verbose_name_plural = "Anträge"
        ordering = ["-eingegangen_am", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plattform", "referenz"], name="antrag_einmal_je_referenz"
            ),
            models.UniqueConstraint(
                fields=["plattform", "idempotenz_schluessel"],
                condition=~models.Q(idempotenz_schluessel=""),
                name="antrag_einmal_je_idempotenz",
            ),
        ]
        indexes = [models.Index(fields=["vorgang"], name="antrag_vorgang_idx")]

    def __str__(self) -> str:
        return f"Antrag {self.referenz}"


class Aktenschluessel(TenantOwnedModel):
    """The Akte that collects the submissions of one key value of one rule's Leistung."""

    leistung = models.CharField("Leistung", max_length=100)
    wert = models.CharField("Schlüssel", max_length=300)
    akte = models.ForeignKey(
        "akten.Akte", on_delete=models.PROTECT, related_name="+", verbose_name="Akte"
    )

    class Meta:
        verbose_name = "Aktenschlüssel"
        verbose_name_plural = "Aktenschlüssel"
        constraints = [
            models.UniqueConstraint(
                fields=["kommune", "leistung", "wert"], name="aktenschluessel_eindeutig"
            )
        ]


class Ereignis(models.TextChoices):
    DOKUMENT = "dokument", "Dokument an Antragsteller"
    ABGESCHLOSSEN = "abgeschlossen", "Vorgang abgeschlossen"


class Zustellstatus(models.TextChoices):
    OFFEN = "offen", "wird zugestellt"
    ZUGESTELLT = "zugestellt", "zugestellt"
    FEHLGESCHLAGEN = "fehlgeschlagen", "fehlgeschlagen"


class Rueckmeldung(TenantOwnedModel):
    antrag = models.ForeignKey(
        Antrag, on_delete=models.PROTECT, related_name="rueckmeldungen", verbose_name="Antrag"
    )
    ereignis = models.CharField("Ereignis", max_length=20, choices=Ereignis.choices)
    dokument = models.ForeignKey(
        "akten.Dokument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Dokument",
    )
    status = models.CharField(
        "Status", max_length=20, choices=Zustellstatus.choices, default=Zustellstatus.OFFEN
    )
    versuche = models.PositiveIntegerField("Versuche", default=0)
    letzter_fehler = models.TextField("letzter Fehler", blank=True)
    angelegt_am = models.DateTimeField("angelegt am", auto_now_add=True)
    angelegt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="veranlasst von",
    )
    letzter_versuch_am = models.DateTimeField("letzter Versuch", null=True, blank=True)
    zugestellt_am = models.DateTimeField("zugestellt am", null=True, blank=True)

    class Meta:
        verbose_name = "Rückmeldung"
        verbose_name_plural = "Rückmeldungen"
        ordering = ["-angelegt_am", "-id"]


class Verschluesselung(models.TextChoices):
    SSL = "ssl", "IMAPS (TLS ab Verbindungsbeginn)"
    STARTTLS = "starttls", "STARTTLS"


class Postfach(TenantOwnedModel):
    """A functional mailbox (e.g. bauamt@erbach.de) polled over IMAP with TLS. Its password is
    stored encrypted like the platform secrets (geheimnis.py). Mail is filed in the name of
    `konto` (a member of the OE), into the Akte named in the subject or else the Posteingang."""

    name = models.CharField("Adresse", max_length=200)
    oe = models.ForeignKey(
        "kommunen.Organisationseinheit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Organisationseinheit",
    )
    konto = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="ablegen im Namen von",
    )
    host = models.CharField("IMAP-Server", max_length=200)
    port = models.PositiveIntegerField("Port", default=993)
    verschluesselung = models.CharField(
        "Verschlüsselung",
        max_length=10,
        choices=Verschluesselung.choices,
        default=Verschluesselung.SSL,
    )
    benutzername = models.CharField("Benutzername", max_length=200)
    passwort = models.TextField("Passwort (verschlüsselt)", editable=False)
    ordner = models.CharField("Ordner", max_length=200, default="INBOX")
    erledigt_ordner = models.CharField(
        "nach dem Abholen verschieben nach",
        max_length=200,
        blank=True,
        help_text="leer: die Nachricht bleibt im Ordner und wird markiert",
    )
    aktiv = models.BooleanField("aktiv", default=True)
    letzter_abruf = models.DateTimeField("letzter Abruf", null=True, blank=True)
    letzter_fehler = models.TextField("letzter Fehler", blank=True)

    class Meta:
        verbose_name = "Funktionspostfach"
        verbose_name_plural = "Funktionspostfächer"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Mail(TenantOwnedModel):
    """One message taken from a mailbox; unique per Kommune by Message-ID (dedup)."""

    postfach = models.ForeignKey(
        Postfach, on_delete=models.PROTECT, related_name="mails", verbose_name="Postfach"
    )
    message_id = models.CharField("Message-ID", max_length=500)
    betreff = models.CharField("Betreff", max_length=500, blank=True)
    absender = models.CharField("Absender", max_length=500, blank=True)
    eingegangen_am = models.DateTimeField("abgeholt am", auto_now_add=True)
    dokument = models.ForeignKey(
        "akten.Dokument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Dokument",
    )
    eintrag = models.ForeignKey(
        "posteingang.Posteingangseintrag",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Posteingangseintrag",
    )
    hinweise = models.TextField("Hinweise", blank=True)

    class Meta:
        verbose_name = "abgeholte E-Mail"
        verbose_name_plural = "abgeholte E-Mails"
        ordering = ["-eingegangen_am", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kommune", "message_id"], name="mail_einmal_je_kommune")
        ]


class Zustellpunkt(TenantOwnedModel):
    """A FIT-Connect destination (Zustellpunkt) of the Kommune, polled as a subscriber.

    Submissions are handed to the same intake as the platforms' (`plattform`: its rules and
    Zulassung apply). Client secret and the destination's private keys (JWK: decryption, and
    signing the Security Event Tokens) are stored encrypted (geheimnis.py)."""

    plattform = models.ForeignKey(
        Plattform, on_delete=models.PROTECT, related_name="+", verbose_name="Plattform"
    )
    destination_id = models.UUIDField("Destination-ID")
    token_url = models.URLField("Token-URL")
    api_url = models.URLField("Submission-API-URL")
    client_id = models.CharField("Client-ID", max_length=200)
    client_secret = models.TextField("Client-Secret (verschlüsselt)", editable=False)
    entschluesselungsschluessel = models.TextField("privater Schlüssel (JWK, verschlüsselt)")
    signaturschluessel = models.TextField("Signaturschlüssel (JWK, verschlüsselt)")
    aktiv = models.BooleanField("aktiv", default=True)
    letzter_abruf = models.DateTimeField("letzter Abruf", null=True, blank=True)
    letzter_fehler = models.TextField("letzter Fehler", blank=True)

    class Meta:
        verbose_name = "FIT-Connect-Zustellpunkt"
        verbose_name_plural = "FIT-Connect-Zustellpunkte"
        constraints = [
            models.UniqueConstraint(fields=["destination_id"], name="zustellpunkt_eindeutig")
        ]

    def __str__(self) -> str:
        return f"FIT-Connect {self.destination_id}"


class Antwortkennung(TenantOwnedModel):
    """The reply token of one Vorgang ("[#V-…]" in a subject): random, unguessable, given once.
    A mail to a functional mailbox of the same Kommune whose subject carries it is filed into
    that Vorgang (mail_abruf.py); a token of another Kommune is never followed."""

    vorgang = models.OneToOneField(
        "akten.Vorgang", on_delete=models.CASCADE, related_name="+", verbose_name="Vorgang"
    )
    kennung = models.CharField("Antwortkennung", max_length=40, unique=True)
    angelegt_am = models.DateTimeField("angelegt am", auto_now_add=True)

    class Meta:
        verbose_name = "Antwortkennung"
        verbose_name_plural = "Antwortkennungen"

    def __str__(self) -> str:
        return f"[#{self.kennung}]"
