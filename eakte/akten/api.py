"""REST API of the records: Akten, Vorgänge, Dokumente (upload), Versionen (download) and
Wiedervorlagen.

Every queryset comes from eakte.akten.selectors, so whatever the caller may not see is a 404.
Every write goes through eakte.akten.services (German ValidationError → 400, PermissionDenied →
403 for objects the caller sees but may only read). UUIDs in request bodies are resolved within
what the caller may see; an unknown or foreign one gets the same 400 as a mistyped one.
"""

import uuid as uuid_modul

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from aktenplan import selectors as aktenplan_selectors
from eakte.common.akteur import akteur_aus
from eakte.common.api import service_ausfuehren
from eakte.common.eingabe import FormularParser, JsonObjektParser, MultipartParser, textwert
from eakte.common.regeln import RegelErlaubnis
from eakte.kommunen import selectors as kommunen_selectors

from . import auslieferung, selectors, services
from .filters import AkteFilter, DokumentFilter, VorgangFilter, WiedervorlageFilter
from .models import Akte, AkteBenutzerfreigabe, Dokument, Version, Vorgang, Wiedervorlage
from .serializers import (
    AkteAendernSerializer,
    AkteAnlegenSerializer,
    AktendokumentDetailSerializer,
    AktendokumentSerializer,
    AkteSerializer,
    DokumenteVerschiebenSerializer,
    DokumentHochladenSerializer,
    DokumentMetadatenSerializer,
    DokumentStornierenSerializer,
    DokumentVerschiebenSerializer,
    FreigabeAnlegenSerializer,
    FreigabeSerializer,
    HochladeergebnisSerializer,
    OeFreigabeAnlegenSerializer,
    OeFreigabeSerializer,
    VerschobenSerializer,
    VersionHochladenSerializer,
    VersionSerializer,
    VorgangAnlegenSerializer,
    VorgangSerializer,
    WiedereroeffnenSerializer,
    WiedervorlageAnlegenSerializer,
    WiedervorlageSerializer,
)
from .services import uebergabe

EINHEIT_UNBEKANNT = "Diese Aktenplaneinheit gibt es im Aktenplan Ihres Verbunds nicht."
OE_UNBEKANNT = "Diese Organisationseinheit gibt es in Ihrer Kommune nicht."
AKTE_UNBEKANNT = "Diese Akte wurde nicht gefunden."
VORGANG_UNBEKANNT = "Dieser Vorgang wurde nicht gefunden."
PERSON_UNBEKANNT = "Diese Person gibt es im Verbund nicht."
NUR_FEDERFUEHRUNG = services.NUR_FEDERFUEHRUNG

# The share lists and their changes: the same rule and message as the page (akten.freigeben;
# akten.freigaben_sehen is the same predicate), so read-only share holders list nobody.
FREIGABEN = [
    IsAuthenticated,
    RegelErlaubnis.fuer(objekt="akten.freigaben_sehen", meldung=NUR_FEDERFUEHRUNG),
]
WIEDEREROEFFNEN = [
    IsAuthenticated,
    RegelErlaubnis.fuer(
        objekt="akten.wiedereroeffnen", meldung="Nur Kommunen-Admins können Akten wieder eröffnen."
    ),
]

# Shown in the browser only where the browser's own viewer handles the type safely.

FEHLER_400 = OpenApiResponse(description="Eingabe abgelehnt (deutsche Meldung je Feld)")
FEHLER_403 = OpenApiResponse(description="Die Akte ist sichtbar, darf aber nur gelesen werden")


def _aufloesen(queryset, kennung, feld: str, meldung: str):
    """The object with this UUID inside `queryset`, else a 400 that says nothing more."""
    objekt = queryset.filter(uuid=kennung).first() if kennung else None
    if objekt is None:
        raise serializers.ValidationError({feld: [meldung]})
    return objekt


def _login_oder_uuid(login_feld: str, uuid_feld: str, kennung: str) -> Q:
    """A person named by login name or (issue 16, the person picker's value) by UUID."""
    bedingung = Q(**{login_feld: kennung})
    try:
        return bedingung | Q(**{uuid_feld: uuid_modul.UUID(str(kennung))})
    except ValueError:
        return bedingung


