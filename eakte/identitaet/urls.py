from django.urls import path

from . import oidc, views

app_name = "identitaet"

urlpatterns = [
    path("anmelden/", views.AnmeldenView.as_view(), name="anmelden"),
    path("anmelden/keine-rolle/", views.keine_rolle, name="keine_rolle"),
    path("anmelden/zweiter-faktor/", views.zweiter_faktor, name="zweiter_faktor"),
    path("anmelden/oidc/rueckkehr/", oidc.AnmeldungRueckkehr.as_view(), name="oidc_rueckkehr"),
    path("anmelden/oidc/<slug:slug>/", oidc.AnmeldungStarten.as_view(), name="oidc_start"),
    path("konto/zweiter-faktor/", views.zweiter_faktor_einrichten, name="einrichten"),
    path("konto/zweiter-faktor/codes/", views.codes_erneuern, name="codes"),
    path("konto/zweiter-faktor/qr.svg", views.zweiter_faktor_qr, name="qr"),
    path("verbund/anmelderichtlinie/", views.anmelderichtlinie, name="richtlinie"),
    path("kommunen/<slug:slug>/anmeldung/", views.quelle_bearbeiten, name="quelle"),
    path("kommunen/<slug:slug>/anmeldung/zuordnung/", views.zuordnung_neu, name="zuordnung_neu"),
    path(
        "kommunen/<slug:slug>/anmeldung/zuordnung/<uuid:uuid>/loeschen/",
        views.zuordnung_loeschen,
        name="zuordnung_loeschen",
    ),
    path(
        "kommunen/<slug:slug>/anmeldung/abgleichen/",
        views.jetzt_abgleichen,
        name="abgleichen",
    ),
]
