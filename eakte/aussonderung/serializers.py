from rest_framework import serializers

from .models import Aussonderungsvermerk, Datenschutzanfrage, Loeschlauf, Nachricht, Prozess


class AkteKurzSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    aktenzeichen = serializers.CharField()
    betreff = serializers.CharField()
    aufbewahrung_bis = serializers.DateField()
    art = serializers.CharField(help_text="A, B oder V (eigene Vorgabe der Akte oder Aktenplan)")


class AktenAuswahlSerializer(serializers.Serializer):
    akten = serializers.ListField(child=serializers.UUIDField(), max_length=5000)
    betreff_schwaerzen = serializers.BooleanField(required=False, default=False)


class NachrichtSerializer(serializers.ModelSerializer):
    class Meta:
        model = Nachricht
        fields = ["uuid", "typ", "eingehend", "dateiname", "groesse", "sha256", "erstellt_am"]


class ProzessSerializer(serializers.ModelSerializer):
    akten = serializers.SerializerMethodField()
    nachrichten = NachrichtSerializer(many=True, read_only=True)

    class Meta:
        model = Prozess
        fields = [
            "uuid",
            "status",
            "archiv_name",
            "angelegt_am",
            "bewertet_am",
            "abgegeben_am",
            "abgeschlossen_am",
            "abgabe_fehler",
            "akten",
            "nachrichten",
        ]

    def get_akten(self, prozess) -> list[dict]:
        return [
            {
                "akte": str(z.akte.uuid),
                "aktenzeichen": z.akte.aktenzeichen,
                "vorschlag": z.vorschlag,
                "entscheidung": z.entscheidung,
                "archivkennung": z.archivkennung,
            }
            for z in prozess.akten.select_related("akte").order_by("akte__aktenzeichen")
        ]


class DateiSerializer(serializers.Serializer):
    datei = serializers.FileField()


class NachweisSerializer(serializers.Serializer):
    nachweis = serializers.FileField()


class BewertenSerializer(serializers.Serializer):
    akte = serializers.UUIDField()
    entscheidung = serializers.ChoiceField(choices=["archivieren", "vernichten"])


class VermerkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Aussonderungsvermerk
        fields = [
            "aktenzeichen",
            "betreff",
            "beginn",
            "ende",
            "am",
            "verbleib",
            "vorgeschlagen_von",
            "genehmigt_von",
            "dateien_geloescht",
        ]


class LoeschlaufSerializer(serializers.ModelSerializer):
    vorgeschlagen_von = serializers.StringRelatedField()
    genehmigt_von = serializers.StringRelatedField()
    akten = serializers.SerializerMethodField()

    class Meta:
        model = Loeschlauf
        fields = [
            "uuid",
            "status",
            "betreff_schwaerzen",
            "vorgeschlagen_von",
            "vorgeschlagen_am",
            "genehmigt_von",
            "genehmigt_am",
            "akten",
        ]

    def get_akten(self, lauf) -> list[str]:
        return [str(u) for u in lauf.akten.values_list("akte__uuid", flat=True)]


class GrundSerializer(serializers.Serializer):
    grund = serializers.CharField(max_length=1000)


class VorgabeSerializer(serializers.Serializer):
    art = serializers.ChoiceField(choices=["A", "B", "V"])
    grund = serializers.CharField(max_length=1000)


class ArchivSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    kennung = serializers.CharField(max_length=100)
    kontakt = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    absender_kennung = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )


class AnfrageSerializer(serializers.ModelSerializer):
    frist = serializers.DateField(read_only=True)

    class Meta:
        model = Datenschutzanfrage
        fields = [
            "uuid",
            "art",
            "person",
            "suchbegriffe",
            "eingegangen_am",
            "beantwortet_am",
            "frist",
        ]
        read_only_fields = ["uuid", "beantwortet_am", "frist"]


class TrefferSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    titel = serializers.CharField()
    aktenzeichen = serializers.CharField(source="akte.aktenzeichen")
    absender = serializers.CharField()
    empfaenger = serializers.CharField()


class PaketSerializer(serializers.Serializer):
    dokumente = serializers.ListField(child=serializers.UUIDField(), max_length=2000)
