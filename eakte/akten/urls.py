from django.urls import path

from . import views

app_name = "akten"

urlpatterns = [
    path("", views.meine, name="meine"),
    path("freigegeben/", views.freigegeben, name="freigegeben"),
    path("neu/", views.akte_neu, name="neu"),
    path("uebergabe/<uuid:benutzer_uuid>/", views.benutzer_uebergeben, name="benutzer_uebergeben"),
    path("<uuid:akte_uuid>/", views.akte_detail, name="detail"),
    path("<uuid:akte_uuid>/bearbeiten/", views.akte_bearbeiten, name="bearbeiten"),
    path("<uuid:akte_uuid>/zda/", views.akte_zda, name="zda"),
    path("<uuid:akte_uuid>/wiedereroeffnen/", views.akte_wiedereroeffnen, name="wiedereroeffnen"),
    path("<uuid:akte_uuid>/freigaben/", views.freigaben, name="freigaben"),
    path(
        "<uuid:akte_uuid>/freigaben/<uuid:benutzer_uuid>/entziehen/",
        views.freigabe_entziehen,
        name="freigabe_entziehen",
    ),
    path(
        "<uuid:akte_uuid>/freigaben/oe/<uuid:oe_uuid>/entziehen/",
        views.oe_freigabe_entziehen,
        name="oe_freigabe_entziehen",
    ),
    path("<uuid:akte_uuid>/wiedervorlage/", views.wiedervorlage, name="wiedervorlage"),
    path("<uuid:akte_uuid>/vorgaenge/neu/", views.vorgang_neu, name="vorgang_neu"),
    path(
        "wiedervorlagen/<uuid:wiedervorlage_uuid>/erledigt/",
        views.wiedervorlage_erledigt,
        name="wiedervorlage_erledigt",
    ),
    path("vorgaenge/<uuid:vorgang_uuid>/", views.vorgang_detail, name="vorgang"),
    path("vorgaenge/<uuid:vorgang_uuid>/zda/", views.vorgang_zda, name="vorgang_zda"),
    path("vorgaenge/<uuid:vorgang_uuid>/hochladen/", views.hochladen, name="hochladen"),
    path("vorgaenge/<uuid:vorgang_uuid>/zip/", views.vorgang_zip, name="vorgang_zip"),
    path(
        "vorgaenge/<uuid:vorgang_uuid>/verschieben/",
        views.vorgang_verschieben,
        name="vorgang_verschieben",
    ),
    path(
        "vorgaenge/<uuid:vorgang_uuid>/hochladen/datei/",
        views.hochladen_datei,
        name="hochladen_datei",
    ),
    path("dokumente/<uuid:dokument_uuid>/", views.dokument_detail, name="dokument"),
    path(
        "dokumente/<uuid:dokument_uuid>/bearbeiten/",
        views.dokument_bearbeiten,
        name="dokument_bearbeiten",
    ),
    path(
        "dokumente/<uuid:dokument_uuid>/verschieben/",
        views.dokument_verschieben,
        name="dokument_verschieben",
    ),
    path("dokumente/<uuid:dokument_uuid>/version/", views.version_neu, name="version_neu"),
    path(
        "dokumente/<uuid:dokument_uuid>/stornieren/",
        views.dokument_stornieren,
        name="dokument_stornieren",
    ),
    path("versionen/<uuid:version_uuid>/datei/", views.version_datei, name="version_datei"),
    path(
        "versionen/<uuid:version_uuid>/vorschau/", views.version_vorschau, name="version_vorschau"
    ),
]
