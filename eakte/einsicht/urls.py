from django.urls import path

from . import views

app_name = "einsicht"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("akte/<uuid:akte_uuid>/neu/", views.gewaehren, name="gewaehren"),
    path("<uuid:einsicht_uuid>/", views.detail, name="detail"),
    path("<uuid:einsicht_uuid>/wort/", views.wort, name="wort"),
    path("<uuid:einsicht_uuid>/freigeben/", views.freigeben, name="freigeben"),
    path("<uuid:einsicht_uuid>/widerrufen/", views.widerrufen, name="widerrufen"),
    path("<uuid:einsicht_uuid>/code/", views.code, name="code"),
    path("dokument/<uuid:einsicht_dokument_uuid>/", views.schwaerzen, name="schwaerzen"),
    path(
        "dokument/<uuid:einsicht_dokument_uuid>/seite/<int:seite>/", views.vorschau, name="vorschau"
    ),
    path("schwaerzung/<uuid:schwaerzung_uuid>/entfernen/", views.entfernen, name="entfernen"),
    # the recipient's pages (no account; the key in the link is the secret)
    path("zugang/<str:schluessel>/", views.zugang, name="zugang"),
    path(
        "zugang/<str:schluessel>/<uuid:einsicht_dokument_uuid>/<int:seite>/",
        views.seite,
        name="seite",
    ),
    path(
        "zugang/<str:schluessel>/<uuid:einsicht_dokument_uuid>/<int:seite>/bild/",
        views.seitenbild,
        name="seitenbild",
    ),
    path(
        "zugang/<str:schluessel>/<uuid:einsicht_dokument_uuid>/pdf/",
        views.herunterladen,
        name="herunterladen",
    ),
]
