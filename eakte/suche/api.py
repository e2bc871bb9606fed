"""GET /api/v1/suche/: the search of the browser page as JSON, with the same parameters,
paginated by `seite`. Everything comes from `selectors.dokumente_suchen` (permission-filtered)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from . import selectors
from .forms import SuchForm
from .serializers import (
    DokumentSuchergebnisSerializer,
)


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
            _parameter("stornierte", "true: auch stornierte Dokumente", OpenApiTypes.BOOL),
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
