"""Serializers of the ocr API (the views are in api.py)."""

from rest_framework import serializers

from .models import Status, Verfahren


class VerarbeitungSerializer(serializers.Serializer):
    version = serializers.UUIDField(source="uuid", read_only=True)
    dateiname = serializers.CharField(read_only=True)
    dokument = serializers.UUIDField(source="dokument.uuid", read_only=True)
    aktenzeichen = serializers.CharField(source="dokument.akte.aktenzeichen", read_only=True)
    status = serializers.ChoiceField(
        choices=Status.choices, source="datei.verarbeitung.status", read_only=True
    )
    verfahren = serializers.ChoiceField(
        choices=Verfahren.choices,
        source="datei.verarbeitung.verfahren",
        read_only=True,
        allow_blank=True,
        help_text="leer, solange die Verarbeitung nicht fertig ist",
    )
    seite = serializers.IntegerField(source="datei.verarbeitung.seite", read_only=True)
    seiten = serializers.IntegerField(
        source="datei.verarbeitung.seiten", read_only=True, allow_null=True
    )
    meldung = serializers.CharField(source="datei.verarbeitung.meldung", read_only=True)
    versuche = serializers.IntegerField(source="datei.verarbeitung.versuche", read_only=True)
    dauerhaft = serializers.BooleanField(
        source="datei.verarbeitung.dauerhaft",
        read_only=True,
        help_text="Der Fehler liegt in der Datei selbst: erneut versuchen hilft nicht.",
    )
    lebenszeichen = serializers.DateTimeField(
        source="datei.verarbeitung.lebenszeichen",
        read_only=True,
        allow_null=True,
        help_text="Letztes Lebenszeichen des Workers, solange die Verarbeitung läuft.",
    )
    ohne_lebenszeichen = serializers.BooleanField(
        source="datei.verarbeitung.ohne_lebenszeichen",
        read_only=True,
        help_text="Läuft, aber der Worker meldet sich nicht mehr; wird automatisch neu gestartet.",
    )
    fertig_am = serializers.DateTimeField(
        source="datei.verarbeitung.fertig_am", read_only=True, allow_null=True
    )
    hat_archivversion = serializers.SerializerMethodField()
    anlagen = serializers.SerializerMethodField(
        help_text="Namen der Anlagen einer E-Mail, die als eigene Dokumente abgelegt werden."
    )
    transfervermerk = serializers.JSONField(
        source="datei.verarbeitung.transfervermerk", read_only=True
    )

    def get_anlagen(self, version) -> list[str]:
        return [anlage["name"] for anlage in version.datei.verarbeitung.anlagen]

    def get_hat_archivversion(self, version) -> bool:
        return version.datei.verarbeitung.archiv_id is not None
