"""REST API of the Aussonderung, the Löschläufe and the DSGVO requests: one endpoint per step.
Scoped by the selectors (another Kommune's objects are 404); the services decide the rest."""

import tempfile

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from eakte.akten import dateien
from eakte.akten.models import Akte
from eakte.common.akteur import akteur_aus
from eakte.common.api import service_ausfuehren
from eakte.common.regeln import RegelErlaubnis

from . import datenschutz, selectors, services
from .models import Archiv, Datenschutzanfrage, Loeschlauf, Prozess
from .serializers import (
    AkteKurzSerializer,
    AktenAuswahlSerializer,
    AnfrageSerializer,
    ArchivSerializer,
    BewertenSerializer,
    DateiSerializer,
    GrundSerializer,
    LoeschlaufSerializer,
    NachweisSerializer,
    PaketSerializer,
    ProzessSerializer,
    TrefferSerializer,
    VermerkSerializer,
    VorgabeSerializer,
)

DATEI = OpenApiResponse(OpenApiTypes.BINARY, description="die Datei")


def _akten(user, uuids):
    return list(selectors.akten_der_kommune(user).filter(uuid__in=uuids))


def _senden(ort: str, name: str):
    return FileResponse(dateien.speicher().open(ort, "rb"), as_attachment=True, filename=name)


