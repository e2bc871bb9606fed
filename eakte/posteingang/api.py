"""REST API of the Posteingang: list/retrieve the Kommune's items, file one into a Vorgang;
print a cover sheet (PDF). Scoped by eakte.posteingang.selectors (others' items are 404)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from eakte.common.akteur import akteur_aus
from eakte.common.api import service_ausfuehren

from . import selectors, services
from .models import Posteingangseintrag, Status
from .serializers import (
    DeckblattAnfrageSerializer,
    PosteingangseintragSerializer,
    VerwerfenSerializer,
    ZuordnenSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="Posteingang der eigenen Kommune",
        parameters=[
            OpenApiParameter(
                "status",
                str,
                enum=["offen", "zugeordnet", "verworfen", "alle"],
                description="Standard: offen",
            )
        ],
    ),
    retrieve=extend_schema(summary="Ein Eintrag des Posteingangs"),
)
class PosteingangViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Posteingangseintrag.objects.none()
    serializer_class = PosteingangseintragSerializer
    lookup_field = "uuid"
    filter_backends: list = []

    def get_queryset(self):
        eintraege = selectors.eintraege_fuer(self.request.user).select_related(
            "datei__verarbeitung", "zugeordnet_zu__dokument"
        )
        if self.action == "list":
            gewuenscht = self.request.query_params.get("status", Status.OFFEN)
            if gewuenscht != "alle":
                eintraege = eintraege.filter(status=gewuenscht)
        return eintraege.order_by("-eingegangen_am", "-id")

    @extend_schema(
        request=ZuordnenSerializer,
        responses={
            200: PosteingangseintragSerializer,
            400: OpenApiResponse(description="Vorgang nicht wählbar oder Eintrag nicht offen"),
            404: OpenApiResponse(description="nicht gefunden oder nicht sichtbar"),
        },
        summary="Eintrag einem Vorgang zuordnen (legt ein Dokument an)",
    )
    @action(detail=True, methods=["post"])
    def zuordnen(self, request, uuid=None):
        eintrag = self.get_object()
        eingabe = ZuordnenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        vorgang = (
            selectors.zuordnungsziele(request.user, eintrag)
            .filter(uuid=eingabe.validated_data["vorgang"])
            .first()
        )
        if vorgang is None:
            raise serializers.ValidationError(
                {"vorgang": ["Bitte einen offenen Vorgang wählen, in dem Sie schreiben dürfen."]}
            )
        service_ausfuehren(
            services.eintrag_zuordnen,
            akteur=akteur_aus(request),
            eintrag=eintrag,
            vorgang=vorgang,
            titel=eingabe.validated_data["titel"],
        )
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        request=VerwerfenSerializer,
        responses={
            200: PosteingangseintragSerializer,
            400: OpenApiResponse(description="ohne Grund oder Eintrag nicht offen"),
            404: OpenApiResponse(description="nicht gefunden oder nicht sichtbar"),
        },
        summary="Eintrag verwerfen (die Datei bleibt gespeichert)",
    )
    @action(detail=True, methods=["post"])
    def verwerfen(self, request, uuid=None):
        eintrag = self.get_object()
        eingabe = VerwerfenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        service_ausfuehren(
            services.eintrag_verwerfen,
            akteur=akteur_aus(request),
            eintrag=eintrag,
            grund=eingabe.validated_data["grund"],
        )
        return Response(self.get_serializer(self.get_object()).data)


class DeckblattViewSet(viewsets.GenericViewSet):
    """Cover sheets for Akten and Vorgänge the caller may write (others: 404)."""

    queryset = Posteingangseintrag.objects.none()
    serializer_class = DeckblattAnfrageSerializer
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        request=DeckblattAnfrageSerializer,
        responses={
            (201, "application/pdf"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="das Deckblatt zum Ausdrucken"
            ),
            400: OpenApiResponse(description="weder oder beides von akte und vorgang"),
            404: OpenApiResponse(description="nicht gefunden, nicht beschreibbar oder zdA"),
        },
        summary="Deckblatt (PDF mit QR-Code) für den Scan-Posteingang erstellen",
    )
    def create(self, request):
        eingabe = DeckblattAnfrageSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        if eingabe.validated_data.get("vorgang"):
            vorgang = get_object_or_404(
                selectors.vorgaenge_fuer_deckblatt(request.user).select_related("akte__kommune"),
                uuid=eingabe.validated_data["vorgang"],
            )
            akte, zeichen = vorgang.akte, vorgang.vorgangszeichen
        else:
            vorgang = None
            akte = get_object_or_404(
                selectors.akten_fuer_deckblatt(request.user).select_related("kommune"),
                uuid=eingabe.validated_data["akte"],
            )
            zeichen = akte.aktenzeichen
        blatt, pdf = service_ausfuehren(
            services.deckblatt_erstellen,
            akteur=akteur_aus(request),
            akte=akte,
            vorgang=vorgang,
        )
        antwort = HttpResponse(pdf, content_type="application/pdf", status=status.HTTP_201_CREATED)
        antwort["Content-Disposition"] = content_disposition_header(
            True, f"Deckblatt {zeichen}.pdf".replace("/", "-")
        )
        antwort["X-Deckblatt"] = str(blatt.uuid)
        return antwort


def registrieren(router) -> None:
    """Register this app's viewsets on the API router of eakte/api_urls.py."""
    router.register("posteingang", PosteingangViewSet, basename="posteingang")
    router.register("deckblaetter", DeckblattViewSet, basename="deckblatt")
