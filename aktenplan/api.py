from uuid import UUID

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from eakte.common.akteur import akteur_aus
from eakte.common.api import service_ausfuehren
from eakte.common.eingabe import MultipartParser

from . import selectors, services
from .models import Aktenplan, Aktenplaneinheit
from .serializers import (
    AenderungSerializer,
    AktenplanSerializer,
    BaumknotenSerializer,
    EinheitAnlegenSerializer,
    EinheitSerializer,
    ImportergebnisSerializer,
    ImportSerializer,
    StilllegenSerializer,
    VerschiebenSerializer,
)


def _einheit_nach_kennzeichen(aktenplan, kennzeichen, feld):
    if not kennzeichen:
        return None
    einheit = aktenplan.einheiten.filter(kennzeichen=kennzeichen).first()
    if einheit is None:
        raise serializers.ValidationError(
            {feld: f"Die Einheit „{kennzeichen}“ gibt es im Aktenplan nicht."}
        )
    return einheit


def _baum(einheiten) -> list[dict]:
    knoten, wurzeln = {}, []
    for einheit in einheiten:
        eintrag = {
            "kennzeichen": einheit.kennzeichen,
            "titel": einheit.titel,
            "uuid": einheit.uuid,
            "aufbewahrungsfrist": einheit.aufbewahrungsfrist,
            "aussonderungsart": einheit.aussonderungsart,
            "stillgelegt": einheit.stillgelegt,
            "kinder": [],
        }
        knoten[einheit.pk] = eintrag
        eltern = knoten.get(einheit.parent_id)
        (eltern["kinder"] if eltern else wurzeln).append(eintrag)
    return wurzeln


