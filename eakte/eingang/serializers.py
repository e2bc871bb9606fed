from rest_framework import serializers

from aktenplan.models import Aktenplaneinheit
from eakte.geschaeftsgang import selectors as geschaeftsgang_selectors
from eakte.geschaeftsgang.models import Vorlage
from eakte.kommunen.models import Benutzer, Organisationseinheit

from .models import (
    REGELFELDER,
    Antrag,
    Plattform,
    Postfach,
    Regel,
    Rueckmeldung,
    Zulassung,
    Zustellpunkt,
)


class QuittungSerializer(serializers.ModelSerializer):
    """The receipt for the platform: our id, the Aktenzeichen (Vorgangszeichen), the status."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    aktenzeichen = serializers.SerializerMethodField()
    zugeordnet = serializers.SerializerMethodField()

    class Meta:
        model = Antrag
        fields = ["id", "referenz", "status", "aktenzeichen", "zugeordnet", "eingegangen_am"]

    def get_aktenzeichen(self, antrag) -> str:
        return antrag.vorgang.vorgangszeichen if antrag.vorgang_id else ""

    def get_zugeordnet(self, antrag) -> bool:
        return antrag.vorgang_id is not None


class AntragSerializer(serializers.ModelSerializer):
    plattform = serializers.CharField(source="plattform.name", read_only=True)
    vorgang = serializers.UUIDField(source="vorgang.uuid", read_only=True, default=None)
    aktenzeichen = serializers.SerializerMethodField()

    class Meta:
        model = Antrag
        fields = [
            "uuid",
            "plattform",
            "referenz",
            "leistung",
            "prozess_id",
            "antragsteller_name",
            "antragsteller_anschrift",
            "eingereicht_am",
            "eingegangen_am",
            "status",
            "vorgang",
            "aktenzeichen",
            "nicht_zugeordnet_grund",
            "geschaeftsgang_hinweis",
            "datenformat",
            "daten",
        ]
        read_only_fields = fields

    def get_aktenzeichen(self, antrag) -> str:
        return antrag.vorgang.vorgangszeichen if antrag.vorgang_id else ""


class UebermittelnSerializer(serializers.Serializer):
    dokument = serializers.UUIDField(help_text="UUID eines ausgehenden Dokuments des Vorgangs")


class RueckmeldungSerializer(serializers.ModelSerializer):
    antrag = serializers.UUIDField(source="antrag.uuid", read_only=True)
    dokument = serializers.UUIDField(source="dokument.uuid", read_only=True, default=None)

    class Meta:
        model = Rueckmeldung
        fields = [
            "uuid",
            "antrag",
            "ereignis",
            "dokument",
            "status",
            "versuche",
            "letzter_fehler",
            "angelegt_am",
            "letzter_versuch_am",
            "zugestellt_am",
        ]
        read_only_fields = fields


class RegelSerializer(serializers.ModelSerializer):
    verbundweit = serializers.BooleanField(
        write_only=True, default=False, help_text="Vorgabe des Verbunds (nur Digitallotsen)"
    )
    aktenplaneinheit = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Aktenplaneinheit.objects.all()
    )
    oe = serializers.SlugRelatedField(
        slug_field="uuid",
        queryset=Organisationseinheit.objects.none(),
        required=False,
        allow_null=True,
        help_text="UUID der federführenden OE (Regel der Kommune)",
    )
    vorlage = serializers.SlugRelatedField(
        slug_field="uuid",
        queryset=Vorlage.objects.none(),
        required=False,
        allow_null=True,
        help_text="UUID der Vorlage eines Geschäftsgangs (der Kommune oder des Verbunds, ohne "
        "Absender-Schritt), die für jeden zugeordneten Antrag gestartet wird",
    )
    vorgabe = serializers.SerializerMethodField()

    class Meta:
        model = Regel
        fields = ["uuid", *REGELFELDER, "verbundweit", "vorgabe"]
        read_only_fields = ["uuid", "vorgabe"]
        validators: list = []  # the service checks (German messages)

    def get_vorgabe(self, regel) -> bool:
        return regel.kommune_id is None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anfrage = self.context.get("request")
        if anfrage is not None and getattr(anfrage.user, "kommune_id", None):
            self.fields["vorlage"].queryset = geschaeftsgang_selectors.vorlagen_fuer(anfrage.user)
            self.fields["oe"].queryset = Organisationseinheit.objects.filter(
                kommune_id=anfrage.user.kommune_id
            )


class KanalSerializer(serializers.Serializer):
    art = serializers.ChoiceField(["plattform", "postfach", "fitconnect"])
    name = serializers.CharField()
    konto = serializers.CharField(help_text="Benutzername des Eingangskontos")
    letzter_abruf = serializers.DateTimeField(allow_null=True)
    letzter_fehler = serializers.CharField(allow_blank=True)


class PostfachSerializer(serializers.ModelSerializer):
    """A functional mailbox. `passwort` is write-only (never returned); empty or missing when
    changing keeps the stored one."""

    oe = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Organisationseinheit.objects.none(), required=False,
        allow_null=True, help_text="UUID der OE, der die Mails zugehen",
    )  # fmt: skip
    konto = serializers.SlugRelatedField(
        slug_field="username", queryset=Benutzer.objects.none(),
        help_text="Benutzername des Kontos, in dessen Namen abgelegt wird",
    )  # fmt: skip
    passwort = serializers.CharField(
        write_only=True, required=False, allow_blank=True, trim_whitespace=False,
        style={"input_type": "password"},
    )  # fmt: skip

    class Meta:
        model = Postfach
        fields = [
            "uuid", "name", "oe", "konto", "host", "port", "verschluesselung", "benutzername",
            "passwort", "ordner", "erledigt_ordner", "aktiv", "letzter_abruf", "letzter_fehler",
        ]  # fmt: skip
        read_only_fields = ["uuid", "letzter_abruf", "letzter_fehler"]
        extra_kwargs = {"aktiv": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anfrage = self.context.get("request")
        if anfrage is not None and getattr(anfrage.user, "kommune_id", None):
            eigene = {"kommune_id": anfrage.user.kommune_id}
            self.fields["oe"].queryset = Organisationseinheit.objects.filter(**eigene)
            self.fields["konto"].queryset = Benutzer.objects.filter(**eigene)


class ZulassungSerializer(serializers.ModelSerializer):
    """A platform allowed to deliver to the own Kommune, and the account filing in its name.
    POST for a platform already allowed changes the account."""

    plattform = serializers.SlugRelatedField(
        slug_field="kennung", queryset=Plattform.objects.none(),
        help_text="Client-Kennung einer aktiven Plattform des Verbunds",
    )  # fmt: skip
    plattform_name = serializers.CharField(source="plattform.name", read_only=True)
    konto = serializers.SlugRelatedField(
        slug_field="username", queryset=Benutzer.objects.none(),
        help_text="Benutzername des Eingangskontos der Kommune",
    )  # fmt: skip

    class Meta:
        model = Zulassung
        fields = ["uuid", "plattform", "plattform_name", "konto"]
        read_only_fields = ["uuid"]
        validators: list = []  # the service checks (German messages)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anfrage = self.context.get("request")
        if anfrage is not None and getattr(anfrage.user, "kommune_id", None):
            from .selectors import plattformen_im_verbund

            self.fields["plattform"].queryset = plattformen_im_verbund(anfrage.user)
            self.fields["konto"].queryset = Benutzer.objects.filter(
                kommune_id=anfrage.user.kommune_id
            )


class PlattformSerializer(serializers.ModelSerializer):
    """A platform of the Verbund (Verbund-Admin). The secret is only in the answer to POST."""

    kennung = serializers.CharField(max_length=80, help_text="Client-Kennung (nicht änderbar)")
    webhook_url = serializers.CharField(max_length=200, required=False, allow_blank=True)

    class Meta:
        model = Plattform
        fields = ["uuid", "name", "kennung", "webhook_url", "aktiv", "angelegt_am"]
        read_only_fields = ["uuid", "angelegt_am"]
        extra_kwargs = {"aktiv": {"required": False}}
        validators: list = []


class NeuePlattformSerializer(PlattformSerializer):
    geheimnis = serializers.CharField(
        read_only=True, help_text="nur in dieser Antwort: danach nie wieder abrufbar"
    )

    class Meta(PlattformSerializer.Meta):
        fields = [*PlattformSerializer.Meta.fields, "geheimnis"]


class ZustellpunktSerializer(serializers.ModelSerializer):
    """A FIT-Connect destination of the own Kommune. `client_secret` and the two private keys
    (JWK as JSON text) are write-only, never returned; empty or missing when changing keeps the
    stored ones."""

    plattform = serializers.SlugRelatedField(
        slug_field="kennung", queryset=Plattform.objects.none(),
        help_text="Client-Kennung der Plattform, deren Regeln und Eingangskonto gelten",
    )  # fmt: skip
    client_secret = serializers.CharField(
        write_only=True, required=False, allow_blank=True, trim_whitespace=False,
        style={"input_type": "password"},
    )  # fmt: skip
    entschluesselungsschluessel = serializers.CharField(
        write_only=True, required=False, allow_blank=True, help_text="privater JWK (JSON)"
    )
    signaturschluessel = serializers.CharField(
        write_only=True, required=False, allow_blank=True, help_text="privater JWK (JSON)"
    )

    class Meta:
        model = Zustellpunkt
        fields = [
            "uuid", "plattform", "destination_id", "token_url", "api_url", "client_id",
            "client_secret", "entschluesselungsschluessel", "signaturschluessel", "aktiv",
            "letzter_abruf", "letzter_fehler",
        ]  # fmt: skip
        read_only_fields = ["uuid", "letzter_abruf", "letzter_fehler"]
        extra_kwargs = {"aktiv": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anfrage = self.context.get("request")
        if anfrage is not None and getattr(anfrage.user, "kommune_id", None):
            self.fields["plattform"].queryset = Plattform.objects.filter(
                verbund_id=anfrage.user.kommune.verbund_id
            )