def _ja(request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in ("true", "1", "ja")


def _eigene_oes(user):
    return kommunen_selectors.organisationseinheiten_fuer(user).filter(kommune_id=user.kommune_id)


def _hochladeergebnis(version: Version, dokument: Dokument, request) -> dict:
    gleiche = (
        selectors.gleicher_inhalt_in_akte(dokument.akte, version.datei.sha256)
        .exclude(pk=version.pk)
        .order_by("dokument__titel", "nummer")
    )
    return HochladeergebnisSerializer(
        {"dokument": dokument, "version": version, "gleicher_inhalt": gleiche},
        context={"request": request},
    ).data


# --- Akten ---------------------------------------------------------------------------------


class AkteViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The Akten the caller may see (own OE, whole Kommune for Kommunen-Admins, explicit shares)."""

    queryset = Akte.objects.none()
    serializer_class = AkteSerializer
    filterset_class = AkteFilter
    lookup_field = "uuid"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        # darf_schreiben / darf_freigeben are computed per row in the same query.
        return selectors.mit_rechten(
            selectors.akten_liste(selectors.akten_fuer(user)).select_related("aktenfuehrende_oe"),
            user,
        )

    def _antwort(self, akte: Akte, status_code=status.HTTP_200_OK) -> Response:
        """The Akte as the list shows it (with the caller's rights), after a write."""
        return Response(
            AkteSerializer(self.get_queryset().get(pk=akte.pk)).data, status=status_code
        )

    @extend_schema(
        request=AkteAnlegenSerializer,
        responses={201: AkteSerializer, 400: FEHLER_400},
        summary="Akte anlegen (Aktenzeichen wird vergeben)",
    )
    def create(self, request):
        eingabe = AkteAnlegenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        daten = eingabe.validated_data
        user = request.user
        einheit = _aufloesen(
            aktenplan_selectors.einheiten_fuer(user),
            daten["aktenplaneinheit"],
            "aktenplaneinheit",
            EINHEIT_UNBEKANNT,
        )
        oes = _eigene_oes(user)
        federfuehrend = _aufloesen(
            oes, daten["federfuehrende_oe"], "federfuehrende_oe", OE_UNBEKANNT
        )
        aktenfuehrend = None
        if daten.get("aktenfuehrende_oe"):
            aktenfuehrend = _aufloesen(
                oes, daten["aktenfuehrende_oe"], "aktenfuehrende_oe", OE_UNBEKANNT
            )
        akte = service_ausfuehren(
            services.akte_anlegen,
            akteur=akteur_aus(request),
            aktenplaneinheit=einheit,
            betreff=daten["betreff"],
            federfuehrende_oe=federfuehrend,
            aktenfuehrende_oe=aktenfuehrend,
            vertraulichkeit=daten["vertraulichkeit"],
            beginn=daten.get("beginn"),
        )
        return self._antwort(akte, status.HTTP_201_CREATED)

    @extend_schema(
        request=AkteAendernSerializer,
        responses={200: AkteSerializer, 400: FEHLER_400, 403: FEHLER_403},
        summary="Betreff, Vertraulichkeit, OEs ändern oder Akte umhängen",
    )
    def partial_update(self, request, uuid=None):
        akte = self.get_object()
        eingabe = AkteAendernSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        neu = dict(eingabe.validated_data)
        if "aktenplaneinheit" in neu:
            neu["aktenplaneinheit"] = _aufloesen(
                aktenplan_selectors.einheiten_fuer(request.user),
                neu["aktenplaneinheit"],
                "aktenplaneinheit",
                EINHEIT_UNBEKANNT,
            )
        for feld in ("federfuehrende_oe", "aktenfuehrende_oe"):
            if feld in neu:
                neu[feld] = _aufloesen(_eigene_oes(request.user), neu[feld], feld, OE_UNBEKANNT)
        service_ausfuehren(
            services.akte_aendern,
            akteur=akteur_aus(request),
            akte=akte,
            **neu,
        )
        return self._antwort(akte)

    @extend_schema(
        request=None,
        responses={200: AkteSerializer, 400: FEHLER_400, 403: FEHLER_403},
        summary="Akte zu den Akten verfügen (zdA)",
    )
    @action(detail=True, methods=["post"])
    def zda(self, request, uuid=None):
        akte = service_ausfuehren(
            services.akte_zda,
            akteur=akteur_aus(request),
            akte=self.get_object(),
        )
        return self._antwort(akte)

    @extend_schema(
        request=WiedereroeffnenSerializer,
        responses={200: AkteSerializer, 400: FEHLER_400, 403: FEHLER_403},
        summary="zdA-Akte wieder eröffnen (Kommunen-Admins, mit Grund)",
    )
    @action(detail=True, methods=["post"], permission_classes=WIEDEREROEFFNEN)
    def wiedereroeffnen(self, request, uuid=None):
        akte = self.get_object()
        eingabe = WiedereroeffnenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        akte = service_ausfuehren(
            services.akte_wiedereroeffnen,
            akteur=akteur_aus(request),
            akte=akte,
            grund=eingabe.validated_data["grund"],
        )
        return self._antwort(akte)

    def _freigaben_antwort(self, akte: Akte, status_code=status.HTTP_200_OK) -> Response:
        return Response(
            FreigabeSerializer(selectors.freigaben(akte), many=True).data, status=status_code
        )

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=FreigabeSerializer(many=True),
        summary="Für wen die Akte freigegeben ist",
    )
    @extend_schema(
        methods=["POST"],
        request=FreigabeAnlegenSerializer,
        responses={201: FreigabeSerializer(many=True), 400: FEHLER_400, 403: FEHLER_403},
        summary="Akte für eine Person des Verbunds freigeben (lesen oder bearbeiten)",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=None,
        filterset_class=None,
        permission_classes=FREIGABEN,
    )
    def freigaben(self, request, uuid=None):
        akte = self.get_object()  # 404 outside what the caller sees, 403 without the rule
        if request.method == "GET":
            return self._freigaben_antwort(akte)
        eingabe = FreigabeAnlegenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        empfaenger = (
            selectors.personen_im_verbund(request.user)
            .filter(_login_oder_uuid("username", "uuid", eingabe.validated_data["benutzer"]))
            .select_related("kommune")
            .first()
        )
        if empfaenger is None:
            raise serializers.ValidationError({"benutzer": [PERSON_UNBEKANNT]})
        service_ausfuehren(
            services.akte_freigeben,
            akteur=akteur_aus(request),
            akte=akte,
            empfaenger=empfaenger,
            schreiben=eingabe.validated_data["schreiben"],
        )
        return self._freigaben_antwort(akte, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "benutzername", str, OpenApiParameter.PATH, description="Benutzername oder UUID"
            )
        ],
        request=None,
        responses={204: None, 403: FEHLER_403, 404: OpenApiResponse(description="keine Freigabe")},
        summary="Freigabe entziehen",
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"freigaben/(?P<benutzername>[^/]+)",
        url_name="freigabe-entziehen",
        permission_classes=FREIGABEN,
    )
    def freigabe_entziehen(self, request, uuid=None, benutzername=None):
        akte = self.get_object()
        freigabe = (
            AkteBenutzerfreigabe.objects.filter(
                _login_oder_uuid("user__username", "user__uuid", benutzername),
                content_object=akte,
            )
            .select_related("user")
            .first()
        )
        if freigabe is None:
            raise NotFound("Für diese Person gibt es keine Freigabe.")
        service_ausfuehren(
            services.freigabe_entziehen,
            akteur=akteur_aus(request),
            akte=akte,
            empfaenger=freigabe.user,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _oe_freigaben_antwort(self, akte: Akte, status_code=status.HTTP_200_OK) -> Response:
        return Response(
            OeFreigabeSerializer(selectors.oe_freigaben(akte), many=True).data, status=status_code
        )

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=OeFreigabeSerializer(many=True),
        summary="Für welche Organisationseinheiten die Akte freigegeben ist",
    )
    @extend_schema(
        methods=["POST"],
        request=OeFreigabeAnlegenSerializer,
        responses={201: OeFreigabeSerializer(many=True), 400: FEHLER_400, 403: FEHLER_403},
        summary="Akte für eine ganze Organisationseinheit des Verbunds freigeben",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="oe-freigaben",
        pagination_class=None,
        filterset_class=None,
        permission_classes=FREIGABEN,
    )
    def oe_freigaben(self, request, uuid=None):
        akte = self.get_object()
        if request.method == "GET":
            return self._oe_freigaben_antwort(akte)
        eingabe = OeFreigabeAnlegenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        oe = (
            selectors.oes_im_verbund(request.user).filter(uuid=eingabe.validated_data["oe"]).first()
        )
        if oe is None:
            raise serializers.ValidationError(
                {"oe": ["Diese Organisationseinheit gibt es im Verbund nicht."]}
            )
        service_ausfuehren(
            services.akte_fuer_oe_freigeben,
            akteur=akteur_aus(request),
            akte=akte,
            oe=oe,
            schreiben=eingabe.validated_data["schreiben"],
        )
        return self._oe_freigaben_antwort(akte, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("oe_uuid", OpenApiTypes.UUID, OpenApiParameter.PATH, description="OE")
        ],
        request=None,
        responses={204: None, 403: FEHLER_403, 404: OpenApiResponse(description="keine Freigabe")},
        summary="Freigabe für eine Organisationseinheit entziehen",
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"oe-freigaben/(?P<oe_uuid>[0-9a-f-]+)",
        url_name="oe-freigabe-entziehen",
        permission_classes=FREIGABEN,
    )
    def oe_freigabe_entziehen(self, request, uuid=None, oe_uuid=None):
        akte = self.get_object()
        eintrag = next(
            (e for e in selectors.oe_freigaben(akte) if str(e["oe"].uuid) == oe_uuid), None
        )
        if eintrag is None:
            raise NotFound("Für diese Organisationseinheit gibt es keine Freigabe.")
        service_ausfuehren(
            services.oe_freigabe_entziehen,
            akteur=akteur_aus(request),
            akte=akte,
            oe=eintrag["oe"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None, responses=VorgangSerializer(many=True), summary="Vorgänge der Akte"
    )
    @action(detail=True, filterset_class=None)
    def vorgaenge(self, request, uuid=None):
        vorgaenge = (
            selectors.vorgaenge_fuer(request.user)
            .filter(akte=self.get_object())
            .select_related("akte")
        )
        seite = self.paginate_queryset(vorgaenge)
        return self.get_paginated_response(VorgangSerializer(seite, many=True).data)


# --- Vorgänge ------------------------------------------------------------------------------


class VorgangViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The Vorgänge inside the Akten the caller may see."""

    queryset = Vorgang.objects.none()
    serializer_class = VorgangSerializer
    filterset_class = VorgangFilter
    lookup_field = "uuid"

    def get_queryset(self):
        return selectors.vorgaenge_fuer(self.request.user).select_related("akte")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "dokumente",
                OpenApiTypes.UUID,
                many=True,
                description="UUIDs der Dokumente (wiederholbar); ohne: alle des Vorgangs",
            )
        ],
        responses={(200, "application/zip"): OpenApiTypes.BINARY, 400: FEHLER_400},
        summary="Neueste Versionen mehrerer Dokumente als ZIP",
    )
    @action(detail=True, url_path="zip")
    def zip(self, request, uuid=None):
        versionen = selectors.neueste_versionen(
            self.get_object(), request.query_params.getlist("dokumente")
        )
        if not versionen:
            raise serializers.ValidationError({"dokumente": "Keine Dokumente gefunden."})
        if len(versionen) > auslieferung.ZIP_MAX_DOKUMENTE:
            raise serializers.ValidationError(
                {"dokumente": f"Höchstens {auslieferung.ZIP_MAX_DOKUMENTE} Dokumente auf einmal."}
            )
        return auslieferung.zip_ausliefern(
            request, versionen, f"{self.get_object().vorgangszeichen}.zip"
        )

    @extend_schema(
        request=DokumenteVerschiebenSerializer,
        responses={200: VerschobenSerializer, 400: FEHLER_400, 403: FEHLER_403},
        summary="Mehrere Dokumente des Vorgangs in einen anderen Vorgang verschieben (alle oder "
        "keines)",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="dokumente-verschieben",
        parser_classes=[JsonObjektParser, FormularParser],
    )
    def dokumente_verschieben(self, request, uuid=None):
        vorgang = self.get_object()
        eingabe = DokumenteVerschiebenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        kennungen = set(eingabe.validated_data["dokumente"])
        dokumente = list(
            selectors.dokumente_fuer(request.user).filter(vorgang=vorgang, uuid__in=kennungen)
        )
        if len(dokumente) != len(kennungen):
            raise serializers.ValidationError(
                {"dokumente": ["Nicht alle Dokumente liegen in diesem Vorgang."]}
            )
        ziel = _aufloesen(
            selectors.vorgaenge_fuer(request.user).select_related("akte"),
            eingabe.validated_data["vorgang"],
            "vorgang",
            VORGANG_UNBEKANNT,
        )
        anzahl = service_ausfuehren(
            services.dokumente_verschieben,
            akteur=akteur_aus(request),
            dokumente=dokumente,
            ziel=ziel,
        )
        return Response({"verschoben": anzahl, "vorgang": str(ziel.uuid)})

    @extend_schema(
        request=VorgangAnlegenSerializer,
        responses={201: VorgangSerializer, 400: FEHLER_400, 403: FEHLER_403},
        summary="Vorgang in einer Akte anlegen",
    )
    def create(self, request):
        eingabe = VorgangAnlegenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        akte = _aufloesen(
            selectors.akten_fuer(request.user),
            eingabe.validated_data["akte"],
            "akte",
            AKTE_UNBEKANNT,
        )
        vorgang = service_ausfuehren(
            services.vorgang_anlegen,
            akteur=akteur_aus(request),
            akte=akte,
            betreff=eingabe.validated_data["betreff"],
        )
        return Response(VorgangSerializer(vorgang).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: VorgangSerializer, 400: FEHLER_400, 403: FEHLER_403},
        summary="Vorgang zu den Akten verfügen (zdA)",
    )
    @action(detail=True, methods=["post"])
    def zda(self, request, uuid=None):
        vorgang = service_ausfuehren(
            services.vorgang_zda,
            akteur=akteur_aus(request),
            vorgang=self.get_object(),
        )
        return Response(VorgangSerializer(vorgang).data)

    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter("stornierte", bool, description="true: auch stornierte Dokumente")
        ],
        responses=AktendokumentSerializer(many=True),
        summary="Dokumente des Vorgangs (mit aktueller Version; ohne stornierte)",
    )
    @action(detail=True, filterset_class=None)
    def dokumente(self, request, uuid=None):
        dokumente = selectors.dokumente_mit_letzter_version(
            selectors.ohne_stornierte(
                selectors.dokumente_fuer(request.user).filter(vorgang=self.get_object()),
                _ja(request, "stornierte"),
            )
        ).select_related("akte")
        seite = self.paginate_queryset(dokumente)
        return self.get_paginated_response(
            AktendokumentSerializer(seite, many=True, context={"request": request}).data
        )


# --- Dokumente -----------------------------------------------------------------------------


class DokumentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Dokumente (they inherit visibility from their Akte): upload, metadata, versions, move."""

    queryset = Dokument.objects.none()
    serializer_class = AktendokumentSerializer
    filterset_class = DokumentFilter
    lookup_field = "uuid"
    http_method_names = ["get", "post", "patch", "head", "options"]
    # JSON for metadata and moves; multipart for the uploads (documented per operation).
    parser_classes = [JsonObjektParser, MultipartParser, FormularParser]

    def get_queryset(self):
        dokumente = selectors.dokumente_fuer(self.request.user)
        if self.action == "list":  # the list without stornierte ones unless asked for
            dokumente = selectors.ohne_stornierte(dokumente, _ja(self.request, "stornierte"))
        return selectors.dokumente_mit_letzter_version(dokumente).select_related("akte")

    def get_serializer_class(self):
        if self.action == "list":
            return AktendokumentSerializer
        return AktendokumentDetailSerializer

    def _detail(self, dokument: Dokument) -> Dokument:
        return self.get_queryset().get(pk=dokument.pk)

    def retrieve(self, request, uuid=None):
        """Dokument with all versions; the look is written to the Protokoll."""
        dokument = self.get_object()
        service_ausfuehren(
            services.dokument_angesehen,
            akteur=akteur_aus(request),
            dokument=dokument,
        )
        return Response(self.get_serializer(dokument).data)

    @extend_schema(
        request={"multipart/form-data": DokumentHochladenSerializer},
        responses={201: HochladeergebnisSerializer, 400: FEHLER_400, 403: FEHLER_403},
        summary="Datei als neues Dokument in einen Vorgang hochladen",
        description=(
            "Die Datei wird nach ihrem Inhalt geprüft (leer, zu groß, nicht erlaubte Art → 400 "
            "mit Meldung). `gleicher_inhalt` nennt Dokumente derselben Akte mit genau diesem "
            "Inhalt."
        ),
    )
    def create(self, request):
        eingabe = DokumentHochladenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        daten = dict(eingabe.validated_data)
        vorgang = _aufloesen(
            selectors.vorgaenge_fuer(request.user).select_related("akte"),
            daten.pop("vorgang"),
            "vorgang",
            VORGANG_UNBEKANNT,
        )
        version = service_ausfuehren(
            services.dokument_hochladen,
            akteur=akteur_aus(request),
            vorgang=vorgang,
            **daten,
        )
        dokument = self._detail(version.dokument)
        return Response(
            _hochladeergebnis(version, dokument, request), status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request={"application/json": DokumentMetadatenSerializer},
        responses={200: AktendokumentDetailSerializer, 400: FEHLER_400, 403: FEHLER_403},
        summary="Metadaten ändern",
    )
    def partial_update(self, request, uuid=None):
        dokument = self.get_object()
        eingabe = DokumentMetadatenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        service_ausfuehren(
            services.dokument_aendern,
            akteur=akteur_aus(request),
            dokument=dokument,
            **eingabe.validated_data,
        )
        return Response(self.get_serializer(self._detail(dokument)).data)

    @extend_schema(
        request={"multipart/form-data": VersionHochladenSerializer},
        responses={201: HochladeergebnisSerializer, 400: FEHLER_400, 403: FEHLER_403},
        summary="Neue Version hochladen (alte bleiben erhalten)",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultipartParser, FormularParser])
    def versionen(self, request, uuid=None):
        dokument = self.get_object()
        eingabe = VersionHochladenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        version = service_ausfuehren(
            services.version_hochladen,
            akteur=akteur_aus(request),
            dokument=dokument,
            datei=eingabe.validated_data["datei"],
            kommentar=eingabe.validated_data["kommentar"],
        )
        return Response(
            _hochladeergebnis(version, self._detail(dokument), request),
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=DokumentVerschiebenSerializer,
        responses={200: AktendokumentDetailSerializer, 400: FEHLER_400, 403: FEHLER_403},
        summary="In einen anderen Vorgang derselben Kommune verschieben",
    )
    @action(detail=True, methods=["post"], parser_classes=[JsonObjektParser, FormularParser])
    def verschieben(self, request, uuid=None):
        dokument = self.get_object()
        eingabe = DokumentVerschiebenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        ziel = _aufloesen(
            selectors.vorgaenge_fuer(request.user).select_related("akte"),
            eingabe.validated_data["vorgang"],
            "vorgang",
            VORGANG_UNBEKANNT,
        )
        service_ausfuehren(
            services.dokument_verschieben,
            akteur=akteur_aus(request),
            dokument=dokument,
            ziel=ziel,
        )
        return Response(self.get_serializer(self._detail(dokument)).data)

    @extend_schema(
        request=DokumentStornierenSerializer,
        responses={200: AktendokumentDetailSerializer, 400: FEHLER_400, 403: FEHLER_403},
        summary="Versehentlich abgelegtes Dokument stornieren (bleibt zum Nachweis erhalten)",
    )
    @action(detail=True, methods=["post"], parser_classes=[JsonObjektParser, FormularParser])
    def stornieren(self, request, uuid=None):
        dokument = self.get_object()
        eingabe = DokumentStornierenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        service_ausfuehren(
            services.dokument_stornieren,
            akteur=akteur_aus(request),
            dokument=dokument,
            grund=eingabe.validated_data["grund"],
        )
        return Response(self.get_serializer(self._detail(dokument)).data)


