from uuid import UUID

from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse as django_reverse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.reverse import reverse

from eakte.akten import dateien
from eakte.common.api import service_ausfuehren
from eakte.common.eingabe import MultipartParser, textwert
from eakte.kommunen.models import Kommune, Organisationseinheit
from eakte.kommunen.rollen import Rolle

from . import kalender, kenntnisnahme_mail, selectors, services
from .bescheinigung import bescheinigung_pdf
from .models import (
    Anhang,
    Anmeldestatus,
    Anmeldung,
    Dokument,
    Dokumentart,
    Fassung,
    Schulung,
    Schulungstermin,
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


class FassungSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fassung
        fields = ["nummer", "status", "gueltig_ab", "text", "html", "veroeffentlicht_am"]
        read_only_fields = fields


class DokumentSerializer(serializers.ModelSerializer):
    kommunen = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    organisationseinheiten = serializers.SlugRelatedField(
        slug_field="uuid", many=True, read_only=True
    )
    gueltige_fassung = serializers.SerializerMethodField()

    class Meta:
        model = Dokument
        fields = [
            "uuid",
            "art",
            "titel",
            "kategorie",
            "erfordert_kenntnisnahme",
            "alle_kommunen",
            "kommunen",
            "rollen",
            "organisationseinheiten",
            "gueltige_fassung",
        ]
        read_only_fields = fields

    def get_gueltige_fassung(self, obj) -> dict | None:
        fassung = selectors.gueltige_fassung(obj)
        return FassungSerializer(fassung).data if fassung else None


class DokumentAnlegenSerializer(serializers.Serializer):
    art = serializers.ChoiceField(choices=Dokumentart.choices)
    titel = serializers.CharField(max_length=300)
    kategorie = serializers.CharField(max_length=100, required=False, default="")
    text = serializers.CharField()
    erfordert_kenntnisnahme = serializers.BooleanField(default=False)
    alle_kommunen = serializers.BooleanField(default=True)
    kommunen = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    organisationseinheiten = serializers.ListField(
        child=serializers.UUIDField(), required=False, default=list, help_text="leer: alle OEs"
    )
    rollen = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class AnhangSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Anhang
        fields = ["uuid", "dateiname", "groesse", "sha256", "hochgeladen_am", "download"]
        read_only_fields = fields

    def get_download(self, obj) -> str:
        return reverse(
            "api:schulungsdokument-anhang",
            kwargs={"uuid": obj.dokument.uuid, "anhang_uuid": obj.uuid},
            request=self.context.get("request"),
        )


class AnhangHochladenSerializer(serializers.Serializer):
    datei = serializers.FileField(help_text="PDF, höchstens 20 MB")


class SuchtrefferSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(source="dokument.uuid")
    titel = serializers.CharField(source="dokument.titel")
    art = serializers.CharField(source="dokument.art")
    fassung = serializers.IntegerField(source="fassung.nummer")
    rang = serializers.FloatField()
    ausschnitt = serializers.CharField(help_text="HTML; Treffer in <mark>")


class DokumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Dienstanweisungen and Leitfäden in the caller's scope (drafts only for the Redaktion)."""

    queryset = Dokument.objects.none()
    serializer_class = DokumentSerializer
    lookup_field = "uuid"

    def get_queryset(self):
        return (
            selectors.dokumente_for(self.request.user)
            .prefetch_related("kommunen", "organisationseinheiten")
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
            Organisationseinheit.objects.filter(
                kommune__verbund_id=verbund_id, uuid__in=daten["organisationseinheiten"]
            ).select_related("kommune")
        )
        dokument = service_ausfuehren(services.dokument_create, benutzer=request.user, **daten)
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
            benutzer=request.user,
            dokument=self.get_object(),
            text=textwert(request.data, "text"),
        )
        return Response(FassungSerializer(fassung).data)

    @extend_schema(request=None, responses=FassungSerializer, summary="Entwurf veröffentlichen")
    @action(detail=True, methods=["post"])
    def veroeffentlichen(self, request, uuid=None):
        fassung = service_ausfuehren(
            services.entwurf_veroeffentlichen, benutzer=request.user, dokument=self.get_object()
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
            services.kenntnis_nehmen, benutzer=request.user, fassung=fassung
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
            benutzer=request.user,
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
            kenntnisnahme_mail.erinnern, benutzer=request.user, fassung=fassung
        )
        return Response({"erinnert": anzahl})


