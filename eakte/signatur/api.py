"""API: the Kommune's signing certificate (Kommunen-Admin)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from eakte.akten import selectors as akten_selectors
from eakte.common.akteur import akteur_aus
from eakte.common.api import service_ausfuehren
from eakte.common.regeln import pruefen

from . import selectors, services
from .serializers import (
    SignaturpruefungSerializer,
    ZertifikatEingabeSerializer,
    ZertifikatSerializer,
)


class ZertifikatView(APIView):
    parser_classes = [MultiPartParser]

    def _pruefen(self, request):
        pruefen(
            request.user,
            "signatur.zertifikat_verwalten",
            request.user.kommune,
            meldung="Das Signaturzertifikat hinterlegt der Kommunen-Admin der Kommune.",
        )

    @extend_schema(
        responses={200: ZertifikatSerializer, 404: OpenApiResponse(description="keins hinterlegt")},
        summary="Signaturzertifikat der eigenen Kommune (Inhaber, Gültigkeit; nie der Schlüssel)",
    )
    def get(self, request):
        self._pruefen(request)
        zertifikat = selectors.zertifikat_fuer(request.user)
        if zertifikat is None:
            raise NotFound("Für diese Kommune ist kein Signaturzertifikat hinterlegt.")
        return Response(ZertifikatSerializer(zertifikat).data)

    @extend_schema(
        request={"multipart/form-data": ZertifikatEingabeSerializer},
        responses={200: ZertifikatSerializer, 400: OpenApiResponse(description="Eingabe falsch")},
        summary="Signaturzertifikat hinterlegen oder ersetzen (PKCS#12 + Passwort)",
    )
    def put(self, request):
        self._pruefen(request)
        eingabe = ZertifikatEingabeSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        zertifikat = service_ausfuehren(
            services.zertifikat_hinterlegen,
            akteur=akteur_aus(request),
            kommune=request.user.kommune,
            pkcs12=eingabe.validated_data["pkcs12"].read(services.GROESSTE_P12 + 1),
            passphrase=eingabe.validated_data.get("passphrase", ""),
        )
        return Response(ZertifikatSerializer(zertifikat).data)


class SignaturpruefungView(APIView):
    @extend_schema(
        responses={200: SignaturpruefungSerializer, 404: OpenApiResponse(description="unbekannt")},
        summary="Signaturen einer PDF-Version: intakt oder nicht, welches Zertifikat (geprüft "
        "beim ersten Abruf, dann gespeichert)",
    )
    def get(self, request, version_uuid):
        version = get_object_or_404(
            akten_selectors.versionen_fuer(request.user).select_related("datei"),
            uuid=version_uuid,
        )
        return Response(
            SignaturpruefungSerializer(
                {"version": version.uuid, "signaturen": services.befunde(version)}
            ).data
        )
