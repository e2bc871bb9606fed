from django.urls import path

from . import views

app_name = "geschaeftsgang"

urlpatterns = [
    path("postkorb/", views.postkorb, name="postkorb"),
    path("postkorb/anzahl/", views.postkorb_anzahl, name="postkorb_anzahl"),
    path("postkorb/oe/<uuid:oe_uuid>/", views.oe_postkorb, name="oe_postkorb"),
    path("schritte/<uuid:schritt_uuid>/", views.schritt, name="schritt"),
    path(
        "schritte/<uuid:schritt_uuid>/uebernehmen/",
        views.schritt_uebernehmen,
        name="schritt_uebernehmen",
    ),
    path("vorgang/<uuid:vorgang_uuid>/starten/", views.starten, name="starten"),
    path("<uuid:gang_uuid>/abbrechen/", views.abbrechen, name="abbrechen"),
    path("vorlagen/", views.vorlagen, name="vorlagen"),
    path("vorlagen/<uuid:vorlage_uuid>/loeschen/", views.vorlage_loeschen, name="vorlage_loeschen"),
    path("vertretung/", views.vertretung, name="vertretung"),
    path(
        "vertretung/<uuid:vertretung_uuid>/beenden/",
        views.vertretung_beenden,
        name="vertretung_beenden",
    ),
    path("vertretung/verbund/", views.verbund_einstellen, name="verbund_einstellen"),
    path("benachrichtigung/", views.benachrichtigung, name="benachrichtigung"),
]
