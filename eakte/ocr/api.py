"""REST API of the processing: state per Version, retry, the PDF/A archive version."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from eakte.akten import auslieferung
from eakte.akten import selectors as akten_selectors
from eakte.akten.models import Version
from eakte.common.api import service_ausfuehren

from . import selectors, services
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
    fertig_am = serializers.DateTimeField(
        source="datei.verarbeitung.fertig_am", read_only=True, allow_null=True
    )
    hat_archivversion = serializers.SerializerMethodField()
    transfervermerk = serializers.JSONField(
        source="datei.verarbeitung.transfervermerk", read_only=True
    )

    def get_hat_archivversion(self, version) -> bool:
        return version.datei.verarbeitung.archiv_id is not None


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
        service_ausfuehren(services.erneut_versuchen, benutzer=request.user, version=version)
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
