"""REST API of the Akteneinsicht (the clerk's side): prepare, withhold, redact (boxes or a
word), release (answers link and code), new code, revoke, list the recipient's accesses.
Scoped by eakte.einsicht.selectors: Einsichten of other Kommunen are 404."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import (
    APIException,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    Throttled,
)
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from eakte.akten import selectors as akten_selectors
from eakte.common.akteur import akteur_aus, client_adresse
from eakte.common.api import service_ausfuehren
from eakte.common.mandantenbereich import bereich

from . import schwaerzung, selectors, services
from .models import Einsicht, EinsichtDokument, Zugriffsart
from .serializers import (
    EinsichtAnlegenSerializer,
    EinsichtFreigabeSerializer,
    EinsichtSerializer,
    SchwaerzungenSerializer,
    WortSerializer,
    ZugriffSerializer,
    ZurueckhaltenSerializer,
)

MELDUNGEN = {
    "unbekannt": "Diesen Link gibt es nicht.",
    "widerrufen": "Diese Akteneinsicht wurde von der Behörde beendet.",
    "abgelaufen": "Der Zeitraum dieser Akteneinsicht ist abgelaufen.",
    "gesperrt": "Nach fünf falschen Zugangscodes ist dieser Link gesperrt; die zuständige Stelle "
    "kann einen neuen Code geben.",
}
NICHT_GEFUNDEN = OpenApiResponse(description="nicht gefunden oder nicht sichtbar")


@extend_schema_view(
    list=extend_schema(summary="Akteneinsichten (eigene Akten; Datenschutz: ganze Kommune)"),
    retrieve=extend_schema(summary="Eine Akteneinsicht mit ihren Dokumenten"),
)
class EinsichtViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Einsicht.objects.none()
    serializer_class = EinsichtSerializer
    lookup_field = "uuid"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.einsichten_fuer(self.request.user).prefetch_related(
            "dokumente__dokument", "dokumente__freigabedatei"
        )

    def _antwort(self, einsicht, status_code=status.HTTP_200_OK):
        return Response(
            self.get_serializer(self.get_queryset().get(pk=einsicht.pk)).data, status=status_code
        )

    def _eintrag(self, einsicht, eintrag_uuid) -> EinsichtDokument:
        return get_object_or_404(
            EinsichtDokument.objects.select_related("einsicht__akte", "dokument", "quelle"),
            einsicht=einsicht,
            uuid=eintrag_uuid,
        )

    @extend_schema(
        request=EinsichtAnlegenSerializer,
        responses={201: EinsichtSerializer, 400: OpenApiResponse(description="Eingabefehler")},
        summary="Akteneinsicht vorbereiten (Entwurf; Standard: alle Dokumente, 14 Tage)",
    )
    def create(self, request):
        eingabe = EinsichtAnlegenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        daten = dict(eingabe.validated_data)
        akte = get_object_or_404(akten_selectors.akten_fuer(request.user), uuid=daten.pop("akte"))
        dokumente = None
        if "dokumente" in daten:
            uuids = set(daten.pop("dokumente"))
            dokumente = list(akten_selectors.dokumente_fuer(request.user).filter(uuid__in=uuids))
            if len(dokumente) != len(uuids):
                raise serializers.ValidationError(
                    {
                        "dokumente": [
                            "Mindestens ein Dokument gibt es nicht oder Sie dürfen es nicht "
                            "lesen; es kann nicht zur Einsicht gegeben werden."
                        ]
                    }
                )
        zurueck = {}
        for zeile in daten.pop("zurueckgehalten", []):
            dokument = (
                akten_selectors.dokumente_fuer(request.user)
                .filter(uuid=zeile["dokument"], akte=akte)
                .first()
            )
            if dokument is None:
                raise serializers.ValidationError(
                    {"zurueckgehalten": ["Zurückhalten lassen sich nur Dokumente dieser Akte."]}
                )
            zurueck[dokument.pk] = zeile["grund"]
        einsicht = service_ausfuehren(
            services.einsicht_anlegen,
            akteur=akteur_aus(request),
            akte=akte,
            dokumente=dokumente,
            zurueckgehalten=zurueck,
            **daten,
        )
        return self._antwort(einsicht, status.HTTP_201_CREATED)

    @extend_schema(
        request=ZurueckhaltenSerializer,
        responses={200: EinsichtSerializer, 400: OpenApiResponse(description="Eingabefehler")},
        summary="Ein Dokument zurückhalten (mit Grund) oder wieder zur Einsicht geben",
    )
    @action(detail=True, methods=["post"])
    def zurueckhalten(self, request, uuid=None):
        einsicht = self.get_object()
        eingabe = ZurueckhaltenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        service_ausfuehren(
            services.dokument_zurueckhalten,
            akteur=akteur_aus(request),
            eintrag=self._eintrag(einsicht, eingabe.validated_data["dokument"]),
            zurueckhalten=eingabe.validated_data["zurueckhalten"],
            grund=eingabe.validated_data.get("grund", ""),
        )
        return self._antwort(einsicht)

    @extend_schema(
        request=SchwaerzungenSerializer,
        responses={
            200: EinsichtSerializer,
            400: OpenApiResponse(description="außerhalb der Seite"),
        },
        summary="Bereiche auf Seiten eines Dokuments schwärzen (Anteile der Seite, 0 … 1)",
    )
    @action(detail=True, methods=["post"])
    def schwaerzungen(self, request, uuid=None):
        einsicht = self.get_object()
        eingabe = SchwaerzungenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        service_ausfuehren(
            services.schwaerzungen_hinzufuegen,
            akteur=akteur_aus(request),
            eintrag=self._eintrag(einsicht, eingabe.validated_data["dokument"]),
            kaesten=[schwaerzung.Kasten(**k) for k in eingabe.validated_data["kaesten"]],
        )
        return self._antwort(einsicht)

    @extend_schema(
        request=WortSerializer,
        responses={200: EinsichtSerializer, 400: OpenApiResponse(description="Eingabefehler")},
        summary="Ein Wort auf allen Seiten aller freigegebenen Dokumente schwärzen",
    )
    @action(detail=True, methods=["post"])
    def wort(self, request, uuid=None):
        einsicht = self.get_object()
        eingabe = WortSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        service_ausfuehren(
            services.wort_schwaerzen,
            akteur=akteur_aus(request),
            einsicht=einsicht,
            wort=eingabe.validated_data["wort"],
        )
        return self._antwort(einsicht)

    @extend_schema(
        request=None,
        responses={
            200: EinsichtFreigabeSerializer,
            400: OpenApiResponse(description="nicht möglich"),
        },
        summary="Freigeben: geschwärzte Fassungen erzeugen, Link senden, Code ausgeben",
    )
    @action(detail=True, methods=["post"])
    def freigeben(self, request, uuid=None):
        freigabe = service_ausfuehren(
            services.einsicht_freigeben, akteur=akteur_aus(request), einsicht=self.get_object()
        )
        return Response(
            EinsichtFreigabeSerializer({"link": freigabe.link, "code": freigabe.code}).data
        )

    @extend_schema(
        request=None,
        responses={
            200: EinsichtFreigabeSerializer,
            400: OpenApiResponse(description="nicht freigegeben"),
        },
        summary="Neuen Zugangscode erzeugen (hebt eine Sperre nach falschen Codes auf)",
    )
    @action(detail=True, methods=["post"])
    def code(self, request, uuid=None):
        einsicht = self.get_object()
        code = service_ausfuehren(
            services.code_erneuern, akteur=akteur_aus(request), einsicht=einsicht
        )
        return Response(
            EinsichtFreigabeSerializer({"link": services.zugangslink(einsicht), "code": code}).data
        )

    @extend_schema(
        request=None,
        responses={200: EinsichtSerializer, 400: OpenApiResponse(description="schon widerrufen")},
        summary="Einsicht sofort widerrufen",
    )
    @action(detail=True, methods=["post"])
    def widerrufen(self, request, uuid=None):
        einsicht = self.get_object()
        service_ausfuehren(
            services.einsicht_widerrufen, akteur=akteur_aus(request), einsicht=einsicht
        )
        return self._antwort(einsicht)

    @extend_schema(
        responses={200: ZugriffSerializer(many=True), 404: NICHT_GEFUNDEN},
        summary="Zugriffe der Empfängerin / des Empfängers (Seite, Zeit, Adresse)",
    )
    @action(detail=True, methods=["get"])
    def zugriffe(self, request, uuid=None):
        einsicht = self.get_object()
        return Response(ZugriffSerializer(selectors.zugriffe(einsicht)[:5000], many=True).data)


def registrieren(router) -> None:
    router.register("einsichten", EinsichtViewSet, basename="einsicht")


# --- the recipient (no account): code → signed access token → documents -----------------------


class CodeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)


class ZugangSerializer(serializers.Serializer):
    zugang = serializers.CharField(help_text="im Kopf X-Einsicht-Zugang mitsenden (12 Stunden)")
    gueltig_bis = serializers.DateField()


class EmpfaengerDokumentSerializer(serializers.ModelSerializer):
    titel = serializers.CharField(source="dokument.titel")

    class Meta:
        model = EinsichtDokument
        fields = ["uuid", "titel"]


class _Empfaenger(APIView):
    """Finds the Einsicht by the link's key; says why a link does not open (404/410)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    def _einsicht(self, schluessel: str, *, mit_zugang: bool = True) -> Einsicht:
        einsicht = selectors.per_schluessel(schluessel)
        zustand = services.zustand(einsicht)
        if zustand == "unbekannt":
            raise NotFound(MELDUNGEN[zustand])
        if zustand != "offen":
            raise Vorbei(MELDUNGEN[zustand])
        if mit_zugang and not services.zugang_gilt(
            einsicht, self.request.headers.get("X-Einsicht-Zugang", "")
        ):
            raise NotAuthenticated("Bitte zuerst mit dem Zugangscode anmelden.")
        return einsicht


