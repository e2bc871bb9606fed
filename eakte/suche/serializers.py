"""Serializers of the suche API (the views are in api.py)."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers


class SuchFacettenwertSerializer(serializers.Serializer):
    wert = serializers.CharField()
    titel = serializers.CharField()
    anzahl = serializers.IntegerField()


class SuchFacettenSerializer(serializers.Serializer):
    kommune = SuchFacettenwertSerializer(many=True)
    aktenplan = SuchFacettenwertSerializer(many=True)
    oe = SuchFacettenwertSerializer(many=True)
    typ = SuchFacettenwertSerializer(many=True)
    zda = SuchFacettenwertSerializer(many=True)


class SuchakteSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    aktenzeichen = serializers.CharField()
    betreff = serializers.CharField()
    kommune = serializers.CharField(source="kommune.name")
    zda = serializers.BooleanField(source="ist_zda")
    loeschsperre = serializers.BooleanField(source="hat_loeschsperre")
    loeschsperre_grund = serializers.CharField()
    verbleib = serializers.CharField(help_text="leer, archiviert oder geloescht")


class DokumentSuchtrefferSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(source="dokument.uuid")
    titel = serializers.CharField(source="dokument.titel")
    typ = serializers.CharField(source="dokument.typ")
    datum = serializers.DateField(source="suchdokument.datum")
    akte = SuchakteSerializer()
    aktenplaneinheit = serializers.SerializerMethodField()
    rang = serializers.FloatField(allow_null=True, help_text="null bei sortierung=neueste")
    ausschnitt = serializers.CharField(help_text="HTML: Text maskiert, Treffer in <mark>")

    def get_aktenplaneinheit(self, treffer) -> str:
        einheit = treffer.akte.aktenplaneinheit
        return f"{einheit.kennzeichen} {einheit.titel}"


@extend_schema_serializer(many=False)  # the list action answers one object, not a list
class DokumentSuchergebnisSerializer(serializers.Serializer):
    anzahl = serializers.IntegerField()
    anzahl_genau = serializers.BooleanField(
        help_text="false: mehr Treffer als `anzahl`; anzahl und die Zahlen der Facetten sind "
        "dann Mindestwerte (gezählt in den ersten Treffern)"
    )
    seite = serializers.IntegerField()
    seiten = serializers.IntegerField()
    meinten_sie = serializers.CharField(allow_blank=True)
    rang_begrenzt = serializers.IntegerField(
        help_text="> 0: sehr viele Treffer; nach Relevanz geordnet sind nur die so vielen neuesten "
        "und die mit dem Begriff im Titel, Betreff oder Absender (alle: sortierung=neueste)"
    )
    folge_begrenzt = serializers.IntegerField(
        help_text="> 0: die Wortfolge wurde nur in den so vielen neuesten Dokumenten gesucht, die "
        "alle ihre Wörter enthalten"
    )
    akten = SuchakteSerializer(many=True)
    facetten = SuchFacettenSerializer()
    ergebnisse = DokumentSuchtrefferSerializer(many=True)
