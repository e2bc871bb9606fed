from rest_framework import serializers

from .models import Protokolleintrag


class ProtokolleintragSerializer(serializers.ModelSerializer):
    class Meta:
        model = Protokolleintrag
        fields = [
            "laufnummer",
            "zeitpunkt",
            "benutzer_name",
            "aktion",
            "objekt_typ",
            "objekt_uuid",
            "akte_uuid",
            "aktenzeichen",
            "beschreibung",
            "details",
            "ip_adresse",
            "systemgrund",
            "hash",
        ]
        read_only_fields = fields