# --- Schulungen ------------------------------------------------------------------------------


class SchulungSerializer(serializers.ModelSerializer):
    class Meta:
        model = Schulung
        fields = ["uuid", "titel", "beschreibung", "beschreibung_html", "rollen"]
        read_only_fields = fields


class SchulungAnlegenSerializer(serializers.Serializer):
    titel = serializers.CharField(max_length=300)
    beschreibung = serializers.CharField(required=False, default="", allow_blank=True)
    rollen = serializers.ListField(
        child=serializers.ChoiceField(choices=Rolle.choices), required=False, default=list
    )


class TerminSerializer(serializers.ModelSerializer):
    schulung = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    # Text, not URLField: a Termin with a place only has an empty link, which is no URI.
    online_link = serializers.CharField(
        read_only=True, help_text="Link zur Online-Teilnahme (leer: nur vor Ort)"
    )
    belegt = serializers.SerializerMethodField()
    frei = serializers.SerializerMethodField()
    wartend = serializers.SerializerMethodField()
    anmeldestatus = serializers.SerializerMethodField(
        help_text="Ihr eigener Stand für diesen Termin (null: nicht angemeldet)"
    )

    class Meta:
        model = Schulungstermin
        fields = [
            "uuid",
            "schulung",
            "beginn",
            "ende",
            "ort",
            "online_link",
            "kapazitaet",
            "anmeldeschluss",
            "abgesagt",
            "belegt",
            "frei",
            "wartend",
            "anmeldestatus",
        ]
        read_only_fields = fields

    def get_belegt(self, obj) -> int:
        return obj.kapazitaet - selectors.freie_plaetze(obj)

    def get_frei(self, obj) -> int:
        return selectors.freie_plaetze(obj)

    def get_wartend(self, obj) -> int:
        wartend = getattr(obj, "wartend", None)
        if wartend is None:
            wartend = obj.anmeldungen.filter(status=Anmeldestatus.WARTELISTE).count()
        return wartend

    @extend_schema_field(serializers.ChoiceField(choices=Anmeldestatus.choices, allow_null=True))
    def get_anmeldestatus(self, obj) -> str | None:
        return getattr(obj, "mein_status", None)


class TerminAnlegenSerializer(serializers.Serializer):
    schulung = serializers.UUIDField()
    beginn = serializers.DateTimeField()
    ende = serializers.DateTimeField()
    ort = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    online_link = serializers.URLField(max_length=500, required=False, default="", allow_blank=True)
    kapazitaet = serializers.IntegerField(min_value=1)
    anmeldeschluss = serializers.DateTimeField(required=False, allow_null=True, default=None)


class AnmeldungSerializer(serializers.ModelSerializer):
    termin = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    schulung = serializers.SerializerMethodField()
    anmeldestatus = serializers.ChoiceField(
        source="status", choices=Anmeldestatus.choices, read_only=True
    )
    platz = serializers.SerializerMethodField()
    bescheinigung = serializers.SerializerMethodField()

    class Meta:
        model = Anmeldung
        fields = [
            "uuid",
            "termin",
            "schulung",
            "anmeldestatus",
            "platz",
            "zeitpunkt",
            "teilgenommen",
            "bescheinigungsnummer",
            "bescheinigung",
        ]
        read_only_fields = fields

    @extend_schema_field(
        inline_serializer(
            "AnmeldungSchulung",
            {"uuid": serializers.UUIDField(), "titel": serializers.CharField()},
        )
    )
    def get_schulung(self, obj):
        schulung = obj.termin.schulung
        return {"uuid": schulung.uuid, "titel": schulung.titel}

    def get_platz(self, obj) -> int | None:
        if hasattr(obj, "platz"):
            return obj.platz
        return selectors.wartelistenplatz(obj)

    def get_bescheinigung(self, obj) -> str | None:
        if not (
            obj.status == Anmeldestatus.ANGEMELDET and obj.teilgenommen and obj.bescheinigungsnummer
        ):
            return None
        return reverse(
            "api:schulungsanmeldung-bescheinigung",
            kwargs={"uuid": obj.uuid},
            request=self.context.get("request"),
        )