# --- Versionen -----------------------------------------------------------------------------


class _DateiUnabhaengigVonAccept(BaseContentNegotiation):
    """A download is the file as stored, whatever the client's Accept header asks for;
    errors (404) are rendered by the first renderer (JSON)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class VersionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Single versions and their file. Every download is checked and written to the Protokoll."""

    queryset = Version.objects.none()
    serializer_class = VersionSerializer
    lookup_field = "uuid"

    def get_queryset(self):
        return selectors.versionen_fuer(self.request.user).select_related(
            "datei__verarbeitung", "hochgeladen_von", "dokument__akte"
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "vorschau",
                bool,
                description="1: im Browser anzeigen (nur PDF und Bilder), sonst herunterladen",
            )
        ],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                response=OpenApiTypes.BINARY,
                description="Die Datei, wie sie hochgeladen wurde (Content-Type nach Inhalt)",
            ),
            404: OpenApiResponse(description="nicht gefunden oder nicht sichtbar"),
            500: OpenApiResponse(description="die gespeicherte Datei fehlt im Dateispeicher"),
        },
        summary="Datei herunterladen oder in der Vorschau anzeigen",
    )
    @action(detail=True, content_negotiation_class=_DateiUnabhaengigVonAccept)
    def datei(self, request, uuid=None):
        vorschau = request.query_params.get("vorschau") in ("1", "true")
        return auslieferung.ausliefern(request, self.get_object(), vorschau=vorschau)


