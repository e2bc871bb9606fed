from django.urls import path

from . import views

app_name = "aussonderung"

urlpatterns = [
    path("", views.uebersicht, name="uebersicht"),
    path("anbieten/", views.anbieten, name="anbieten"),
    path("archiv/", views.archiv, name="archiv"),
    path("prozess/<uuid:prozess_uuid>/", views.prozess, name="prozess"),
    path("prozess/<uuid:prozess_uuid>/bewertung/", views.bewertung_hochladen, name="bewertung"),
    path("prozess/<uuid:prozess_uuid>/bewerten/", views.bewertung_setzen, name="bewerten"),
    path("prozess/<uuid:prozess_uuid>/abgabe/", views.abgabe, name="abgabe"),
    path(
        "prozess/<uuid:prozess_uuid>/bestaetigung/",
        views.bestaetigung_hochladen,
        name="bestaetigung",
    ),
    path("prozess/<uuid:prozess_uuid>/uebernahme/", views.uebernahme_manuell, name="uebernahme"),
    path("nachricht/<uuid:nachricht_uuid>/", views.nachricht, name="nachricht"),
    path("loeschlauf/", views.loeschlauf_vorschlagen, name="loeschlauf_vorschlagen"),
    path("loeschlauf/<uuid:lauf_uuid>/", views.loeschlauf, name="loeschlauf"),
    path(
        "loeschlauf/<uuid:lauf_uuid>/genehmigen/",
        views.loeschlauf_genehmigen,
        name="loeschlauf_genehmigen",
    ),
    path(
        "loeschlauf/<uuid:lauf_uuid>/protokoll.<str:art>",
        views.loeschprotokoll,
        name="loeschprotokoll",
    ),
    path("akte/<uuid:akte_uuid>/", views.akte, name="akte"),
    path("datenschutz/", views.anfragen, name="anfragen"),
    path("datenschutz/<uuid:anfrage_uuid>/", views.anfrage, name="anfrage"),
    path(
        "datenschutz/<uuid:anfrage_uuid>/beantwortet/",
        views.anfrage_beantworten,
        name="anfrage_beantworten",
    ),
    path("datenschutz/<uuid:anfrage_uuid>/paket/", views.auskunftspaket, name="auskunftspaket"),
]
