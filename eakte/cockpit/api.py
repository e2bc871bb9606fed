"""REST API of the cockpit: the Verbund's figures per Kommune (Verbund-Admin) and a Kommune's
figures per OE (its Kommunen-Admin). Read from the roll-ups only."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from eakte.common.regeln import darf
from eakte.kommunen.models import Kommune

from . import selectors

ZEITRAUM = [
    OpenApiParameter("von", str, description="JJJJ-MM-TT; Standard: 13 Wochen vor „bis“"),
    OpenApiParameter("bis", str, description="JJJJ-MM-TT; Standard: heute; höchstens 5 Jahre"),
]


class KennzahlenSerializer(serializers.Serializer):
    name = serializers.CharField()
    seiten_gescannt = serializers.IntegerField(source="summen.seiten_gescannt")
    seiten_digital = serializers.IntegerField(source="summen.seiten_digital")
    dokumente_gescannt = serializers.IntegerField(source="summen.dokumente_gescannt")
    dokumente_digital = serializers.IntegerField(source="summen.dokumente_digital")
    akten_angelegt = serializers.IntegerField(source="summen.akten_angelegt")
    vorgaenge_angelegt = serializers.IntegerField(source="summen.vorgaenge_angelegt")
    blatt_vermieden = serializers.IntegerField(source="seiten_gesamt")
    kg_papier_vermieden = serializers.FloatField(source="papier_kg")
    oes_aktiv_prozent = serializers.FloatField(allow_null=True)
    kenntnisnahme_prozent = serializers.FloatField(allow_null=True)
    aktive_personen_7_tage = serializers.IntegerField(
        source="stand.aktive_personen_7_tage", allow_null=True, default=None
    )
    schulung_teilnahmen = serializers.IntegerField(
        source="stand.schulung_teilnahmen", allow_null=True, default=None
    )
    oes_ohne_lotse = serializers.IntegerField(
        source="stand.oes_ohne_lotse", allow_null=True, default=None
    )
    aktenplaneinheiten_genutzt = serializers.IntegerField(
        source="stand.aktenplaneinheiten_genutzt", allow_null=True, default=None
    )


def _zeitraum(request):
    try:
        return selectors.zeitraum(
            request.query_params.get("von"),
            request.query_params.get("bis"),
            heute=timezone.localdate(),
        )
    except ValidationError as fehler:
        raise serializers.ValidationError({"zeitraum": fehler.messages}) from fehler


class CockpitVerbundView(APIView):
    @extend_schema(
        parameters=ZEITRAUM,
        responses={200: KennzahlenSerializer(many=True), 403: OpenApiResponse()},
        summary="Cockpit: Kennzahlen je Kommune des Verbunds (nur Summen)",
    )
    def get(self, request):
        if not darf(request.user, "cockpit.verbund_sehen"):
            raise PermissionDenied("Die Übersicht des Verbunds sehen Verbund-Admins.")
        anfang, ende = _zeitraum(request)
        ids = list(selectors.kommunen_fuer_cockpit(request.user).values_list("pk", flat=True))
        zahlen = selectors.kennzahlen_je_kommune(ids, anfang, ende)
        return Response(KennzahlenSerializer(zahlen, many=True).data)


class CockpitKommuneView(APIView):
    @extend_schema(
        parameters=ZEITRAUM,
        responses={200: KennzahlenSerializer(many=True), 404: OpenApiResponse()},
        summary="Cockpit: Kennzahlen der eigenen Kommune je OE",
    )
    def get(self, request, slug):
        kommune = Kommune.objects.filter(slug=slug).first()
        if kommune is None or not darf(request.user, "cockpit.kommune_sehen", kommune):
            raise Http404
        anfang, ende = _zeitraum(request)
        return Response(
            KennzahlenSerializer(selectors.kennzahlen_je_oe(kommune, anfang, ende), many=True).data
        )