class TeilnehmerSerializer(serializers.ModelSerializer):
    benutzername = serializers.CharField(source="benutzer.username")
    name = serializers.CharField(source="benutzer.get_full_name")
    kommune = serializers.CharField(source="benutzer.kommune.slug")
    anmeldestatus = serializers.ChoiceField(
        source="status", choices=Anmeldestatus.choices, read_only=True
    )

    class Meta:
        model = Anmeldung
        fields = [
            "uuid",
            "benutzername",
            "name",
            "kommune",
            "anmeldestatus",
            "zeitpunkt",
            "teilgenommen",
        ]
        read_only_fields = fields


class AnwesenheitSerializer(serializers.Serializer):
    anwesend = serializers.ListField(
        child=serializers.UUIDField(),
        help_text="UUIDs der Anmeldungen, die teilgenommen haben; alle anderen nicht.",
    )


class SchulungViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The Schulungen of the caller's Verbund that are meant for them (all for the Redaktion)."""

    queryset = Schulung.objects.none()
    serializer_class = SchulungSerializer
    lookup_field = "uuid"

    def get_queryset(self):
        return selectors.schulungen_for(self.request.user).order_by("titel")

    @extend_schema(request=SchulungAnlegenSerializer, responses={201: SchulungSerializer})
    def create(self, request):
        eingabe = SchulungAnlegenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        schulung = service_ausfuehren(
            services.schulung_create, benutzer=request.user, **eingabe.validated_data
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
        termine = selectors.termine_for(self.request.user)
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
        schulung = selectors.schulungen_for(request.user).filter(uuid=daten.pop("schulung")).first()
        if schulung is None:
            raise serializers.ValidationError({"schulung": ["Unbekannte Schulung."]})
        termin = service_ausfuehren(
            services.termin_create, benutzer=request.user, schulung=schulung, **daten
        )
        termin = selectors.termine_for(request.user).get(pk=termin.pk)
        return Response(TerminSerializer(termin).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AnmeldungSerializer, summary="Zum Termin anmelden")
    @action(detail=True, methods=["post"])
    def anmelden(self, request, uuid=None):
        anmeldung = service_ausfuehren(
            services.termin_anmelden, benutzer=request.user, termin=self.get_object()
        )
        return Response(AnmeldungSerializer(anmeldung, context={"request": request}).data)

    @extend_schema(request=None, responses=AnmeldungSerializer, summary="Vom Termin abmelden")
    @action(detail=True, methods=["post"])
    def abmelden(self, request, uuid=None):
        anmeldung = service_ausfuehren(
            services.termin_abmelden, benutzer=request.user, termin=self.get_object()
        )
        return Response(AnmeldungSerializer(anmeldung, context={"request": request}).data)

    def _nur_redaktion(self):
        termin = self.get_object()
        if not selectors.ist_redaktion(self.request.user):
            raise PermissionDenied("Nur die Schulungsredaktion sieht die Teilnehmerliste.")
        return termin

    @extend_schema(
        responses=TeilnehmerSerializer(many=True),
        summary="Angemeldete und Warteliste (Schulungsredaktion)",
    )
    @action(detail=True, pagination_class=None)
    def teilnehmer(self, request, uuid=None):
        termin = self._nur_redaktion()
        return Response(
            TeilnehmerSerializer(selectors.teilnehmerliste(request.user, termin), many=True).data
        )

    @extend_schema(
        request=AnwesenheitSerializer,
        responses=TeilnehmerSerializer(many=True),
        summary="Anwesenheit erfassen (Schulungsredaktion, ab Beginn)",
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def anwesenheit(self, request, uuid=None):
        termin = self._nur_redaktion()
        eingabe = AnwesenheitSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        service_ausfuehren(
            services.anwesenheit_erfassen,
            benutzer=request.user,
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
            selectors.bescheinigungen_for(request.user).select_related(
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
