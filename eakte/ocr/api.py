"""REST API of the processing: state per Version, retry, the PDF/A archive version."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from eakte.akten import auslieferung
from eakte.akten import selectors as akten_selectors
from eakte.akten.models import Version
from eakte.common.akteur import akteur_aus
from eakte.common.api import service_ausfuehren

from . import selectors, services
from .serializers import VerarbeitungSerializer


class VerarbeitungViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Texterkennung of the caller's Versionen; looked up by the Version's uuid.

    The list shows what the caller uploaded in the last seven days (newest first).
    """

    queryset = Version.objects.none()
    serializer_class = VerarbeitungSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "version_uuid"

    def get_queryset(self):
        versionen = akten_selectors.versionen_fuer(self.request.user).filter(
            datei__verarbeitung__isnull=False
        )
        if self.action == "list":
            versionen = selectors.meine_hochladungen(self.request.user).filter(
                datei__verarbeitung__isnull=False
            )
        return versionen.select_related("datei__verarbeitung", "dokument__akte").order_by(
            "-hochgeladen_am", "-id"
        )

    @extend_schema(
        request=None, responses={200: VerarbeitungSerializer}, summary="Erneut versuchen"
    )
    @action(detail=True, methods=["post"], url_path="erneut-versuchen")
    def erneut_versuchen(self, request, version_uuid=None):
        version = self.get_object()
        service_ausfuehren(services.erneut_versuchen, akteur=akteur_aus(request), version=version)
        version.datei.verarbeitung.refresh_from_db()
        return Response(self.get_serializer(version).data)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="die Archivversion (PDF/A-2b)"
            ),
            404: OpenApiResponse(description="nicht sichtbar oder (noch) keine Archivversion"),
            500: OpenApiResponse(description="die gespeicherte Datei fehlt im Dateispeicher"),
        },
        summary="Archivversion (PDF/A) herunterladen",
    )
    @action(detail=True)
    def archiv(self, request, version_uuid=None):
        version = self.get_object()
        verarbeitung = version.datei.verarbeitung
        if verarbeitung.archiv_id is None:
            raise NotFound("Zu dieser Version gibt es (noch) keine Archivversion.")
        name = version.dateiname.rsplit(".", 1)[0] + " (PDF-A).pdf"
        return auslieferung.ausliefern(request, version, datei=verarbeitung.archiv, dateiname=name)


def registrieren(router) -> None:
    router.register("verarbeitungen", VerarbeitungViewSet, basename="verarbeitung")