class AktenplanViewSet(viewsets.ReadOnlyModelViewSet):
    """The Aktenpläne of the caller's Verbund; tree, flat list, changes, import and export."""

    queryset = Aktenplan.objects.none()
    serializer_class = AktenplanSerializer
    lookup_field = "uuid"

    def get_queryset(self):
        return selectors.aktenplaene_fuer(self.request.user).select_related("verbund")

    @extend_schema(responses=BaumknotenSerializer(many=True), summary="Der ganze Plan als Baum")
    @action(detail=True, pagination_class=None)
    def baum(self, request, uuid=None):
        einheiten = (
            self.get_object()
            .einheiten.order_by("sortierschluessel")
            .only(
                "pk",
                "parent_id",
                "kennzeichen",
                "titel",
                "uuid",
                "aufbewahrungsfrist",
                "aussonderungsart",
                "stillgelegt",
            )
        )
        return Response(BaumknotenSerializer(_baum(einheiten), many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("unter", str, description="nur dieser Teilbaum (Kennzeichen)"),
            OpenApiParameter("aktiv", bool, description="nur nicht stillgelegte Einheiten"),
            OpenApiParameter(
                "q",
                str,
                description="Suchtext: Kennzeichen-Anfang oder Wörter aus Titel und "
                "Beschreibung (deutsche Wortformen, Umlaute, Wortteile); beste Treffer zuerst",
            ),
        ],
        responses=EinheitSerializer(many=True),
        summary="Einheiten als flache Liste",
    )
    @action(detail=True)
    def einheiten(self, request, uuid=None):
        aktenplan = self.get_object()
        parameter = request.query_params
        einheiten = aktenplan.einheiten.all()
        if unter := parameter.get("unter"):
            einheiten = einheiten.filter(selectors.teilbaum_bedingung(aktenplan, unter))
        if parameter.get("aktiv") in ("true", "1"):
            einheiten = einheiten.filter(stillgelegt=False)
        einheiten = selectors.suchen(
            einheiten.select_related("parent", "nachfolger"), aktenplan, parameter.get("q", "")
        )
        seite = self.paginate_queryset(einheiten)
        return self.get_paginated_response(EinheitSerializer(seite, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "unter", str, description="Kennzeichen der übergeordneten Einheit; leer: oberste"
            )
        ],
        responses=inline_serializer(
            "KennzeichenVorschlag",
            {
                "kennzeichen": serializers.CharField(allow_null=True),
                "schema": serializers.CharField(),
            },
        ),
        summary="Nächstes freies Kennzeichen unter einer Einheit",
    )
    @action(detail=True, url_path="kennzeichen-vorschlag")
    def kennzeichen_vorschlag(self, request, uuid=None):
        aktenplan = self.get_object()
        unter = request.query_params.get("unter", "").strip() or None
        if unter and not aktenplan.einheiten.filter(kennzeichen=unter).exists():
            raise serializers.ValidationError(
                {"unter": f"Die Einheit „{unter}“ gibt es im Aktenplan nicht."}
            )
        return Response(
            {
                "kennzeichen": selectors.naechstes_kennzeichen(aktenplan, unter),
                "schema": aktenplan.nummerierung.schema_text(),
            }
        )

    @extend_schema(responses=AenderungSerializer(many=True), summary="Änderungen, neueste zuerst")
    @action(detail=True)
    def aenderungen(self, request, uuid=None):
        seite = self.paginate_queryset(selectors.aenderungen(self.get_object()))
        return self.get_paginated_response(AenderungSerializer(seite, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("dateiformat", str, enum=["csv", "json"], default="csv")],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/json"): OpenApiTypes.OBJECT,
        },
        summary="Export als CSV oder JSON",
    )
    @action(detail=True)
    def export(self, request, uuid=None):
        dateiformat = request.query_params.get("dateiformat", "csv")
        if dateiformat not in ("csv", "json"):
            raise serializers.ValidationError({"dateiformat": "Erlaubt sind csv und json."})
        inhalt = services.aktenplan_exportieren(aktenplan=self.get_object(), format=dateiformat)
        typ = "text/csv; charset=utf-8" if dateiformat == "csv" else "application/json"
        antwort = HttpResponse(inhalt, content_type=typ)
        antwort["Content-Disposition"] = f'attachment; filename="aktenplan.{dateiformat}"'
        return antwort

    @extend_schema(
        request=ImportSerializer,
        responses=ImportergebnisSerializer,
        summary="Import (alles oder nichts), standardmäßig als Probelauf im Modus ergänzen",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultipartParser], url_path="import")
    def importieren(self, request, uuid=None):
        eingabe = ImportSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        datei = eingabe.validated_data["datei"]
        ergebnis = service_ausfuehren(
            services.aktenplan_importieren,
            aktenplan=self.get_object(),
            inhalt=datei.read(),
            format="json" if datei.name.lower().endswith(".json") else "csv",
            akteur=akteur_aus(request),
            probelauf=eingabe.validated_data["probelauf"],
            quelle=f"API-Import {datei.name}",
            modus=eingabe.validated_data["modus"],
            bestaetigung=eingabe.validated_data["bestaetigung"],
        )
        daten = {
            "ok": ergebnis.ok,
            "modus": ergebnis.modus,
            "angewendet": ergebnis.angewendet,
            "fehler": [{"zeile": f.zeile, "meldung": f.meldung} for f in ergebnis.fehler],
            "neu": ergebnis.neu,
            "stillgelegt": ergebnis.stillgelegt,
            "geaendert": [{"kennzeichen": k, "felder": f} for k, f in ergebnis.geaendert],
            "unveraendert": ergebnis.unveraendert,
        }
        return Response(daten, status=status.HTTP_200_OK if ergebnis.ok else 400)


