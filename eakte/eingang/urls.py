from django.urls import path

from . import views

app_name = "eingang"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("regeln/", views.regeln, name="regeln"),
    path("kanaele/", views.kanaele, name="kanaele"),
    path(
        "kanaele/zulassungen/<uuid:zulassung_uuid>/entziehen/",
        views.zulassung_entziehen,
        name="zulassung_entziehen",
    ),
    path("plattformen/", views.plattformen, name="plattformen"),
    path(
        "plattformen/<uuid:plattform_uuid>/deaktivieren/",
        views.plattform_deaktivieren,
        name="plattform_deaktivieren",
    ),
    path("kanaele/postfaecher/neu/", views.postfach, name="postfach_neu"),
    path("kanaele/postfaecher/<uuid:postfach_uuid>/", views.postfach, name="postfach"),
    path(
        "kanaele/postfaecher/<uuid:postfach_uuid>/deaktivieren/",
        views.postfach_deaktivieren,
        name="postfach_deaktivieren",
    ),
    path("kanaele/zustellpunkte/neu/", views.zustellpunkt, name="zustellpunkt_neu"),
    path(
        "kanaele/zustellpunkte/<uuid:zustellpunkt_uuid>/",
        views.zustellpunkt,
        name="zustellpunkt",
    ),
    path(
        "kanaele/zustellpunkte/<uuid:zustellpunkt_uuid>/deaktivieren/",
        views.zustellpunkt_deaktivieren,
        name="zustellpunkt_deaktivieren",
    ),
    path("regeln/<uuid:regel_uuid>/loeschen/", views.regel_loeschen, name="regel_loeschen"),
    path("<uuid:antrag_uuid>/", views.antrag, name="antrag"),
    path(
        "<uuid:antrag_uuid>/uebermitteln/<uuid:dokument_uuid>/",
        views.uebermitteln,
        name="uebermitteln",
    ),
    path(
        "rueckmeldungen/<uuid:rueckmeldung_uuid>/wiederholen/",
        views.wiederholen,
        name="wiederholen",
    ),
]
