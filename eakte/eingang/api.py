"""REST API of the Antragseingang.

For the platforms (signed with HMAC, no session, no API key; docs/eingang.md):
- POST /api/v1/eingang/antraege/               deliver a submission (JSON+base64 or multipart)
- GET  /api/v1/eingang/antraege/status/?id=<uuid> or ?referenz=<Referenz>  poll its status
Every refusal is problem+json (RFC 9457) with a German `detail`.

For the people of the Kommune (scoped by selectors.py): the Anträge, sending a Dokument back
to the applicant, the delivery log with retry, the routing rules.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from eakte.akten import selectors as akten_selectors
from eakte.akten.models import Dokument
from eakte.common.akteur import akteur_aus
from eakte.common.api import service_ausfuehren
from eakte.common.mandantenbereich import systembereich
from eakte.common.regeln import darf

from . import einreichung, geheimnis, selectors, services
from .einreichung import Ablehnung
from .models import (
    REGELFELDER,
    Antrag,
    Plattform,
    Postfach,
    Regel,
    Rueckmeldung,
    Zulassung,
    Zustellpunkt,
)
from .serializers import (
    AntragSerializer,
    KanalSerializer,
    NeuePlattformSerializer,
    PlattformSerializer,
    PostfachSerializer,
    QuittungSerializer,
    RegelSerializer,
    RueckmeldungSerializer,
    UebermittelnSerializer,
    ZulassungSerializer,
    ZustellpunktSerializer,
)

logger = logging.getLogger(__name__)

PROBLEM_TYP = "application/problem+json"


def problem(ablehnung: Ablehnung) -> JsonResponse:
    return JsonResponse(ablehnung.problem(), status=ablehnung.status, content_type=PROBLEM_TYP)


def _body(request) -> bytes:
    """The raw body, read once, with our own limit (the attachments arrive in the body)."""
    django_request = request._request
    laenge = int(django_request.META.get("CONTENT_LENGTH") or 0)
    if laenge > settings.EINGANG_MAX_BYTES:
        raise Ablehnung(
            413,
            "zu-gross",
            "Anfrage zu groß",
            f"Die Anfrage ist mit {laenge / 1048576:.1f} MB zu groß; höchstens "
            f"{settings.EINGANG_MAX_BYTES / 1048576:.0f} MB werden angenommen.",
        )
    return django_request.read(settings.EINGANG_MAX_BYTES + 1)


def plattform_pruefen(request, body: bytes) -> Plattform:
    kennung = request.headers.get("X-Eingang-Client", "")
    plattform = Plattform.objects.filter(kennung=kennung, aktiv=True).first() if kennung else None
    if plattform is None:
        raise Ablehnung(
            401,
            "unbekannter-client",
            "Nicht angemeldet",
            "Unbekannte oder gesperrte Plattform (X-Eingang-Client).",
        )
    try:
        geheimnis.pruefen(
            geheimnis.entschluesseln(plattform.geheimnis),
            kennung=kennung,
            zeitstempel=request.headers.get("X-Eingang-Zeitstempel", ""),
            nonce=request.headers.get("X-Eingang-Nonce", ""),
            signatur=request.headers.get("X-Eingang-Signatur", ""),
            methode=request.method,
            pfad=request.get_full_path(),
            body=body,
        )
    except geheimnis.Signaturfehler as fehler:
        raise Ablehnung(401, "signatur", "Signatur ungültig", str(fehler)) from fehler
    return plattform


SIGNATUR_PARAMETER = [
    OpenApiParameter("X-Eingang-Client", str, OpenApiParameter.HEADER, required=True,
                     description="Client-Kennung der Plattform"),
    OpenApiParameter("X-Eingang-Zeitstempel", str, OpenApiParameter.HEADER, required=True,
                     description="Unix-Zeit in Sekunden; höchstens EINGANG_ZEITFENSTER alt"),
    OpenApiParameter("X-Eingang-Nonce", str, OpenApiParameter.HEADER, required=True,
                     description="16–128 Zeichen, für jede Anfrage neu (Schutz vor Wiederholung)"),
    OpenApiParameter("X-Eingang-Signatur", str, OpenApiParameter.HEADER, required=True,
                     description="v1=HMAC-SHA256(Geheimnis, Zeitstempel.Nonce.METHODE.Pfad. + "
                     "Body), hex"),
]  # fmt: skip

BEISPIEL = {
    "metadaten": {
        "kommune_ags": "06437006",
        "leistungsschluessel": "99140002000000",
        "prozess_id": "civento-bauantrag",
        "referenz": "CIV-2026-000123",
        "eingereicht_am": "2026-03-01T10:15:00+01:00",
        "antragsteller": {"name": "Erika Mustermann", "anschrift": "Hauptstraße 1, 64711 Erbach"},
        "betreff": "Bauantrag Neubau Einfamilienhaus",
    },
    "datenformat": "json",
    "daten": {"flurstueck": "Erbach 12/3", "vorhaben": "Neubau Einfamilienhaus"},
    "anlagen": [
        {"dateiname": "Antrag.pdf", "antrag": True, "inhalt": "JVBERi0xLjQK…"},
        {"dateiname": "Lageplan.pdf", "inhalt": "JVBERi0xLjQK…"},
    ],
}

PROBLEM_ANTWORT = OpenApiResponse(
    description="problem+json mit deutschem `detail`",
    response=inline_serializer(
        "EingangProblem",
        {
            "type": serializers.CharField(),
            "title": serializers.CharField(),
            "status": serializers.IntegerField(),
            "detail": serializers.CharField(),
        },
    ),
)


class AntragsannahmeView(APIView):
    """Delivery of a submission by a registered platform."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    parser_classes: list = []

    @extend_schema(
        operation_id="eingang_antrag_zustellen",
        summary="Antrag zustellen (Plattform, HMAC-signiert)",
        description=(
            "JSON mit Base64-Anlagen (application/json) oder multipart/form-data (Feld "
            "`metadaten` als JSON, `daten`, Dateien `antrag` und `anlagen`). Idempotent je "
            "Referenz bzw. Idempotency-Key: eine erneute Zustellung liefert die Quittung des "
            "vorhandenen Antrags (200) statt 201."
        ),
        parameters=SIGNATUR_PARAMETER
        + [OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
        request={
            "application/json": OpenApiTypes.OBJECT,
            "multipart/form-data": OpenApiTypes.OBJECT,
        },
        examples=[OpenApiExample("Bauantrag", value=BEISPIEL, request_only=True)],
        responses={
            201: QuittungSerializer,
            200: QuittungSerializer,
            400: PROBLEM_ANTWORT,
            401: PROBLEM_ANTWORT,
            403: PROBLEM_ANTWORT,
            413: PROBLEM_ANTWORT,
            422: PROBLEM_ANTWORT,
        },
        tags=["eingang"],
    )
    def post(self, request):
        try:
            with systembereich("Antragseingang"):
                body = _body(request)
                plattform = plattform_pruefen(request, body)
                art = request.content_type or ""
                schluessel = request.headers.get("Idempotency-Key", "").strip()
                if art.startswith("multipart/form-data"):
                    eingabe = einreichung.aus_multipart(body, art, schluessel)
                elif art.startswith("application/json"):
                    eingabe = einreichung.aus_json(body, schluessel)
                else:
                    raise Ablehnung(
                        415,
                        "format",
                        "Format nicht unterstützt",
                        "Bitte application/json oder multipart/form-data senden.",
                    )
                annahme = services.antrag_annehmen(plattform=plattform, einreichung=eingabe)
                daten = QuittungSerializer(annahme.antrag).data
        except Ablehnung as ablehnung:
            return problem(ablehnung)
        except ValidationError as fehler:
            return problem(einreichung.ungueltig(" ".join(fehler.messages)))
        return Response(
            daten, status=status.HTTP_201_CREATED if annahme.neu else status.HTTP_200_OK
        )


class AntragsstatusView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    parser_classes: list = []

    @extend_schema(
        operation_id="eingang_antrag_status",
        summary="Status eines zugestellten Antrags (Plattform, HMAC-signiert)",
        description="Signiert wird der Pfad samt Abfrage (…/status/?referenz=…).",
        parameters=SIGNATUR_PARAMETER
        + [
            OpenApiParameter("id", str, description="unsere Kennung aus der Quittung"),
            OpenApiParameter("referenz", str, description="oder die Referenz der Plattform"),
        ],
        responses={200: QuittungSerializer, 401: PROBLEM_ANTWORT, 404: PROBLEM_ANTWORT},
        tags=["eingang"],
    )
    def get(self, request):
        try:
            with systembereich("Antragseingang: Status"):
                plattform = plattform_pruefen(request, _body(request))
                antrag = _antrag_der_plattform(plattform, request.query_params)
                antrag.status = services.status_ermitteln(antrag)
                daten = QuittungSerializer(antrag).data
        except Ablehnung as ablehnung:
            return problem(ablehnung)
        return Response(daten)


def _antrag_der_plattform(plattform: Plattform, parameter) -> Antrag:
    antraege = Antrag.alle.filter(plattform=plattform).select_related("vorgang__akte")
    kennung, referenz = parameter.get("id", ""), parameter.get("referenz", "")
    try:
        antrag = (
            antraege.filter(uuid=kennung).first()
            if kennung
            else antraege.filter(referenz=referenz).first()
            if referenz
            else None
        )
    except ValidationError:  # not a UUID
        antrag = None
    if antrag is None:
        raise Ablehnung(404, "unbekannt", "Nicht gefunden", "Diesen Antrag gibt es nicht.")
    return antrag


# --- für die Menschen der Kommune ---------------------------------------------------------


@extend_schema(tags=["eingang"])
class AntragViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Antrag.objects.none()
    serializer_class = AntragSerializer
    lookup_field = "uuid"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.antraege_fuer(self.request.user)

    @extend_schema(
        request=UebermittelnSerializer,
        responses={201: RueckmeldungSerializer, 400: OpenApiResponse(description="abgelehnt")},
        summary="Dokument an den Antragsteller übermitteln (Webhook an die Plattform)",
    )
    @action(detail=True, methods=["post"])
    def uebermitteln(self, request, uuid=None):
        antrag = self.get_object()
        eingabe = UebermittelnSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        dokument = get_object_or_404(
            Dokument.objects.filter(vorgang_id=antrag.vorgang_id),
            uuid=eingabe.validated_data["dokument"],
        )
        rueckmeldung = service_ausfuehren(
            services.dokument_uebermitteln,
            akteur=akteur_aus(request),
            antrag=antrag,
            dokument=dokument,
        )
        return Response(RueckmeldungSerializer(rueckmeldung).data, status=201)


@extend_schema(tags=["eingang"])
class RueckmeldungViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Rueckmeldung.objects.none()
    serializer_class = RueckmeldungSerializer
    lookup_field = "uuid"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.rueckmeldungen_fuer(self.request.user)

    @extend_schema(request=None, summary="Rückmeldung erneut senden")
    @action(detail=True, methods=["post"])
    def wiederholen(self, request, uuid=None):
        rueckmeldung = service_ausfuehren(
            services.rueckmeldung_wiederholen,
            akteur=akteur_aus(request),
            rueckmeldung=self.get_object(),
        )
        return Response(RueckmeldungSerializer(rueckmeldung).data)


@extend_schema(tags=["eingang"])
class RegelViewSet(viewsets.ModelViewSet):
    queryset = Regel.objects.none()
    serializer_class = RegelSerializer
    lookup_field = "uuid"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.regeln_fuer(self.request.user)

    def _speichern(self, serializer, regel=None):
        daten = dict(serializer.validated_data)
        verbundweit = daten.pop("verbundweit", False)
        if regel is not None and serializer.partial:  # PATCH: the rest stays as it is
            daten = {name: getattr(regel, name) for name in REGELFELDER} | daten
            verbundweit = regel.kommune_id is None
        user = self.request.user
        with transaction.atomic():
            return service_ausfuehren(
                services.regel_speichern,
                akteur=akteur_aus(self.request),
                verbund=user.kommune.verbund,
                kommune=None if verbundweit else user.kommune,
                regel=regel,
                **daten,
            )

    def perform_create(self, serializer):
        serializer.instance = self._speichern(serializer)

    def perform_update(self, serializer):
        serializer.instance = self._speichern(serializer, serializer.instance)

    def perform_destroy(self, instance):
        service_ausfuehren(services.regel_loeschen, akteur=akteur_aus(self.request), regel=instance)


@extend_schema(tags=["eingang"])
class PlattformViewSet(viewsets.ModelViewSet):
    """Platforms of the own Verbund (Verbund-Admin); DELETE deactivates."""

    queryset = Plattform.objects.none()
    serializer_class = PlattformSerializer
    lookup_field = "uuid"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.plattformen_fuer(self.request.user)

    @extend_schema(
        request=PlattformSerializer,
        responses={201: NeuePlattformSerializer},
        summary="Plattform registrieren (das Geheimnis steht nur in dieser Antwort)",
    )
    def create(self, request, *args, **kwargs):
        eingabe = PlattformSerializer(data=request.data, context={"request": request})
        eingabe.is_valid(raise_exception=True)
        daten = dict(eingabe.validated_data)
        daten.pop("aktiv", None)
        plattform, wert = service_ausfuehren(
            services.plattform_registrieren,
            akteur=akteur_aus(request),
            verbund=request.user.kommune.verbund,
            **daten,
        )
        plattform.geheimnis = wert  # the clear secret, for this answer only (not saved)
        antwort = Response(NeuePlattformSerializer(plattform).data, status=status.HTTP_201_CREATED)
        antwort["Cache-Control"] = "no-store"
        return antwort

    def perform_update(self, serializer):
        plattform = serializer.instance
        daten = {"name": plattform.name, "webhook_url": plattform.webhook_url,
                 "aktiv": plattform.aktiv} | dict(serializer.validated_data)  # fmt: skip
        if daten.pop("kennung", plattform.kennung) != plattform.kennung:
            raise serializers.ValidationError(
                {"kennung": "Die Client-Kennung bleibt, wie sie ist."}
            )
        serializer.instance = service_ausfuehren(
            services.plattform_aendern,
            akteur=akteur_aus(self.request),
            plattform=plattform,
            **daten,
        )

    @extend_schema(summary="Plattform deaktivieren (stellt nichts mehr zu)")
    def destroy(self, request, *args, **kwargs):
        plattform = service_ausfuehren(
            services.plattform_deaktivieren, akteur=akteur_aus(request), plattform=self.get_object()
        )
        return Response(PlattformSerializer(plattform).data)


@extend_schema(tags=["eingang"])
class ZulassungViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Platforms allowed to deliver to the own Kommune (its administrators)."""

    queryset = Zulassung.objects.none()
    serializer_class = ZulassungSerializer
    lookup_field = "uuid"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.zulassungen_fuer(self.request.user)

    def create(self, request, *args, **kwargs):
        if not darf(request.user, "eingang.zulassung_erteilen", request.user.kommune):
            raise PermissionDenied("Plattformen lässt die Verwaltung der Kommune zu.")
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = service_ausfuehren(
            services.zulassung_erteilen,
            akteur=akteur_aus(self.request),
            kommune=self.request.user.kommune,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        service_ausfuehren(
            services.zulassung_entziehen, akteur=akteur_aus(self.request), zulassung=instance
        )


@extend_schema(tags=["eingang"])
class PostfachViewSet(viewsets.ModelViewSet):
    """Functional mailboxes of the own Kommune (its administrators); DELETE deactivates."""

    queryset = Postfach.objects.none()
    serializer_class = PostfachSerializer
    lookup_field = "uuid"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.postfaecher_fuer(self.request.user)

    def perform_create(self, serializer):
        daten = dict(serializer.validated_data)
        daten.pop("aktiv", None)
        serializer.instance = service_ausfuehren(
            services.postfach_anlegen,
            akteur=akteur_aus(self.request),
            kommune=self.request.user.kommune,
            **daten,
        )

    def perform_update(self, serializer):
        serializer.instance = service_ausfuehren(
            services.postfach_aendern,
            akteur=akteur_aus(self.request),
            postfach=serializer.instance,
            **serializer.validated_data,
        )

    @extend_schema(summary="Funktionspostfach deaktivieren (wird nicht mehr abgerufen)")
    def destroy(self, request, *args, **kwargs):
        postfach = service_ausfuehren(
            services.postfach_deaktivieren, akteur=akteur_aus(request), postfach=self.get_object()
        )
        return Response(PostfachSerializer(postfach, context={"request": request}).data)


@extend_schema(tags=["eingang"])
class ZustellpunktViewSet(viewsets.ModelViewSet):
    """FIT-Connect destinations of the own Kommune (its administrators); DELETE deactivates.
    Another Kommune's destination answers 404."""

    queryset = Zustellpunkt.objects.none()
    serializer_class = ZustellpunktSerializer
    lookup_field = "uuid"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.zustellpunkte_fuer(self.request.user)

    def perform_create(self, serializer):
        daten = dict(serializer.validated_data)
        daten.pop("aktiv", None)
        for feld in services.ZUSTELLPUNKTGEHEIMNISSE:
            daten.setdefault(feld, "")
        serializer.instance = service_ausfuehren(
            services.zustellpunkt_anlegen,
            akteur=akteur_aus(self.request),
            kommune=self.request.user.kommune,
            **daten,
        )

    def perform_update(self, serializer):
        serializer.instance = service_ausfuehren(
            services.zustellpunkt_aendern,
            akteur=akteur_aus(self.request),
            zustellpunkt=serializer.instance,
            **serializer.validated_data,
        )

    @extend_schema(summary="Zustellpunkt deaktivieren (wird nicht mehr abgerufen)")
    def destroy(self, request, *args, **kwargs):
        punkt = service_ausfuehren(
            services.zustellpunkt_deaktivieren,
            akteur=akteur_aus(request),
            zustellpunkt=self.get_object(),
        )
        return Response(ZustellpunktSerializer(punkt, context={"request": request}).data)


class KanaeleView(APIView):
    """The inbound channels of the own Kommune (its administrators; others get 403)."""

    @extend_schema(
        operation_id="eingang_kanaele",
        summary="Eingangskanäle der eigenen Kommune (Plattformen, Postfächer, FIT-Connect)",
        responses={200: KanalSerializer(many=True), 403: OpenApiResponse(description="kein Recht")},
        tags=["eingang"],
    )
    def get(self, request):
        if not darf(request.user, "eingang.zulassung_erteilen", request.user.kommune):
            raise PermissionDenied("Nur die Verwaltung der Kommune sieht ihre Eingangskanäle.")
        kanaele = selectors.kanaele_fuer(request.user)
        zeilen = [
            {"art": "plattform", "name": z.plattform.name, "konto": z.konto.username,
             "letzter_abruf": None, "letzter_fehler": ""}
            for z in kanaele["zulassungen"]
        ] + [
            {"art": "postfach", "name": p.name, "konto": p.konto.username,
             "letzter_abruf": p.letzter_abruf, "letzter_fehler": p.letzter_fehler}
            for p in kanaele["postfaecher"]
        ] + [
            {"art": "fitconnect", "name": str(z.destination_id), "konto": z.plattform.name,
             "letzter_abruf": z.letzter_abruf, "letzter_fehler": z.letzter_fehler}
            for z in kanaele["zustellpunkte"]
        ]  # fmt: skip
        return Response(KanalSerializer(zeilen, many=True).data)


class AntwortkennungView(APIView):
    """The reply token of a Vorgang the person sees (404 otherwise, also for another Kommune's)."""

    @extend_schema(
        operation_id="eingang_antwortkennung",
        summary="Antwortkennung eines Vorgangs für den Betreff von E-Mails",
        description=(
            "Steht „[#V-…]“ im Betreff einer E-Mail an ein Funktionspostfach der Kommune des "
            "Vorgangs, wird sie in diesem Vorgang abgelegt. Wird beim ersten Abruf eines offenen "
            "Vorgangs vergeben."
        ),
        responses={
            200: inline_serializer(
                "Antwortkennung",
                {
                    "vorgang": serializers.UUIDField(),
                    "antwortkennung": serializers.CharField(allow_null=True),
                    "betreff_zusatz": serializers.CharField(allow_null=True),
                },
            ),
            404: OpenApiResponse(description="Vorgang nicht sichtbar"),
        },
        tags=["eingang"],
    )
    def get(self, request, vorgang_uuid):
        vorgang = get_object_or_404(akten_selectors.vorgaenge_fuer(request.user), uuid=vorgang_uuid)
        kennung = selectors.antwortkennung_zeigen(vorgang)
        return Response(
            {
                "vorgang": vorgang.uuid,
                "antwortkennung": kennung.kennung if kennung else None,
                "betreff_zusatz": str(kennung) if kennung else None,
            }
        )


def registrieren(router) -> None:
    router.register("eingang/eingegangene-antraege", AntragViewSet, basename="eingang-antrag")
    router.register("eingang/rueckmeldungen", RueckmeldungViewSet, basename="eingang-rueckmeldung")
    router.register("eingang/regeln", RegelViewSet, basename="eingang-regel")
    router.register("eingang/postfaecher", PostfachViewSet, basename="eingang-postfach")
    router.register("eingang/zustellpunkte", ZustellpunktViewSet, basename="eingang-zustellpunkt")
    router.register("eingang/zulassungen", ZulassungViewSet, basename="eingang-zulassung")
    router.register("eingang/plattformen", PlattformViewSet, basename="eingang-plattform")
