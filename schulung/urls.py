from django.urls import path

from . import views

app_name = "schulung"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("neu/", views.neu, name="neu"),
    path("<uuid:dokument_uuid>/", views.dokument, name="dokument"),
    path("<uuid:dokument_uuid>/fassung/<int:nummer>/", views.dokument, name="fassung"),
    path("<uuid:dokument_uuid>/entwurf/", views.entwurf, name="entwurf"),
    path("<uuid:dokument_uuid>/veroeffentlichen/", views.veroeffentlichen, name="veroeffentlichen"),
    path("<uuid:dokument_uuid>/bestaetigen/", views.bestaetigen, name="bestaetigen"),
    path("<uuid:dokument_uuid>/kenntnisnahme/", views.abschluss, name="abschluss"),
    path(
        "<uuid:dokument_uuid>/kenntnisnahme.csv",
        views.abschluss,
        {"dateiformat": "csv"},
        name="abschluss_csv",
    ),
]
