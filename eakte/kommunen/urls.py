from django.urls import path

from . import views

app_name = "kommunen"

urlpatterns = [
    path("", views.kommune_liste, name="liste"),
    path("aufnehmen/", views.kommune_aufnehmen, name="aufnehmen"),
    path("personen/suche/", views.personen_suche, name="personen_suche"),
    path("<slug:slug>/", views.kommune_detail, name="detail"),
    path("<slug:slug>/benutzer/", views.benutzer_liste, name="benutzer"),
    path("<slug:slug>/oe/neu/", views.oe_neu, name="oe_neu"),
    path("<slug:slug>/oe/<uuid:uuid>/", views.oe_detail, name="oe"),
    path("<slug:slug>/oe/<uuid:uuid>/bearbeiten/", views.oe_bearbeiten, name="oe_bearbeiten"),
    path("<slug:slug>/benutzer/neu/", views.benutzer_neu, name="benutzer_neu"),
    path("<slug:slug>/benutzer/einladen/", views.benutzer_einladen, name="benutzer_einladen"),
    path("<slug:slug>/benutzer/import/", views.benutzer_import, name="benutzer_import"),
    path(
        "<slug:slug>/benutzer/import/uebernehmen/",
        views.benutzer_import_uebernehmen,
        name="benutzer_import_uebernehmen",
    ),
    path(
        "<slug:slug>/benutzer/<uuid:uuid>/", views.benutzer_bearbeiten, name="benutzer_bearbeiten"
    ),
    path("<slug:slug>/benutzer/<uuid:uuid>/status/", views.benutzer_status, name="benutzer_status"),
    path(
        "<slug:slug>/benutzer/<uuid:uuid>/passwort-link/",
        views.benutzer_passwort_link,
        name="benutzer_passwort_link",
    ),
]