class Vorbei(APIException):
    status_code = 410
    default_code = "vorbei"


class EinsichtZugangCodeView(_Empfaenger):
    @extend_schema(
        request=CodeSerializer,
        responses={200: ZugangSerializer, 400: OpenApiResponse(), 410: OpenApiResponse()},
        summary="Empfänger: mit dem Einmalcode anmelden (liefert den Zugang)",
    )
    def post(self, request, schluessel):
        einsicht = self._einsicht(schluessel, mit_zugang=False)
        eingabe = CodeSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        ip = client_adresse(request)
        if services.zu_viele_versuche(ip):
            raise Throttled(detail="Zu viele Versuche von Ihrem Anschluss; bitte in zehn Minuten.")
        with bereich([einsicht.kommune_id]):
            richtig = services.code_pruefen(
                einsicht=einsicht, code=eingabe.validated_data["code"], ip=ip
            )
        if not richtig:
            raise serializers.ValidationError(
                {"code": ["Der Code stimmt nicht oder wurde schon verwendet."]}
            )
        return Response(
            ZugangSerializer(
                {
                    "zugang": services.zugang_ausstellen(einsicht),
                    "gueltig_bis": einsicht.gueltig_bis,
                }
            ).data
        )


class EinsichtZugangDokumenteView(_Empfaenger):
    @extend_schema(
        responses={200: EmpfaengerDokumentSerializer(many=True), 401: OpenApiResponse()},
        summary="Empfänger: die freigegebenen Dokumente",
    )
    def get(self, request, schluessel):
        einsicht = self._einsicht(schluessel)
        with bereich([einsicht.kommune_id]):
            return Response(
                EmpfaengerDokumentSerializer(
                    selectors.freigegebene_dokumente(einsicht), many=True
                ).data
            )


