"""GET /api/v1/suche/: the search of the browser page as JSON, with the same parameters,
paginated by `seite`. Everything comes from `selectors.dokumente_suchen` (permission-filtered)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from . import selectors
from .forms import SuchForm


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


def _parameter(name, beschreibung, typ=OpenApiTypes.STR, **weiteres):
    return OpenApiParameter(name, typ, OpenApiParameter.QUERY, description=beschreibung, **weiteres)


class SucheViewSet(viewsets.ViewSet):
    @extend_schema(
        summary="Dokumente und Akten suchen",
        parameters=[
            _parameter(
                "q",
                'Suchbegriffe: Wörter, "Wortfolge", -ausschließen, OR, wort*, Aktenzeichen',
            ),
            _parameter(
                "sortierung", "relevanz (Standard) oder neueste", enum=["relevanz", "neueste"]
            ),
            _parameter("kommune", "Kurzname (slug) der Kommune"),
            _parameter("aktenplan", "Kennzeichen einer Aktenplaneinheit (mit Untereinheiten)"),
            _parameter("oe", "UUID der federführenden Organisationseinheit", OpenApiTypes.UUID),
            _parameter("typ", "Art des Dokuments", enum=["eingang", "ausgang", "intern"]),
            _parameter("von", "Datum ab (JJJJ-MM-TT)", OpenApiTypes.DATE),
            _parameter("bis", "Datum bis (JJJJ-MM-TT)", OpenApiTypes.DATE),
            _parameter("zda", "offen oder zda", enum=["offen", "zda"]),
            _parameter("seite", "Seite (20 Treffer je Seite)", OpenApiTypes.INT),
        ],
        responses=DokumentSuchergebnisSerializer,
    )
    def list(self, request):
        form = SuchForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        daten = form.cleaned_data
        ergebnis = selectors.dokumente_suchen(
            request.user,
            daten["q"],
            form.filter(),
            sortierung=daten.get("sortierung") or "relevanz",
            seite=daten.get("seite") or 1,
        )
        seite = ergebnis.seite
        leer = {name: [] for name in selectors.FACETTEN}
        antwort = {
            "anzahl": ergebnis.gesamt,
            "anzahl_genau": ergebnis.genau,
            "seite": seite.number if seite else 1,
            "seiten": seite.paginator.num_pages if seite else 0,
            "meinten_sie": ergebnis.meinten_sie,
            "rang_begrenzt": ergebnis.rang_begrenzt,
            "folge_begrenzt": ergebnis.folge_begrenzt,
            "akten": ergebnis.akten,
            "facetten": ergebnis.facetten or leer,
            "ergebnisse": ergebnis.treffer,
        }
        return Response(DokumentSuchergebnisSerializer(antwort).data)


def registrieren(router) -> None:
    """Register this app's viewsets on the API router of eakte/api_urls.py."""
    router.register("suche", SucheViewSet, basename="suche")
