"""Serializers of the Akteneinsicht API (the views are in api.py)."""

from rest_framework import serializers

from .models import Einsicht, EinsichtDokument, Empfaengerrolle, Zugriff, Zweitkanal


class EinsichtDokumentSerializer(serializers.ModelSerializer):
    dokument = serializers.UUIDField(source="dokument.uuid", read_only=True)
    titel = serializers.CharField(source="dokument.titel", read_only=True)
    schwaerzungen = serializers.IntegerField(source="schwaerzungen.count", read_only=True)
    freigabedatei_sha256 = serializers.CharField(
        source="freigabedatei.sha256", read_only=True, allow_null=True
    )

    class Meta:
        model = EinsichtDokument
        fields = [
            "uuid",
            "dokument",
            "titel",
            "freigegeben",
            "grund",
            "schwaerzungen",
            "freigabedatei_sha256",
        ]


class EinsichtSerializer(serializers.ModelSerializer):
    akte = serializers.UUIDField(source="akte.uuid", read_only=True)
    aktenzeichen = serializers.CharField(source="akte.aktenzeichen", read_only=True)
    dokumente = EinsichtDokumentSerializer(many=True, read_only=True)

    class Meta:
        model = Einsicht
        fields = [
            "uuid",
            "nummer",
            "akte",
            "aktenzeichen",
            "empfaenger_name",
            "empfaenger_email",
            "empfaenger_rolle",
            "gueltig_bis",
            "download_erlaubt",
            "zweitkanal",
            "zweitkanal_email",
            "status",
            "fehlversuche",
            "gesperrt_am",
            "freigegeben_am",
            "widerrufen_am",
            "angelegt_am",
            "dokumente",
        ]


class ZurueckgehaltenSerializer(serializers.Serializer):
    dokument = serializers.UUIDField()
    grund = serializers.CharField(max_length=500)


class EinsichtAnlegenSerializer(serializers.Serializer):
    akte = serializers.UUIDField()
    empfaenger_name = serializers.CharField(max_length=200)
    empfaenger_email = serializers.CharField(max_length=254)
    empfaenger_rolle = serializers.ChoiceField(
        choices=Empfaengerrolle.choices, default=Empfaengerrolle.BETEILIGT
    )
    gueltig_bis = serializers.DateField(required=False, help_text="Standard: heute + 14 Tage")
    download_erlaubt = serializers.BooleanField(default=False)
    zweitkanal = serializers.ChoiceField(
        choices=Zweitkanal.choices, default=Zweitkanal.BRIEF_TELEFON
    )
    zweitkanal_email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    dokumente = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        max_length=5000,
        help_text="Standard: alle Dokumente der Akte",
    )
    zurueckgehalten = ZurueckgehaltenSerializer(many=True, required=False)


class KastenSerializer(serializers.Serializer):
    seite = serializers.IntegerField(min_value=1)
    x0 = serializers.FloatField(help_text="Anteil der Seitenbreite von links (0 … 1)")
    y0 = serializers.FloatField(help_text="Anteil der Seitenhöhe von oben (0 … 1)")
    x1 = serializers.FloatField()
    y1 = serializers.FloatField()


class SchwaerzungenSerializer(serializers.Serializer):
    dokument = serializers.UUIDField(help_text="UUID des Einsicht-Dokuments")
    kaesten = KastenSerializer(many=True, max_length=2000)


class WortSerializer(serializers.Serializer):
    wort = serializers.CharField(max_length=200)


class ZurueckhaltenSerializer(serializers.Serializer):
    dokument = serializers.UUIDField(help_text="UUID des Einsicht-Dokuments")
    zurueckhalten = serializers.BooleanField()
    grund = serializers.CharField(max_length=500, required=False, allow_blank=True)


class FreigabeSerializer(serializers.Serializer):
    link = serializers.CharField()
    code = serializers.CharField(help_text="nur in dieser Antwort; per Brief/Telefon übermitteln")


class ZugriffSerializer(serializers.ModelSerializer):
    dokument = serializers.CharField(
        source="einsicht_dokument.dokument.titel", read_only=True, allow_null=True
    )

    class Meta:
        model = Zugriff
        fields = ["zeitpunkt", "art", "dokument", "seite", "ip_adresse"]