class AktenplaneinheitViewSet(
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Single units: read, create, change, move, deactivate; with their history."""

    queryset = Aktenplaneinheit.objects.none()
    serializer_class = EinheitSerializer
    lookup_field = "uuid"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.einheiten_fuer(self.request.user).select_related(
            "aktenplan", "parent", "nachfolger"
        )

    def get_serializer_class(self):
        return EinheitAnlegenSerializer if self.action == "create" else EinheitSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "aktenplan", str, required=False, description="UUID des Plans; sonst der aktuelle"
            )
        ],
    )
    def create(self, request, *args, **kwargs):
        eingabe = EinheitAnlegenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        daten = dict(eingabe.validated_data)
        aktenplan = self._aktenplan(request)
        parent = _einheit_nach_kennzeichen(
            aktenplan, daten.pop("uebergeordnet", None), "uebergeordnet"
        )
        einheit = service_ausfuehren(
            services.einheit_anlegen,
            aktenplan=aktenplan,
            parent=parent,
            akteur=akteur_aus(request),
            **daten,
        )
        return Response(EinheitSerializer(einheit).data, status=status.HTTP_201_CREATED)

    def _aktenplan(self, request):
        plaene = selectors.aktenplaene_fuer(request.user)
        if kennung := request.query_params.get("aktenplan"):
            try:
                kennung = UUID(kennung)
            except ValueError as fehler:
                raise serializers.ValidationError(
                    {"aktenplan": "Bitte die UUID eines Aktenplans angeben."}
                ) from fehler
            aktenplan = plaene.filter(uuid=kennung).first()
        else:
            aktenplan = selectors.aktueller_aktenplan(request.user)
        if aktenplan is None:
            raise serializers.ValidationError({"aktenplan": "Kein Aktenplan gefunden."})
        return aktenplan

    def perform_update(self, serializer):
        serializer.instance = service_ausfuehren(
            services.einheit_aendern,
            einheit=serializer.instance,
            akteur=akteur_aus(self.request),
            **serializer.validated_data,
        )

    @extend_schema(
        request=VerschiebenSerializer,
        responses=EinheitSerializer,
        summary="Verschieben und/oder umnummerieren (mit Teilbaum)",
    )
    @action(detail=True, methods=["post"])
    def verschieben(self, request, uuid=None):
        einheit = self.get_object()
        eingabe = VerschiebenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        ziel = _einheit_nach_kennzeichen(
            einheit.aktenplan, eingabe.validated_data.get("neue_obereinheit"), "neue_obereinheit"
        )
        einheit = service_ausfuehren(
            services.einheit_verschieben,
            einheit=einheit,
            neuer_parent=ziel,
            akteur=akteur_aus(request),
            neues_kennzeichen=eingabe.validated_data["neues_kennzeichen"],
        )
        return Response(EinheitSerializer(einheit).data)

    @extend_schema(request=StilllegenSerializer, responses=EinheitSerializer, summary="Stilllegen")
    @action(detail=True, methods=["post"])
    def stilllegen(self, request, uuid=None):
        einheit = self.get_object()
        eingabe = StilllegenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        nachfolger = _einheit_nach_kennzeichen(
            einheit.aktenplan, eingabe.validated_data.get("nachfolger"), "nachfolger"
        )
        service_ausfuehren(
            services.einheit_stilllegen,
            einheit=einheit,
            akteur=akteur_aus(request),
            nachfolger=nachfolger,
        )
        return Response(EinheitSerializer(self.get_object()).data)

    @extend_schema(request=None, responses=EinheitSerializer, summary="Wieder aktivieren")
    @action(detail=True, methods=["post"])
    def aktivieren(self, request, uuid=None):
        einheit = service_ausfuehren(
            services.einheit_reaktivieren, einheit=self.get_object(), akteur=akteur_aus(request)
        )
        return Response(EinheitSerializer(einheit).data)

    @extend_schema(responses=AenderungSerializer(many=True), summary="Historie der Einheit")
    @action(detail=True)
    def historie(self, request, uuid=None):
        seite = self.paginate_queryset(selectors.historie(self.get_object()))
        return self.get_paginated_response(AenderungSerializer(seite, many=True).data)