class EinsichtZugangPdfView(_Empfaenger):
    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="die PDF mit Wasserzeichen"
            ),
            403: OpenApiResponse(description="Herunterladen nicht erlaubt"),
        },
        summary="Empfänger: ein Dokument als PDF mit Wasserzeichen herunterladen",
    )
    def get(self, request, schluessel, einsicht_dokument_uuid):
        einsicht = self._einsicht(schluessel)
        if not einsicht.download_erlaubt:
            raise PermissionDenied("Für diese Einsicht ist das Herunterladen nicht erlaubt.")
        with bereich([einsicht.kommune_id]):
            eintrag = get_object_or_404(
                selectors.freigegebene_dokumente(einsicht), uuid=einsicht_dokument_uuid
            )
            pdf = services.freigegebene_pdf(einsicht, eintrag)
            services.zugriff_festhalten(
                einsicht=einsicht,
                eintrag=eintrag,
                art=Zugriffsart.DOWNLOAD,
                ip=client_adresse(request),
            )
        antwort = HttpResponse(pdf, content_type="application/pdf")
        antwort["Content-Disposition"] = content_disposition_header(
            True, f"{einsicht.nummer} {eintrag.dokument.titel}".replace("/", "_")[:150] + ".pdf"
        )
        antwort["Cache-Control"] = "private, no-store"
        return antwort
