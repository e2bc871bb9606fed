"""Serializers of the posteingang API (the views are in api.py)."""

from rest_framework import serializers

from .models import Posteingangseintrag


class PosteingangseintragSerializer(serializers.ModelSerializer):
    mime_typ = serializers.CharField(source="datei.mime_typ", read_only=True)
    groesse = serializers.IntegerField(source="datei.groesse", read_only=True)
    sha256 = serializers.CharField(source="datei.sha256", read_only=True)
    texterkennung = serializers.SerializerMethodField(
        help_text="Stand der Texterkennung: wartet, laeuft, fertig, fehler (null: nicht erfasst)"
    )
    seiten = serializers.SerializerMethodField()
    zugeordnet_zu = serializers.UUIDField(
        source="zugeordnet_zu.uuid", read_only=True, allow_null=True, help_text="Version"
    )
    dokument = serializers.UUIDField(
        source="zugeordnet_zu.dokument.uuid", read_only=True, allow_null=True
    )

    class Meta:
        model = Posteingangseintrag
        fields = [
            "uuid",
            "dateiname",
            "quelle",
            "eingegangen_am",
            "status",
            "bemerkung",
            "mime_typ",
            "groesse",
            "sha256",
            "texterkennung",
            "seiten",
            "zugeordnet_zu",
            "dokument",
            "zugeordnet_am",
        ]
        read_only_fields = fields

    def _verarbeitung(self, eintrag):
        return getattr(eintrag.datei, "verarbeitung", None)

    def get_texterkennung(self, eintrag) -> str | None:
        verarbeitung = self._verarbeitung(eintrag)
        return verarbeitung.status if verarbeitung else None

    def get_seiten(self, eintrag) -> int | None:
        verarbeitung = self._verarbeitung(eintrag)
        return verarbeitung.seiten if verarbeitung else None


class ZuordnenSerializer(serializers.Serializer):
    vorgang = serializers.UUIDField(help_text="ein offener Vorgang, in dem Sie schreiben dürfen")
    titel = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class VerwerfenSerializer(serializers.Serializer):
    grund = serializers.CharField(max_length=500)


class DeckblattAnfrageSerializer(serializers.Serializer):
    akte = serializers.UUIDField(required=False, help_text="für eine Akte (neuer Vorgang)")
    vorgang = serializers.UUIDField(required=False, help_text="für einen Vorgang")

    def validate(self, daten):
        if bool(daten.get("akte")) == bool(daten.get("vorgang")):
            raise serializers.ValidationError("Bitte genau eines angeben: akte oder vorgang.")
        return daten
