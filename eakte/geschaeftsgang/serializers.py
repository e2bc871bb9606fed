"""Serializers of the Geschäftsgang API (people and OEs by UUID)."""

from rest_framework import serializers

from eakte.kommunen.rollen import Rolle

from .models import (
    Benachrichtigungsart,
    Empfaengerart,
    Ergebnis,
    Geschaeftsgang,
    Schritt,
    Verfuegung,
    Vertretung,
    Vorlage,
    Vorlageschritt,
)


class SchrittSerializer(serializers.ModelSerializer):
    geschaeftsgang = serializers.UUIDField(source="geschaeftsgang.uuid", read_only=True)
    betreff = serializers.CharField(source="geschaeftsgang.betreff", read_only=True)
    vorgang = serializers.UUIDField(source="geschaeftsgang.vorgang.uuid", read_only=True)
    vorgangszeichen = serializers.CharField(
        source="geschaeftsgang.vorgang.vorgangszeichen", read_only=True
    )
    empfaenger = serializers.CharField(source="empfaenger_text", read_only=True)
    empfaenger_person = serializers.UUIDField(
        source="empfaenger_person.uuid", read_only=True, default=None
    )
    empfaenger_oe = serializers.UUIDField(source="empfaenger_oe.uuid", read_only=True, default=None)
    absender = serializers.CharField(source="absender.username", read_only=True, default=None)
    bearbeiter = serializers.CharField(source="bearbeiter.username", read_only=True, default=None)
    in_vertretung_fuer = serializers.CharField(
        source="in_vertretung_fuer.username", read_only=True, default=None
    )
    in_vertretung = serializers.SerializerMethodField()

    class Meta:
        model = Schritt
        fields = [
            "uuid",
            "geschaeftsgang",
            "betreff",
            "vorgang",
            "vorgangszeichen",
            "position",
            "verfuegung",
            "empfaenger",
            "empfaenger_person",
            "empfaenger_oe",
            "empfaenger_rolle",
            "frist",
            "notiz",
            "status",
            "absender",
            "aktiviert_am",
            "bearbeiter",
            "in_vertretung",
            "in_vertretung_fuer",
            "ergebnis",
            "bemerkung",
            "erledigt_am",
        ]
        read_only_fields = fields

    def get_in_vertretung(self, schritt) -> bool:
        return bool(getattr(schritt, "in_vertretung", False))


class GeschaeftsgangSerializer(serializers.ModelSerializer):
    vorgang = serializers.UUIDField(source="vorgang.uuid", read_only=True)
    dokument = serializers.UUIDField(source="dokument.uuid", read_only=True, default=None)
    gestartet_von = serializers.CharField(
        source="gestartet_von.username", read_only=True, default=None
    )
    schlussgezeichnet_von = serializers.CharField(
        source="schlussgezeichnet_von.username", read_only=True, default=None
    )
    schritte = SchrittSerializer(many=True, read_only=True)

    class Meta:
        model = Geschaeftsgang
        fields = [
            "uuid",
            "betreff",
            "vorgang",
            "dokument",
            "status",
            "gestartet_von",
            "gestartet_am",
            "abgeschlossen_am",
            "schlussgezeichnet_von",
            "signaturvermerk",
            "schritte",
        ]
        read_only_fields = fields


class SchrittEingabeSerializer(serializers.Serializer):
    verfuegung = serializers.ChoiceField(choices=Verfuegung.choices)
    person = serializers.UUIDField(required=False, allow_null=True)
    oe = serializers.UUIDField(required=False, allow_null=True)
    rolle = serializers.ChoiceField(choices=Rolle.choices, required=False, allow_blank=True)
    frist = serializers.DateField(required=False, allow_null=True)
    notiz = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    gruppe = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class StartSerializer(serializers.Serializer):
    vorgang = serializers.UUIDField()
    dokument = serializers.UUIDField(required=False, allow_null=True)
    vorlage = serializers.UUIDField(required=False, allow_null=True)
    betreff = serializers.CharField(required=False, allow_blank=True, max_length=500)
    schritte = SchrittEingabeSerializer(many=True, required=False)


class BearbeitenSerializer(serializers.Serializer):
    ergebnis = serializers.ChoiceField(choices=Ergebnis.choices)
    bemerkung = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    zurueck_an = serializers.UUIDField(
        required=False, allow_null=True, help_text="früherer Schritt (Ablehnung); leer: Absender"
    )
    weiter_an = SchrittEingabeSerializer(required=False, allow_null=True)
    elektronisch_signieren = serializers.BooleanField(
        required=False,
        default=False,
        help_text="bei der Schlusszeichnung: das PDF mit dem Zertifikat der Kommune signieren",
    )


class AbbrechenSerializer(serializers.Serializer):
    grund = serializers.CharField(max_length=500)


class VorlageschrittSerializer(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person.uuid", read_only=True, default=None)
    oe = serializers.UUIDField(source="oe.uuid", read_only=True, default=None)

    class Meta:
        model = Vorlageschritt
        fields = [
            "reihenfolge",
            "gruppe",
            "verfuegung",
            "art",
            "person",
            "oe",
            "rolle",
            "frist_tage",
            "notiz",
        ]
        read_only_fields = fields


class VorlageSerializer(serializers.ModelSerializer):
    verbundweit = serializers.SerializerMethodField()
    schritte = VorlageschrittSerializer(many=True, read_only=True)

    class Meta:
        model = Vorlage
        fields = ["uuid", "name", "beschreibung", "verbundweit", "schritte"]
        read_only_fields = fields

    def get_verbundweit(self, vorlage) -> bool:
        return vorlage.kommune_id is None


class VorlageschrittEingabeSerializer(serializers.Serializer):
    verfuegung = serializers.ChoiceField(choices=Verfuegung.choices)
    art = serializers.ChoiceField(choices=Empfaengerart.choices)
    person = serializers.UUIDField(required=False, allow_null=True)
    oe = serializers.UUIDField(required=False, allow_null=True)
    rolle = serializers.ChoiceField(choices=Rolle.choices, required=False, allow_blank=True)
    frist_tage = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    notiz = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    gruppe = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class VorlageEingabeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    beschreibung = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    verbundweit = serializers.BooleanField(required=False, default=False)
    schritte = VorlageschrittEingabeSerializer(many=True)


class VertretungSerializer(serializers.ModelSerializer):
    abwesend = serializers.UUIDField(source="abwesend.uuid", read_only=True)
    vertreter = serializers.SerializerMethodField()

    class Meta:
        model = Vertretung
        fields = ["uuid", "abwesend", "von", "bis", "vertreter", "grund"]
        read_only_fields = fields

    def get_vertreter(self, vertretung) -> list[str]:
        return [str(p.uuid) for p in vertretung.vertreter.all()]


class VertretungEingabeSerializer(serializers.Serializer):
    abwesend = serializers.UUIDField(required=False, allow_null=True, help_text="leer: selbst")
    von = serializers.DateField()
    bis = serializers.DateField()
    vertreter = serializers.ListField(child=serializers.UUIDField(), min_length=1)
    grund = serializers.CharField(required=False, allow_blank=True, max_length=200)


class BenachrichtigungSerializer(serializers.Serializer):
    art = serializers.ChoiceField(choices=Benachrichtigungsart.choices)
