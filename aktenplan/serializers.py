from rest_framework import serializers

from . import austausch
from .models import Aktenplan, Aktenplanaenderung, Aktenplaneinheit, Aussonderungsart


class AktenplanSerializer(serializers.ModelSerializer):
    verbund = serializers.CharField(source="verbund.slug", read_only=True)

    class Meta:
        model = Aktenplan
        fields = ["uuid", "name", "fassung", "trenner", "stellen", "gueltig_ab", "verbund"]
        read_only_fields = fields


class EinheitSerializer(serializers.ModelSerializer):
    uebergeordnet = serializers.CharField(
        source="parent.kennzeichen", read_only=True, allow_null=True
    )
    nachfolger = serializers.CharField(
        source="nachfolger.kennzeichen", read_only=True, allow_null=True
    )
    aufbewahrungsfrist = serializers.IntegerField(
        allow_null=True,
        min_value=0,
        max_value=austausch.MAX_FRIST,
        help_text="Jahre; null bedeutet unbefristet.",
    )

    class Meta:
        model = Aktenplaneinheit
        fields = [
            "uuid",
            "kennzeichen",
            "uebergeordnet",
            "ebene",
            "titel",
            "beschreibung",
            "aufbewahrungsfrist",
            "aussonderungsart",
            "gueltig_ab",
            "gueltig_bis",
            "stillgelegt",
            "nachfolger",
        ]
        read_only_fields = [
            "uuid",
            "kennzeichen",
            "uebergeordnet",
            "ebene",
            "stillgelegt",
            "nachfolger",
        ]


class EinheitAnlegenSerializer(EinheitSerializer):
    kennzeichen = serializers.CharField(max_length=100)
    uebergeordnet = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="Kennzeichen der übergeordneten Einheit; leer für die oberste Ebene.",
    )
    aussonderungsart = serializers.ChoiceField(choices=Aussonderungsart.choices)

    class Meta(EinheitSerializer.Meta):
        read_only_fields = ["uuid", "ebene", "stillgelegt", "nachfolger"]


class BaumknotenSerializer(serializers.Serializer):
    """A unit with its children, recursively (built from one query, see api.AktenplanViewSet)."""

    kennzeichen = serializers.CharField()
    titel = serializers.CharField()
    uuid = serializers.UUIDField()
    aufbewahrungsfrist = serializers.IntegerField(allow_null=True)
    aussonderungsart = serializers.CharField()
    stillgelegt = serializers.BooleanField()
    kinder = serializers.ListField(child=serializers.DictField())


class VerschiebenSerializer(serializers.Serializer):
    neues_kennzeichen = serializers.CharField(max_length=100)
    neue_obereinheit = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class StilllegenSerializer(serializers.Serializer):
    nachfolger = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class AenderungSerializer(serializers.ModelSerializer):
    einheit = serializers.CharField(source="einheit.kennzeichen")
    einheit_uuid = serializers.UUIDField(source="einheit.uuid")
    benutzer = serializers.CharField(source="benutzer.username", allow_null=True, default=None)
    kommune = serializers.CharField(source="kommune.slug", allow_null=True, default=None)

    class Meta:
        model = Aktenplanaenderung
        fields = [
            "zeitpunkt",
            "art",
            "einheit",
            "einheit_uuid",
            "benutzer",
            "kommune",
            "alt",
            "neu",
            "quelle",
        ]
        read_only_fields = fields


class ImportSerializer(serializers.Serializer):
    datei = serializers.FileField()
    probelauf = serializers.BooleanField(default=True)
    modus = serializers.ChoiceField(
        choices=list(austausch.MODI.items()),
        default=austausch.ERGAENZEN,
        help_text="ergaenzen: nur die Einheiten der Datei anlegen/ändern (Standard); "
        "ersetzen: fehlende Einheiten werden stillgelegt.",
    )
    bestaetigung = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=20,
        help_text="Bei ersetzen ohne Probelauf, wenn Einheiten stillgelegt werden: deren Anzahl.",
    )


class ImportergebnisSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    modus = serializers.CharField()
    angewendet = serializers.BooleanField()
    fehler = serializers.ListField(child=serializers.DictField())
    neu = serializers.ListField(child=serializers.CharField())
    geaendert = serializers.ListField(child=serializers.DictField())
    stillgelegt = serializers.ListField(child=serializers.CharField())
    unveraendert = serializers.IntegerField()
