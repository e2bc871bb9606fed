"""Views that exist only for tests of the tenancy net: each forgets the selectors on purpose."""

from django.http import JsonResponse, StreamingHttpResponse
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from eakte.akten.models import Akte


def alle_akten(request):
    """Forgets `akten_fuer`: the net alone keeps other Kommunen out."""
    return JsonResponse({"akten": sorted(a.aktenzeichen for a in Akte.objects.all())})


def gestreamt(request):
    def zeilen():
        for akte in Akte.objects.order_by("aktenzeichen"):
            yield f"{akte.aktenzeichen}\n"

    return StreamingHttpResponse(zeilen(), content_type="text/plain")


class AlleAktenApi(APIView):
    def get(self, request):
        return Response({"akten": sorted(a.aktenzeichen for a in Akte.objects.all())})


urlpatterns = [
    path("test/akten/", alle_akten),
    path("test/gestreamt/", gestreamt),
    path("test/api/akten/", AlleAktenApi.as_view()),
    path("", include("eakte.urls")),
]
