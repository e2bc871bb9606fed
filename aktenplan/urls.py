from django.urls import path

from . import views

app_name = "aktenplan"

urlpatterns = [
    path("", views.baum, name="baum"),
    path("suche/", views.suche, name="suche"),
    path("aenderungen/", views.aenderungen, name="aenderungen"),
    path("neu/", views.einheit_neu, name="neu"),
    path("kennzeichen-vorschlag/", views.kennzeichen_vorschlag, name="kennzeichen_vorschlag"),
    path("import/", views.import_hochladen, name="import"),
    path("import/probelauf/", views.import_probelauf, name="import_probelauf"),
    path("import/uebernehmen/", views.import_uebernehmen, name="import_uebernehmen"),
    path("export.<str:dateiformat>", views.export, name="export"),
    path("einheit/<uuid:einheit_uuid>/", views.einheit_detail, name="einheit"),
    path("einheit/<uuid:einheit_uuid>/kinder/", views.kinder, name="kinder"),
    path("einheit/<uuid:einheit_uuid>/neu/", views.einheit_neu, name="neu_unter"),
    path("einheit/<uuid:einheit_uuid>/bearbeiten/", views.einheit_bearbeiten, name="bearbeiten"),
    path("einheit/<uuid:einheit_uuid>/verschieben/", views.einheit_verschieben, name="verschieben"),
    path("einheit/<uuid:einheit_uuid>/stilllegen/", views.einheit_stilllegen, name="stilllegen"),
    path("einheit/<uuid:einheit_uuid>/aktivieren/", views.einheit_aktivieren, name="aktivieren"),
]
