"""Version 1 of the REST API. Every endpoint is scoped by the selectors of its app."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from aktenplan import api as aktenplan_api
from eakte.akten import api as akten_api
from eakte.aussonderung import api as aussonderung_api  # issue 18
from eakte.cockpit import api as cockpit_api  # issue 21
from eakte.eingang import api as eingang_api  # Antragseingang (issue 19)
from eakte.einsicht import api as einsicht_api  # issue 21
from eakte.geschaeftsgang import api as geschaeftsgang_api
from eakte.identitaet import api as identitaet_api
from eakte.kommunen import api as kommunen_api
from eakte.ocr import api as ocr_api
from eakte.posteingang import api as posteingang_api
from eakte.protokoll import api as protokoll_api
from eakte.signatur import api as signatur_api
from eakte.suche import api as suche_api  # search (issue 6)
from eakte.system import api as system_api
from schulung import api as schulung_api

# No format-suffix routes (`akten/<uuid>.json`): the API negotiates by Accept header (and
# ?format=); the suffix variants answered 500 for every action without a `format` argument
# (found by tests/test_routenfeger.py).
router = DefaultRouter()
router.include_format_suffixes = False
router.register("kommunen", kommunen_api.KommuneViewSet, basename="kommune")
router.register(
    "organisationseinheiten",
    kommunen_api.OrganisationseinheitViewSet,
    basename="organisationseinheit",
)
router.register("benutzer", kommunen_api.BenutzerViewSet, basename="benutzer")
router.register("personen", kommunen_api.PersonenViewSet, basename="person")  # person picker
router.register("aktenplaene", aktenplan_api.AktenplanViewSet, basename="aktenplan")
router.register(
    "aktenplaneinheiten", aktenplan_api.AktenplaneinheitViewSet, basename="aktenplaneinheit"
)

router.register("schulungsdokumente", schulung_api.DokumentViewSet, basename="schulungsdokument")
schulung_api.registrieren(router)  # schulungen, schulungstermine, schulungsanmeldungen

akten_api.registrieren(router)
ocr_api.registrieren(router)  # verarbeitungen
protokoll_api.registrieren(router)
suche_api.registrieren(router)  # search (issue 6)
posteingang_api.registrieren(router)  # posteingang, deckblaetter
aussonderung_api.registrieren(router)  # issue 18: aussonderung, loeschlaeufe, datenschutz
eingang_api.registrieren(router)  # Antragseingang (issue 19)
geschaeftsgang_api.registrieren(router)  # postkorb, geschaeftsgaenge, vorlagen, vertretungen
einsicht_api.registrieren(router)  # einsichten (issue 21)

urlpatterns = [
    path("system/status/", system_api.SystemStatusView.as_view(), name="system-status"),
    path(
        "benutzer/<uuid:benutzer_uuid>/uebergabe/",
        akten_api.UebergabeView.as_view(),
        name="benutzer-uebergabe",
    ),
    *identitaet_api.urls(),  # sign-in of a Kommune (issue 20)
    path(
        "signaturzertifikat/",
        signatur_api.ZertifikatView.as_view(),
        name="signaturzertifikat",
    ),
    path(
        "signaturpruefung/<uuid:version_uuid>/",
        signatur_api.SignaturpruefungView.as_view(),
        name="signaturpruefung",
    ),
    # Antragseingang for the platforms, HMAC-signed (issue 19)
    path("eingang/antraege/", eingang_api.AntragsannahmeView.as_view(), name="eingang-annahme"),
    path(
        "eingang/antraege/status/",
        eingang_api.AntragsstatusView.as_view(),
        name="eingang-status",
    ),
    path("eingang/kanaele/", eingang_api.KanaeleView.as_view(), name="eingang-kanaele"),
    path(
        "eingang/vorgaenge/<uuid:vorgang_uuid>/antwortkennung/",
        eingang_api.AntwortkennungView.as_view(),
        name="eingang-antwortkennung",
    ),
    path(
        "postkorb/oe/<uuid:oe_uuid>/",
        geschaeftsgang_api.OePostkorbView.as_view(),
        name="postkorb-oe",
    ),
    path(
        "geschaeftsgang-verbund/",
        geschaeftsgang_api.VerbundEinstellungView.as_view(),
        name="geschaeftsgang-verbund",
    ),
    path(
        "postkorb-benachrichtigung/",
        geschaeftsgang_api.BenachrichtigungView.as_view(),
        name="postkorb-benachrichtigung",
    ),
    path(
        "einsicht-zugang/<str:schluessel>/code/",
        einsicht_api.EinsichtZugangCodeView.as_view(),
        name="einsicht-zugang-code",
    ),
    path(
        "einsicht-zugang/<str:schluessel>/dokumente/",
        einsicht_api.EinsichtZugangDokumenteView.as_view(),
        name="einsicht-zugang-dokumente",
    ),
    path(
        "einsicht-zugang/<str:schluessel>/dokumente/<uuid:einsicht_dokument_uuid>/pdf/",
        einsicht_api.EinsichtZugangPdfView.as_view(),
        name="einsicht-zugang-pdf",
    ),
    path("cockpit/verbund/", cockpit_api.CockpitVerbundView.as_view(), name="cockpit-verbund"),
    path(
        "cockpit/kommunen/<slug:slug>/",
        cockpit_api.CockpitKommuneView.as_view(),
        name="cockpit-kommune",
    ),
    *router.urls,
]
