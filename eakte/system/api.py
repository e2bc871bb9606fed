from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from eakte.common.regeln import darf

from . import selectors


class SystemStatusView(APIView):
    """Health of database, Redis, Celery workers and Tesseract (Verbund-Admins only)."""

    @extend_schema(
        responses=inline_serializer(
            "Pruefung",
            fields={
                "name": serializers.CharField(),
                "ok": serializers.BooleanField(),
                "detail": serializers.CharField(),
            },
            many=True,
        ),
        summary="Systemstatus",
    )
    def get(self, request):
        if not darf(request.user, "system.status_sehen"):
            raise NotFound
        return Response(
            [{"name": p.name, "ok": p.ok, "detail": p.detail} for p in selectors.systemstatus()]
        )
