from django.urls import path

from . import views

app_name = "posteingang"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("<uuid:eintrag_uuid>/", views.eintrag, name="eintrag"),
    path("<uuid:eintrag_uuid>/verwerfen/", views.verwerfen, name="verwerfen"),
    path("<uuid:eintrag_uuid>/status/", views.status, name="status"),
    path("<uuid:eintrag_uuid>/vorschaubild/", views.vorschaubild, name="vorschaubild"),
    path("<uuid:eintrag_uuid>/original/", views.original, name="original"),
    path("deckblatt/akte/<uuid:akte_uuid>/", views.deckblatt_akte, name="deckblatt_akte"),
    path(
        "deckblatt/vorgang/<uuid:vorgang_uuid>/", views.deckblatt_vorgang, name="deckblatt_vorgang"
    ),
]