# --- Wiedervorlagen ------------------------------------------------------------------------


class WiedervorlageViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own open Wiedervorlagen (on Akten they can still see)."""

    queryset = Wiedervorlage.objects.none()
    serializer_class = WiedervorlageSerializer
    filterset_class = WiedervorlageFilter
    lookup_field = "uuid"

    def get_queryset(self):
        return selectors.wiedervorlagen_fuer(self.request.user)

    @extend_schema(
        request=WiedervorlageAnlegenSerializer,
        responses={201: WiedervorlageSerializer, 400: FEHLER_400},
        summary="Wiedervorlage setzen (auf eine Akte, optional einen Vorgang)",
    )
    def create(self, request):
        eingabe = WiedervorlageAnlegenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        daten = eingabe.validated_data
        akte = _aufloesen(selectors.akten_fuer(request.user), daten["akte"], "akte", AKTE_UNBEKANNT)
        vorgang = None
        if daten.get("vorgang"):
            vorgang = _aufloesen(
                selectors.vorgaenge_fuer(request.user),
                daten["vorgang"],
                "vorgang",
                VORGANG_UNBEKANNT,
            )
        wiedervorlage = service_ausfuehren(
            services.wiedervorlage_setzen,
            akteur=akteur_aus(request),
            akte=akte,
            vorgang=vorgang,
            datum=daten["datum"],
            notiz=daten["notiz"],
        )
        return Response(WiedervorlageSerializer(wiedervorlage).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None, responses=WiedervorlageSerializer, summary="Als erledigt markieren"
    )
    @action(detail=True, methods=["post"])
    def erledigt(self, request, uuid=None):
        wiedervorlage = self.get_object()
        service_ausfuehren(
            services.wiedervorlage_erledigen,
            akteur=akteur_aus(request),
            wiedervorlage=wiedervorlage,
        )
        return Response(WiedervorlageSerializer(wiedervorlage).data)


def registrieren(router) -> None:
    """Register this app's viewsets on the API router of eakte/api_urls.py."""
    router.register("akten", AkteViewSet, basename="akte")
    router.register("vorgaenge", VorgangViewSet, basename="vorgang")
    router.register("dokumente", DokumentViewSet, basename="dokument")
    router.register("versionen", VersionViewSet, basename="version")
    router.register("wiedervorlagen", WiedervorlageViewSet, basename="wiedervorlage")


