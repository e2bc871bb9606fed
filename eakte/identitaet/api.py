"""REST API: the identity source of a Kommune and its group mapping (Kommunen-Admins of the
Kommune, Verbund-Admins of the Verbund; everyone else gets 404 or 403)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from eakte.common.akteur import akteur_aus
from eakte.common.api import service_ausfuehren
from eakte.common.regeln import RegelErlaubnis, darf
from eakte.kommunen import selectors as kommunen_selectors
from eakte.kommunen.models import Organisationseinheit

from . import selectors, services
from .serializers import QuelleSerializer, ZuordnungSerializer


def _kommune(request, slug):
    kommune = get_object_or_404(kommunen_selectors.kommunen_uebersicht(request.user), slug=slug)
    if not darf(request.user, "identitaet.quelle_verwalten", kommune):
        raise PermissionDenied("Nur Kommunen-Admins und Verbund-Admins richten die Anmeldung ein.")
    return kommune


class QuelleApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=QuelleSerializer, summary="Anmeldung (Identitätsquelle) der Kommune")
    def get(self, request, slug):
        return Response(QuelleSerializer(services.quelle_von(_kommune(request, slug))).data)

    @extend_schema(
        request=QuelleSerializer,
        responses=QuelleSerializer,
        summary="Anmeldung der Kommune einrichten (Geheimnisse nur schreiben)",
    )
    def put(self, request, slug):
        kommune = _kommune(request, slug)
        eingabe = QuelleSerializer(services.quelle_von(kommune), data=request.data, partial=True)
        eingabe.is_valid(raise_exception=True)
        daten = {
            feld: wert
            for feld, wert in eingabe.validated_data.items()
            if feld in services.EINSTELLBARE_FELDER
        }
        quelle = service_ausfuehren(
            services.quelle_speichern,
            akteur=akteur_aus(request),
            kommune=kommune,
            daten=daten,
            geheimnisse={
                "ldap_bind_geheimnis": eingabe.validated_data.get("ldap_bind_passwort", ""),
                "oidc_client_geheimnis": eingabe.validated_data.get("oidc_client_secret", ""),
            },
        )
        return Response(QuelleSerializer(quelle).data)


class ZuordnungenApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ZuordnungSerializer(many=True), summary="Gruppenzuordnungen")
    def get(self, request, slug):
        kommune = _kommune(request, slug)
        zuordnungen = selectors.zuordnungen_fuer(request.user, kommune)
        return Response(ZuordnungSerializer(zuordnungen, many=True).data)

    @extend_schema(
        request=ZuordnungSerializer,
        responses={201: ZuordnungSerializer},
        summary="Gruppe einer Rolle und/oder OE zuordnen",
    )
    def post(self, request, slug):
        kommune = _kommune(request, slug)
        eingabe = ZuordnungSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        oe_uuid = (eingabe.validated_data.get("organisationseinheit") or {}).get("uuid")
        oe = None
        if oe_uuid is not None:
            oe = Organisationseinheit.alle.filter(kommune=kommune, uuid=oe_uuid).first()
            if oe is None:
                raise NotFound("Diese Organisationseinheit gibt es in dieser Kommune nicht.")
        zuordnung = service_ausfuehren(
            services.zuordnung_anlegen,
            akteur=akteur_aus(request),
            kommune=kommune,
            gruppe=eingabe.validated_data["gruppe"],
            rolle=eingabe.validated_data.get("rolle", ""),
            organisationseinheit=oe,
        )
        return Response(ZuordnungSerializer(zuordnung).data, status=status.HTTP_201_CREATED)


class ZuordnungApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None}, summary="Gruppenzuordnung entfernen")
    def delete(self, request, slug, uuid):
        kommune = _kommune(request, slug)
        zuordnung = get_object_or_404(selectors.zuordnungen_fuer(request.user, kommune), uuid=uuid)
        service_ausfuehren(
            services.zuordnung_loeschen, akteur=akteur_aus(request), zuordnung=zuordnung
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class RichtlinieSerializer(serializers.Serializer):
    zwei_faktor_fuer_admins = serializers.BooleanField()


class RichtlinieApi(APIView):
    """The sign-in rule of the caller's Verbund (Verbund-Admins)."""

    permission_classes = [
        IsAuthenticated,
        RegelErlaubnis.fuer(
            "kommunen.verbund_verwalten", meldung="Nur Verbund-Admins ändern die Anmelderichtlinie."
        ),
    ]

    @extend_schema(responses=RichtlinieSerializer, summary="Anmelderichtlinie des Verbunds")
    def get(self, request):
        return Response({"zwei_faktor_fuer_admins": services.zwei_faktor_gefordert(request.user)})

    @extend_schema(
        request=RichtlinieSerializer,
        responses=RichtlinieSerializer,
        summary="Anmelderichtlinie des Verbunds ändern",
    )
    def put(self, request):
        eingabe = RichtlinieSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        richtlinie = service_ausfuehren(
            services.anmelderichtlinie_setzen,
            akteur=akteur_aus(request),
            zwei_faktor_fuer_admins=eingabe.validated_data["zwei_faktor_fuer_admins"],
        )
        return Response({"zwei_faktor_fuer_admins": richtlinie.zwei_faktor_fuer_admins})


def urls():
    from django.urls import path

    return [
        path("anmelderichtlinie/", RichtlinieApi.as_view(), name="anmelderichtlinie"),
        path("kommunen/<slug:slug>/anmeldung/", QuelleApi.as_view(), name="identitaetsquelle"),
        path(
            "kommunen/<slug:slug>/anmeldung/zuordnungen/",
            ZuordnungenApi.as_view(),
            name="gruppenzuordnungen",
        ),
        path(
            "kommunen/<slug:slug>/anmeldung/zuordnungen/<uuid:uuid>/",
            ZuordnungApi.as_view(),
            name="gruppenzuordnung",
        ),
    ]