class AussonderungsAktenViewSet(viewsets.GenericViewSet):
    """Akten at the end of their life: due lists, Löschsperre, own A/B/V mark."""

    queryset = Akte.objects.none()
    serializer_class = AkteKurzSerializer
    lookup_field = "uuid"
    permission_classes = [IsAuthenticated, RegelErlaubnis.fuer("aussonderung.seite_sehen")]

    def get_queryset(self):
        return selectors.akten_der_kommune(self.request.user)

    @extend_schema(summary="Zur Anbietung fällige Akten", responses=AkteKurzSerializer(many=True))
    @action(detail=False, methods=["get"])
    def faellig(self, request):
        return Response(
            AkteKurzSerializer(selectors.faellige_akten_fuer(request.user)[:5000], many=True).data
        )

    @extend_schema(summary="Zur Vernichtung fällige Akten", responses=AkteKurzSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="zu-vernichten")
    def zu_vernichten(self, request):
        return Response(
            AkteKurzSerializer(selectors.zu_vernichten_fuer(request.user)[:5000], many=True).data
        )

    @extend_schema(summary="Löschsperre setzen", request=GrundSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def loeschsperre(self, request, uuid=None):
        akte = self.get_object()
        daten = GrundSerializer(data=request.data)
        daten.is_valid(raise_exception=True)
        service_ausfuehren(
            services.loeschsperre_setzen,
            akteur=akteur_aus(request),
            akte=akte,
            grund=daten.validated_data["grund"],
        )
        return Response(status=status.HTTP_201_CREATED)

    @extend_schema(summary="Löschsperre aufheben", request=None, responses={204: None})
    @loeschsperre.mapping.delete
    def loeschsperre_aufheben(self, request, uuid=None):
        sperre = selectors.loeschsperre(self.get_object())
        if sperre is None:
            raise Http404
        service_ausfuehren(
            services.loeschsperre_aufheben, akteur=akteur_aus(request), sperre=sperre
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Aussonderungsart der Akte festlegen (A/B/V, mit Begründung)",
        request=VorgabeSerializer,
        responses={200: None},
    )
    @action(detail=True, methods=["post"])
    def aussonderungsart(self, request, uuid=None):
        akte = self.get_object()
        daten = VorgabeSerializer(data=request.data)
        daten.is_valid(raise_exception=True)
        service_ausfuehren(
            services.bewertung_vorgeben,
            akteur=akteur_aus(request),
            akte=akte,
            **daten.validated_data,
        )
        return Response(status=status.HTTP_200_OK)


class ArchivViewSet(viewsets.GenericViewSet):
    """The archive of the own Kommune (name, Behördenkennung, contact)."""

    queryset = Archiv.objects.none()
    serializer_class = ArchivSerializer
    permission_classes = [IsAuthenticated, RegelErlaubnis.fuer("aussonderung.seite_sehen")]

    @extend_schema(summary="Archiv der eigenen Kommune", responses=ArchivSerializer)
    def list(self, request):
        archiv = selectors.archiv_fuer(request.user)
        if archiv is None:
            raise Http404
        return Response(ArchivSerializer(archiv).data)

    @extend_schema(summary="Archiv einrichten oder ändern", responses=ArchivSerializer)
    def create(self, request):
        daten = ArchivSerializer(data=request.data)
        daten.is_valid(raise_exception=True)
        archiv = service_ausfuehren(
            services.archiv_einrichten,
            akteur=akteur_aus(request),
            kommune=request.user.kommune,
            **daten.validated_data,
        )
        return Response(ArchivSerializer(archiv).data, status=status.HTTP_201_CREATED)


class ProzessViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Aussonderungsprozesse (xdomea 0501–0507); the uuid is the ProzessID."""

    queryset = Prozess.objects.none()
    serializer_class = ProzessSerializer
    lookup_field = "uuid"
    permission_classes = [IsAuthenticated, RegelErlaubnis.fuer("aussonderung.seite_sehen")]
    parser_classes = [JSONParser, MultiPartParser]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.prozesse_fuer(self.request.user).prefetch_related("nachrichten")

    @extend_schema(
        summary="Akten anbieten: Prozess mit 0501 Anbieteverzeichnis",
        request=AktenAuswahlSerializer,
        responses={201: ProzessSerializer},
    )
    def create(self, request):
        daten = AktenAuswahlSerializer(data=request.data)
        daten.is_valid(raise_exception=True)
        prozess = service_ausfuehren(
            services.anbietung_erstellen,
            akteur=akteur_aus(request),
            akten=_akten(request.user, daten.validated_data["akten"]),
        )
        return Response(ProzessSerializer(prozess).data, status=status.HTTP_201_CREATED)

    def _eingabe(self, serializer_class):
        """The validated body; the object is looked up first (404 before reading the body)."""
        self.get_object()
        daten = serializer_class(data=self.request.data)
        daten.is_valid(raise_exception=True)
        return daten

    def _schritt(self, funktion, **kwargs):
        prozess = service_ausfuehren(
            funktion, akteur=akteur_aus(self.request), prozess=self.get_object(), **kwargs
        )
        return Response(ProzessSerializer(self.get_queryset().get(pk=prozess.pk)).data)

    @extend_schema(
        summary="Bewertungsverzeichnis (0502) einlesen",
        request=DateiSerializer,
        responses=ProzessSerializer,
    )
    @action(detail=True, methods=["post"])
    def bewertung(self, request, uuid=None):
        daten = self._eingabe(DateiSerializer)
        return self._schritt(services.bewertung_importieren, datei=daten.validated_data["datei"])

    @extend_schema(
        summary="Eine Akte von Hand bewerten",
        request=BewertenSerializer,
        responses=ProzessSerializer,
    )
    @action(detail=True, methods=["post"])
    def bewerten(self, request, uuid=None):
        daten = self._eingabe(BewertenSerializer)
        akte = get_object_or_404(
            selectors.akten_der_kommune(request.user), uuid=daten.validated_data["akte"]
        )
        service_ausfuehren(
            services.bewertung_setzen,
            akteur=akteur_aus(request),
            prozess=self.get_object(),
            akte=akte,
            entscheidung=daten.validated_data["entscheidung"],
        )
        return Response(ProzessSerializer(self.get_object()).data)

    @extend_schema(
        summary="Abgabe: 0503 Aussonderung (ZIP) im Hintergrund erstellen lassen",
        description="Antwortet sofort mit status `wird_erstellt`; sobald die ZIP-Datei im "
        "Dateispeicher liegt, ist der Status `abgegeben` und die Nachricht 0503 in `nachrichten` "
        "(herunterladen über …/nachrichten/<uuid>/). Schlägt die Erstellung fehl, ist der Status "
        "wieder `bewertet` und `abgabe_fehler` nennt den Grund.",
        request=None,
        responses={202: ProzessSerializer},
    )
    @action(detail=True, methods=["post"])
    def abgabe(self, request, uuid=None):
        service_ausfuehren(
            services.abgabe_erstellen, akteur=akteur_aus(request), prozess=self.get_object()
        )
        return Response(ProzessSerializer(self.get_object()).data, status=202)

    @extend_schema(
        summary="Bestätigung des Archivs (0504–0507) einlesen",
        request=DateiSerializer,
        responses=ProzessSerializer,
    )
    @action(detail=True, methods=["post"])
    def bestaetigung(self, request, uuid=None):
        daten = self._eingabe(DateiSerializer)
        return self._schritt(services.bestaetigung_importieren, datei=daten.validated_data["datei"])

    @extend_schema(
        summary="Übernahme von Hand bestätigen (mit Nachweis)",
        request=NachweisSerializer,
        responses=ProzessSerializer,
    )
    @action(detail=True, methods=["post"])
    def uebernahme(self, request, uuid=None):
        daten = self._eingabe(NachweisSerializer)
        return self._schritt(
            services.uebernahme_bestaetigen, nachweis=daten.validated_data["nachweis"]
        )

    @extend_schema(summary="Eine Nachricht des Prozesses herunterladen", responses={200: DATEI})
    @action(detail=True, methods=["get"], url_path=r"nachrichten/(?P<nachricht_uuid>[0-9a-f-]{36})")
    def nachricht(self, request, uuid=None, nachricht_uuid=None):
        prozess = self.get_object()
        eintrag = get_object_or_404(prozess.nachrichten.all(), uuid=nachricht_uuid)
        return _senden(eintrag.speicherort, eintrag.dateiname)


class LoeschlaufViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Löschläufe (four eyes): proposed by one person, approved by another."""

    queryset = Loeschlauf.objects.none()
    serializer_class = LoeschlaufSerializer
    lookup_field = "uuid"
    permission_classes = [IsAuthenticated, RegelErlaubnis.fuer("aussonderung.seite_sehen")]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.loeschlaeufe_fuer(self.request.user)

    @extend_schema(
        summary="Löschlauf vorschlagen",
        request=AktenAuswahlSerializer,
        responses={201: LoeschlaufSerializer},
    )
    def create(self, request):
        daten = AktenAuswahlSerializer(data=request.data)
        daten.is_valid(raise_exception=True)
        lauf = service_ausfuehren(
            services.loeschlauf_vorschlagen,
            akteur=akteur_aus(request),
            akten=_akten(request.user, daten.validated_data["akten"]),
            betreff_schwaerzen=daten.validated_data["betreff_schwaerzen"],
        )
        return Response(LoeschlaufSerializer(lauf).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Löschlauf genehmigen und durchführen (zweite Person)",
        request=None,
        responses=LoeschlaufSerializer,
    )
    @action(detail=True, methods=["post"])
    def genehmigen(self, request, uuid=None):
        lauf = service_ausfuehren(
            services.loeschlauf_genehmigen, akteur=akteur_aus(request), lauf=self.get_object()
        )
        return Response(LoeschlaufSerializer(lauf).data)

    @extend_schema(summary="Nachweise der gelöschten Akten", responses=VermerkSerializer(many=True))
    @action(detail=True, methods=["get"])
    def nachweise(self, request, uuid=None):
        return Response(
            VermerkSerializer(selectors.vermerke_des_laufs(self.get_object()), many=True).data
        )

    def _protokoll(self, art: str):
        lauf = self.get_object()
        ort = lauf.protokoll_pdf if art == "pdf" else lauf.protokoll_csv
        if not ort:
            raise Http404
        return _senden(ort, f"Loeschprotokoll_{lauf.uuid}.{art}")

    @extend_schema(summary="Löschprotokoll (PDF)", responses={200: DATEI})
    @action(detail=True, methods=["get"], url_path="protokoll-pdf")
    def protokoll_pdf(self, request, uuid=None):
        return self._protokoll("pdf")

    @extend_schema(summary="Löschprotokoll (CSV)", responses={200: DATEI})
    @action(detail=True, methods=["get"], url_path="protokoll-csv")
    def protokoll_csv(self, request, uuid=None):
        return self._protokoll("csv")


class AnfrageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """DSGVO requests (Art. 15/17) of the own Kommune, for the Datenschutz role."""

    queryset = Datenschutzanfrage.objects.none()
    serializer_class = AnfrageSerializer
    lookup_field = "uuid"
    permission_classes = [IsAuthenticated, RegelErlaubnis.fuer("aussonderung.datenschutz")]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.anfragen_fuer(self.request.user)

    @extend_schema(summary="Datenschutzanfrage erfassen", responses={201: AnfrageSerializer})
    def create(self, request):
        daten = AnfrageSerializer(data=request.data)
        daten.is_valid(raise_exception=True)
        anfrage = service_ausfuehren(
            datenschutz.anfrage_anlegen, akteur=akteur_aus(request), **daten.validated_data
        )
        return Response(AnfrageSerializer(anfrage).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Dokumente zur Person suchen (wird protokolliert)",
        responses=TrefferSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def treffer(self, request, uuid=None):
        treffer = service_ausfuehren(
            datenschutz.suchen, akteur=akteur_aus(request), anfrage=self.get_object()
        )
        return Response(TrefferSerializer(treffer, many=True).data)

    @extend_schema(
        summary="Antwortdatum vermerken (heute)", request=None, responses=AnfrageSerializer
    )
    @action(detail=True, methods=["post"])
    def beantwortet(self, request, uuid=None):
        anfrage = service_ausfuehren(
            datenschutz.anfrage_beantworten, akteur=akteur_aus(request), anfrage=self.get_object()
        )
        return Response(AnfrageSerializer(anfrage).data)

    @extend_schema(
        summary="Auskunftspaket (ZIP) erstellen", request=PaketSerializer, responses={200: DATEI}
    )
    @action(detail=True, methods=["post"])
    def paket(self, request, uuid=None):
        daten = PaketSerializer(data=request.data)
        daten.is_valid(raise_exception=True)
        anfrage = self.get_object()
        # Deliberately temporary: the Auskunft is not stored; an unnamed file, removed when
        # the response has been sent (no leftovers: tests/betrieb/test_dateien_der_apps.py).
        ziel = tempfile.TemporaryFile()
        try:
            service_ausfuehren(
                datenschutz.paket_schreiben,
                ziel=ziel,
                akteur=akteur_aus(request),
                anfrage=anfrage,
                dokument_uuids=[str(u) for u in daten.validated_data["dokumente"]],
            )
        except Exception:
            ziel.close()
            raise
        ziel.seek(0)
        return FileResponse(ziel, as_attachment=True, filename=f"Auskunft_{anfrage.uuid}.zip")


def registrieren(router) -> None:
    """Register this app's viewsets on the API router of eakte/api_urls.py."""
    router.register("aussonderung/akten", AussonderungsAktenViewSet, basename="aussonderung-akte")
    router.register("aussonderung/archiv", ArchivViewSet, basename="aussonderung-archiv")
    router.register("aussonderung/prozesse", ProzessViewSet, basename="aussonderungsprozess")
    router.register("aussonderung/loeschlaeufe", LoeschlaufViewSet, basename="loeschlauf")
    router.register("datenschutzanfragen", AnfrageViewSet, basename="datenschutzanfrage")