class UebergabeView(APIView):
    """`/api/v1/benutzer/{uuid}/uebergabe/`: what a leaving person leaves behind (GET) and its
    handover to a colleague of the same Kommune (POST). Lives in akten (the records are its
    business); the path stays beside the person it concerns."""

    permission_classes = [IsAuthenticated]

    def _von(self, request, benutzer_uuid):
        von = get_object_or_404(kommunen_selectors.benutzer_fuer(request.user), uuid=benutzer_uuid)
        if not uebergabe.darf_uebergeben(request.user, von):
            raise PermissionDenied("Nur Kommunen-Admins übertragen Aufgaben ihrer Leute.")
        return von

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "Uebergabe",
            {
                "wiedervorlagen": serializers.ListField(child=serializers.DictField()),
                "freigaben": serializers.ListField(child=serializers.DictField()),
            },
        ),
        summary="Offene Wiedervorlagen und Freigaben der Person (Kommunen-Admin)",
        tags=["benutzer"],
    )
    def get(self, request, benutzer_uuid):
        von = self._von(request, benutzer_uuid)
        return Response(
            {
                "wiedervorlagen": [
                    {
                        "aktenzeichen": w.akte.aktenzeichen,
                        "datum": w.datum,
                        # the note of a Wiedervorlage on another Kommune's Akte is not the
                        # admin's to read (it may quote the Akte)
                        "notiz": w.notiz if w.kommune_id == von.kommune_id else "",
                    }
                    for w in uebergabe.offene_wiedervorlagen(von)
                ],
                "freigaben": [
                    {
                        "aktenzeichen": f.akte.aktenzeichen,
                        "schreiben": f.schreiben,
                        "verfaellt": f.verfaellt,
                    }
                    for f in uebergabe.freigaben_an(von)
                ],
            }
        )

    @extend_schema(
        request=inline_serializer(
            "UebergabeAnlegen",
            {
                "was": serializers.ChoiceField(choices=["wiedervorlagen", "freigaben"]),
                "an": serializers.CharField(help_text="Benutzername derselben Kommune"),
            },
        ),
        responses=inline_serializer(
            "UebergabeErgebnis",
            {"uebertragen": serializers.IntegerField(), "geblieben": serializers.IntegerField()},
        ),
        summary="Wiedervorlagen oder Freigaben an eine Kollegin übertragen",
        tags=["benutzer"],
    )
    def post(self, request, benutzer_uuid):
        von = self._von(request, benutzer_uuid)
        was = textwert(request.data, "was")
        if was not in ("wiedervorlagen", "freigaben"):
            raise serializers.ValidationError(
                {"was": ["Bitte „wiedervorlagen“ oder „freigaben“ angeben."]}
            )
        an = (
            kommunen_selectors.benutzer_fuer(request.user)
            .filter(kommune_id=von.kommune_id, username=textwert(request.data, "an"))
            .first()
        )
        if an is None:
            raise serializers.ValidationError(
                {"an": ["Diese Person gibt es in der Kommune nicht."]}
            )
        akteur = akteur_aus(request)
        if was == "freigaben":
            anzahl = service_ausfuehren(
                uebergabe.freigaben_uebertragen, akteur=akteur, von=von, an=an
            )
            return Response({"uebertragen": anzahl, "geblieben": 0})
        anzahl, geblieben = service_ausfuehren(
            uebergabe.wiedervorlagen_uebertragen, akteur=akteur, von=von, an=an
        )
        return Response({"uebertragen": anzahl, "geblieben": geblieben})
