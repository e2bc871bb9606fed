from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)

from eakte.system.views import gesundheit

urlpatterns = [
    path("", include("eakte.start.urls")),
    path("", include("eakte.identitaet.urls")),  # before konten: its login page wins
    path("", include("eakte.konten.urls")),
    path("kommunen/", include("eakte.kommunen.urls")),
    path("system/", include("eakte.system.urls")),
    path("akten/", include("eakte.akten.urls")),
    path("texterkennung/", include("eakte.ocr.urls")),
    path("suche/", include("eakte.suche.urls")),  # search (issue 6)
    path("posteingang/", include("eakte.posteingang.urls")),
    path("eingang/", include("eakte.eingang.urls")),  # Antragseingang (issue 19)
    path("geschaeftsgang/", include("eakte.geschaeftsgang.urls")),  # issue 17
    path("einsicht/", include("eakte.einsicht.urls")),  # issue 21
    path("cockpit/", include("eakte.cockpit.urls")),  # issue 21
    path("protokoll/", include("eakte.protokoll.urls")),
    path("aussonderung/", include("eakte.aussonderung.urls")),  # issue 18
    path("aktenplan/", include("aktenplan.urls")),
    path("schulung/", include("schulung.urls")),
    path("gesundheit/", gesundheit, name="gesundheit"),
    path("api/v1/", include(("eakte.api_urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("admin/", admin.site.urls),
]
