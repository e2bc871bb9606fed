from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from eakte.common.api import service_ausfuehren
from eakte.kommunen.models import Kommune

from . import selectors, services
from .models import Dokument, Dokumentart, Fassung


class FassungSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fassung
        fields = ["nummer", "status", "gueltig_ab", "text", "html", "veroeffentlicht_am"]
        read_only_fields = fields


class DokumentSerializer(serializers.ModelSerializer):
    kommunen = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
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
    rollen = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class DokumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Dienstanweisungen and Leitfäden in the caller's scope (drafts only for the Redaktion)."""

    queryset = Dokument.objects.none()
    serializer_class = DokumentSerializer
    lookup_field = "uuid"

    def get_queryset(self):
        return (
            selectors.dokumente_for(self.request.user)
            .prefetch_related("kommunen")
            .order_by("art", "titel")
        )

    @extend_schema(request=DokumentAnlegenSerializer, responses={201: DokumentSerializer})
    def create(self, request):
        eingabe = DokumentAnlegenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        daten = dict(eingabe.validated_data)
        daten["kommunen"] = list(
            Kommune.objects.filter(
                verbund_id=request.user.kommune.verbund_id, slug__in=daten["kommunen"]
            )
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
            text=request.data.get("text", ""),
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
    @action(detail=False, url_path="zu-bestaetigen")
    def zu_bestaetigen(self, request):
        dokumente = [f.dokument for f in selectors.zu_bestaetigen(request.user)]
        return Response(DokumentSerializer(dokumente, many=True).data)

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
    @action(detail=True)
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
