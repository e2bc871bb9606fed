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
        "<uuid:dokument_uuid>/kenntnisnahme/erinnern/",
        views.abschluss_erinnern,
        name="abschluss_erinnern",
    ),
    path(
        "<uuid:dokument_uuid>/kenntnisnahme.csv",
        views.abschluss,
        {"dateiformat": "csv"},
        name="abschluss_csv",
    ),
    path("<uuid:dokument_uuid>/anhaenge/", views.anhang_hochladen, name="anhang_hochladen"),
    path(
        "<uuid:dokument_uuid>/anhaenge/<uuid:anhang_uuid>/",
        views.anhang_herunterladen,
        name="anhang",
    ),
    path(
        "<uuid:dokument_uuid>/anhaenge/<uuid:anhang_uuid>/entfernen/",
        views.anhang_entfernen,
        name="anhang_entfernen",
    ),
    # Schulungen and their Termine
    path("kurse/", views.kurse, name="kurse"),
    path("kurse/neu/", views.kurs_neu, name="kurs_neu"),
    path("kurse/meine/", views.meine, name="meine"),
    path("kurse/<uuid:schulung_uuid>/", views.kurs, name="kurs"),
    path("kurse/<uuid:schulung_uuid>/bearbeiten/", views.kurs_bearbeiten, name="kurs_bearbeiten"),
    path("kurse/<uuid:schulung_uuid>/termin/neu/", views.termin_neu, name="termin_neu"),
    path(
        "kurse/termin/<uuid:termin_uuid>/bearbeiten/",
        views.termin_bearbeiten,
        name="termin_bearbeiten",
    ),
    path("kurse/termin/<uuid:termin_uuid>/absagen/", views.termin_absagen, name="termin_absagen"),
    path("kurse/termin/<uuid:termin_uuid>/anmelden/", views.termin_anmelden, name="anmelden"),
    path("kurse/termin/<uuid:termin_uuid>/abmelden/", views.termin_abmelden, name="abmelden"),
    path("kurse/termin/<uuid:termin_uuid>/teilnehmer/", views.teilnehmer, name="teilnehmer"),
    path("kurse/termin/<uuid:termin_uuid>/termin.ics", views.termin_ics, name="termin_ics"),
    path(
        "kurse/bescheinigung/<uuid:anmeldung_uuid>.pdf",
        views.bescheinigung,
        name="bescheinigung",
    ),
]
