"""REST API of the Protokoll: read-only, for the Datenschutz role, about its own Kommune."""

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import renderers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound

from eakte.common.akteur import akteur_aus

from . import export, selectors, services
from .filters import ProtokollFilter
from .models import Aktion, Protokolleintrag
from .serializers import ProtokolleintragSerializer


class CsvRenderer(renderers.BaseRenderer):
    """Lets a client ask for `Accept: text/csv`; the export answers with its own streamed body."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Only error responses are rendered here (the export streams its own body).
        return b"" if data is None else json.dumps(data, ensure_ascii=False).encode()


@extend_schema_view(
    list=extend_schema(summary="Einträge des Protokolls der eigenen Kommune, neueste zuerst"),
    retrieve=extend_schema(
        summary="Ein Eintrag des Protokolls (nach laufender Nummer)",
        parameters=[OpenApiParameter("laufnummer", int, OpenApiParameter.PATH)],
    ),
)
class ProtokollViewSet(viewsets.ReadOnlyModelViewSet):
    """The Protokoll (audit log) of the caller's Kommune; only for the Datenschutz role.

    Everybody else gets 404. Every reading is itself written to the Protokoll.
    """

    queryset = Protokolleintrag.objects.none()
    serializer_class = ProtokolleintragSerializer
    filterset_class = ProtokollFilter
    lookup_field = "laufnummer"
    lookup_value_regex = r"\d+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not selectors.darf_protokoll_lesen(request.user):
            raise NotFound

    def get_queryset(self):
        return selectors.protokoll_fuer(self.request.user)

    def _gelesen(self, aktion: Aktion, beschreibung: str, details: dict) -> None:
        services.protokoll_gelesen(
            akteur=akteur_aus(self.request),
            aktion=aktion,
            beschreibung=beschreibung,
            details=details,
        )

    def _filterwerte(self) -> dict[str, str]:
        return {
            k: v for k, v in self.request.query_params.items() if k in ProtokollFilter.base_filters
        }

    def list(self, request, *args, **kwargs):
        eintraege = self.filter_queryset(self.get_queryset())  # invalid filters answer 400 here
        self._gelesen(
            Aktion.ANGESEHEN, "Protokoll über die API abgerufen", {"filter": self._filterwerte()}
        )
        seite = self.paginate_queryset(eintraege)
        return self.get_paginated_response(self.get_serializer(seite, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        antwort = super().retrieve(request, *args, **kwargs)
        self._gelesen(
            Aktion.ANGESEHEN,
            f"Protokolleintrag Nr. {antwort.data['laufnummer']} über die API abgerufen",
            {},
        )
        return antwort

    @extend_schema(
        summary="Das (gefilterte) Protokoll als CSV (Semikolon, UTF-8 mit BOM, für Excel)",
        filters=True,
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR)},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="export",
        renderer_classes=[renderers.JSONRenderer, CsvRenderer],
        pagination_class=None,
    )
    def export(self, request):
        eintraege = self.filter_queryset(self.get_queryset())
        self._gelesen(
            Aktion.EXPORTIERT,
            "Protokoll über die API als CSV exportiert",
            {"filter": self._filterwerte()},
        )
        return export.antwort(eintraege, export.dateiname(request.user.kommune))


def registrieren(router) -> None:
    """Register this app's viewsets on the API router of eakte/api_urls.py."""
    router.register("protokoll", ProtokollViewSet, basename="protokoll")
