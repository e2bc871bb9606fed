"""The URLconf plus one route whose parameter the route sweep does not know."""

from django.http import HttpResponse
from django.urls import include, path

urlpatterns = [
    path("", include("eakte.urls")),
    path("neu/<uuid:unbekanntes_ding_uuid>/", lambda request, **_: HttpResponse(), name="neu"),
]
