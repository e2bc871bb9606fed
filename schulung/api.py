from uuid import UUID

from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse as django_reverse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from eakte.akten import dateien
from eakte.common.akteur import akteur_aus
from eakte.common.api import service_ausfuehren
from eakte.common.eingabe import MultipartParser, textwert
from eakte.common.regeln import RegelErlaubnis
from eakte.kommunen import selectors as kommunen_selectors
from eakte.kommunen.models import Kommune

from . import kalender, selectors, services
from .bescheinigung import bescheinigung_pdf
from .models import (
    Anmeldung,
    Dokument,
    Schulung,
    Schulungstermin,
)
from .serializers import (
    AnhangHochladenSerializer,
    AnhangSerializer,
    AnmeldungSerializer,
    AnwesenheitSerializer,
    DokumentAnlegenSerializer,
    DokumentSerializer,
    FassungSerializer,
    SchulungAnlegenSerializer,
    SchulungSerializer,
    SuchtrefferSerializer,
    TeilnehmerSerializer,
    TerminAnlegenSerializer,
    TerminSerializer,
)


class KalenderRenderer(renderers.BaseRenderer):
    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else str(data).encode()


class PdfRenderer(renderers.BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else str(data).encode()


class DokumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Dienstanweisungen and Leitfäden in the caller's scope (drafts only for the Redaktion)."""

    queryset = Dokument.objects.none()
    serializer_class = DokumentSerializer
    lookup_field = "uuid"

    def get_queryset(self):
        return (
            selectors.schulungsdokumente_fuer(self.request.user)
            .prefetch_related("kommunen", selectors.oes_im_verbund_prefetch())
            .order_by("art", "titel")
        )

    @extend_schema(request=DokumentAnlegenSerializer, responses={201: DokumentSerializer})
    def create(self, request):
        eingabe = DokumentAnlegenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        daten = dict(eingabe.validated_data)
        verbund_id = request.user.kommune.verbund_id
        daten["kommunen"] = list(
            Kommune.objects.filter(verbund_id=verbund_id, slug__in=daten["kommunen"])
        )
        daten["organisationseinheiten"] = list(
            # a document's scope may name OEs of every Kommune of the Verbund
            kommunen_selectors.oes_im_verbund(request.user)
            .filter(uuid__in=daten["organisationseinheiten"])
            .select_related("kommune")
        )
        dokument = service_ausfuehren(
            services.dokument_anlegen, akteur=akteur_aus(request), **daten
        )
        return Response(DokumentSerializer(dokument).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=inline_serializer("Entwurf", {"text": serializers.CharField()}),
        responses=FassungSerializer,
        summary="Entwurf speichern oder neu beginnen",
    )
    @action(detail=True, methods=["post"])
    def entwurf(self, request, uuid=None):
        fassung = service_ausfuehren(
            services.entwurf_speichern,
            akteur=akteur_aus(request),
            dokument=self.get_object(),
            text=textwert(request.data, "text"),
        )
        return Response(FassungSerializer(fassung).data)

    @extend_schema(request=None, responses=FassungSerializer, summary="Entwurf veröffentlichen")
    @action(detail=True, methods=["post"])
    def veroeffentlichen(self, request, uuid=None):
        fassung = service_ausfuehren(
            services.entwurf_veroeffentlichen,
            akteur=akteur_aus(request),
            dokument=self.get_object(),
        )
        return Response(FassungSerializer(fassung).data)

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "Kenntnisnahme",
            {"fassung": serializers.IntegerField(), "zeitpunkt": serializers.DateTimeField()},
        ),
        summary="Kenntnisnahme der gültigen Fassung bestätigen",
    )
    @action(detail=True, methods=["post"])
    def bestaetigen(self, request, uuid=None):
        fassung = selectors.gueltige_fassung(self.get_object())
        if fassung is None:
            raise NotFound
        kenntnisnahme = service_ausfuehren(
            services.kenntnis_nehmen, akteur=akteur_aus(request), fassung=fassung
        )
        return Response({"fassung": fassung.nummer, "zeitpunkt": kenntnisnahme.zeitpunkt})

    @extend_schema(responses=DokumentSerializer(many=True), summary="Was ich noch bestätigen muss")
    @action(detail=False, url_path="zu-bestaetigen", pagination_class=None)
    def zu_bestaetigen(self, request):
        dokumente = [f.dokument for f in selectors.zu_bestaetigen(request.user)]
        return Response(DokumentSerializer(dokumente, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, required=True, description="Suchbegriffe")
        ],
        responses=SuchtrefferSerializer(many=True),
        summary="Volltextsuche in den gültigen Fassungen (deutsch)",
    )
    @action(detail=False, pagination_class=None)
    def suche(self, request):
        begriff = request.query_params.get("q", "").strip()[:200]
        return Response(
            SuchtrefferSerializer(selectors.dokumente_suchen(request.user, begriff), many=True).data
        )

    @extend_schema(methods=["GET"], responses=AnhangSerializer(many=True), summary="PDF-Anhänge")
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AnhangHochladenSerializer},
        responses={201: AnhangSerializer},
        summary="PDF-Anhang hochladen (Schulungsredaktion)",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultipartParser],
        pagination_class=None,
    )
    def anhaenge(self, request, uuid=None):
        dokument = self.get_object()
        if request.method == "GET":
            return Response(
                AnhangSerializer(
                    dokument.anhaenge.all(), many=True, context={"request": request}
                ).data
            )
        eingabe = AnhangHochladenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        anhang = service_ausfuehren(
            services.anhang_hinzufuegen,
            akteur=akteur_aus(request),
            dokument=dokument,
            datei=eingabe.validated_data["datei"],
        )
        return Response(
            AnhangSerializer(anhang, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        summary="PDF-Anhang herunterladen",
    )
    @action(
        detail=True,
        url_path=r"anhaenge/(?P<anhang_uuid>[0-9a-f-]{36})",
        renderer_classes=[renderers.JSONRenderer, PdfRenderer],
    )
    def anhang(self, request, uuid=None, anhang_uuid=None):
        anhang = get_object_or_404(self.get_object().anhaenge.all(), uuid=anhang_uuid)
        antwort = FileResponse(
            dateien.speicher().open(anhang.speicherort, "rb"), content_type="application/pdf"
        )
        antwort["Content-Disposition"] = content_disposition_header(True, anhang.dateiname)
        antwort["Content-Length"] = str(anhang.groesse)
        return antwort

    @extend_schema(
        responses=inline_serializer(
            "Abschlusszeile",
            {
                "kommune": serializers.CharField(),
                "benutzername": serializers.CharField(),
                "oes": serializers.CharField(),
                "bestaetigt_am": serializers.DateTimeField(allow_null=True),
            },
            many=True,
        ),
        summary="Stand der Kenntnisnahme (Schulung, Kommunen-Admins)",
    )
    @action(detail=True, pagination_class=None)
    def kenntnisnahmen(self, request, uuid=None):
        fassung = selectors.gueltige_fassung(self.get_object())
        if fassung is None:
            raise NotFound
        return Response(
            [
                {
                    "kommune": z.kommune.slug,
                    "benutzername": z.person.username,
                    "oes": z.oes,
                    "bestaetigt_am": z.bestaetigt_am,
                }
                for z in selectors.abschluss(request.user, fassung)
            ]
        )

    @extend_schema(
        request=None,
        responses=inline_serializer("Erinnerung", {"erinnert": serializers.IntegerField()}),
        summary="Alle, die noch nicht bestätigt haben, per E-Mail erinnern (einmal am Tag)",
    )
    @action(detail=True, methods=["post"], url_path="kenntnisnahmen/erinnern")
    def kenntnisnahmen_erinnern(self, request, uuid=None):
        fassung = selectors.gueltige_fassung(self.get_object())
        if fassung is None:
            raise NotFound
        anzahl = service_ausfuehren(
            services.kenntnisnahme_erinnern, akteur=akteur_aus(request), fassung=fassung
        )
        return Response({"erinnert": anzahl})


# --- Schulungen ------------------------------------------------------------------------------


class SchulungViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The Schulungen of the caller's Verbund that are meant for them (all for the Redaktion)."""

    queryset = Schulung.objects.none()
    serializer_class = SchulungSerializer
    lookup_field = "uuid"

    def get_queryset(self):
        return selectors.schulungen_fuer(self.request.user).order_by("titel")

    @extend_schema(request=SchulungAnlegenSerializer, responses={201: SchulungSerializer})
    def create(self, request):
        eingabe = SchulungAnlegenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        schulung = service_ausfuehren(
            services.schulung_anlegen, akteur=akteur_aus(request), **eingabe.validated_data
        )
        return Response(SchulungSerializer(schulung).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("schulung", OpenApiTypes.UUID, description="nur diese Schulung"),
            OpenApiParameter(
                "kommend", OpenApiTypes.BOOL, description="nur Termine, die noch nicht vorbei sind"
            ),
        ]
    )
)
class SchulungsterminViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Termine of the Schulungen the caller sees, with free places and the caller's status."""

    queryset = Schulungstermin.objects.none()
    serializer_class = TerminSerializer
    lookup_field = "uuid"

    def get_queryset(self):
        termine = selectors.termine_fuer(self.request.user)
        if self.action == "list":
            schulung = self.request.query_params.get("schulung")
            if schulung:
                try:
                    termine = termine.filter(schulung__uuid=UUID(schulung))
                except ValueError:
                    termine = termine.none()
            if self.request.query_params.get("kommend") in ("true", "1"):
                termine = selectors.kommende(termine)
        return termine

    @extend_schema(request=TerminAnlegenSerializer, responses={201: TerminSerializer})
    def create(self, request):
        eingabe = TerminAnlegenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        daten = dict(eingabe.validated_data)
        schulung = (
            selectors.schulungen_fuer(request.user).filter(uuid=daten.pop("schulung")).first()
        )
        if schulung is None:
            raise serializers.ValidationError({"schulung": ["Unbekannte Schulung."]})
        termin = service_ausfuehren(
            services.termin_anlegen, akteur=akteur_aus(request), schulung=schulung, **daten
        )
        termin = selectors.termine_fuer(request.user).get(pk=termin.pk)
        return Response(TerminSerializer(termin).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AnmeldungSerializer, summary="Zum Termin anmelden")
    @action(detail=True, methods=["post"])
    def anmelden(self, request, uuid=None):
        anmeldung = service_ausfuehren(
            services.termin_anmelden, akteur=akteur_aus(request), termin=self.get_object()
        )
        return Response(AnmeldungSerializer(anmeldung, context={"request": request}).data)

    @extend_schema(request=None, responses=AnmeldungSerializer, summary="Vom Termin abmelden")
    @action(detail=True, methods=["post"])
    def abmelden(self, request, uuid=None):
        anmeldung = service_ausfuehren(
            services.termin_abmelden, akteur=akteur_aus(request), termin=self.get_object()
        )
        return Response(AnmeldungSerializer(anmeldung, context={"request": request}).data)

    # Asked after the Termin is found (get_object): a Termin out of sight stays a 404.
    _NUR_REDAKTION = [
        IsAuthenticated,
        RegelErlaubnis.fuer(
            objekt="schulung.redaktion",
            meldung="Nur die Schulungsredaktion sieht die Teilnehmerliste.",
        ),
    ]

    @extend_schema(
        responses=TeilnehmerSerializer(many=True),
        summary="Angemeldete und Warteliste (Schulungsredaktion)",
    )
    @action(detail=True, permission_classes=_NUR_REDAKTION, pagination_class=None)
    def teilnehmer(self, request, uuid=None):
        termin = self.get_object()
        return Response(
            TeilnehmerSerializer(selectors.teilnehmerliste(request.user, termin), many=True).data
        )

    @extend_schema(
        request=AnwesenheitSerializer,
        responses=TeilnehmerSerializer(many=True),
        summary="Anwesenheit erfassen (Schulungsredaktion, ab Beginn)",
    )
    @action(detail=True, methods=["post"], permission_classes=_NUR_REDAKTION, pagination_class=None)
    def anwesenheit(self, request, uuid=None):
        termin = self.get_object()
        eingabe = AnwesenheitSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        service_ausfuehren(
            services.anwesenheit_erfassen,
            akteur=akteur_aus(request),
            termin=termin,
            anwesend=eingabe.validated_data["anwesend"],
        )
        return Response(
            TeilnehmerSerializer(selectors.teilnehmerliste(request.user, termin), many=True).data
        )

    @extend_schema(
        responses={(200, "text/calendar"): OpenApiTypes.STR},
        summary="Termin als iCalendar-Datei (.ics)",
    )
    @action(detail=True, renderer_classes=[renderers.JSONRenderer, KalenderRenderer])
    def ics(self, request, uuid=None):
        termin = self.get_object()
        url = request.build_absolute_uri(
            django_reverse("schulung:kurs", kwargs={"schulung_uuid": termin.schulung.uuid})
        )
        antwort = HttpResponse(
            kalender.termin_als_ics(termin, url=url), content_type="text/calendar; charset=utf-8"
        )
        antwort["Content-Disposition"] = f'attachment; filename="{kalender.dateiname(termin)}"'
        return antwort


class AnmeldungViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own registrations (angemeldet or on the waiting list), newest Termin first."""

    queryset = Anmeldung.objects.none()
    serializer_class = AnmeldungSerializer
    lookup_field = "uuid"

    def get_queryset(self):
        return selectors.meine_anmeldungen(self.request.user)

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        summary="Teilnahmebescheinigung (PDF), nur nach Teilnahme",
    )
    @action(detail=True, renderer_classes=[renderers.JSONRenderer, PdfRenderer])
    def bescheinigung(self, request, uuid=None):
        anmeldung = get_object_or_404(
            selectors.bescheinigungen_fuer(request.user).select_related(
                "benutzer__kommune", "termin__schulung__verbund"
            ),
            uuid=uuid,
        )
        antwort = HttpResponse(bescheinigung_pdf(anmeldung), content_type="application/pdf")
        antwort["Content-Disposition"] = (
            f'attachment; filename="Teilnahmebescheinigung-{anmeldung.bescheinigungsnummer}.pdf"'
        )
        return antwort


def registrieren(router) -> None:
    router.register("schulungen", SchulungViewSet, basename="schulung")
    router.register("schulungstermine", SchulungsterminViewSet, basename="schulungstermin")
    router.register("schulungsanmeldungen", AnmeldungViewSet, basename="schulungsanmeldung")
