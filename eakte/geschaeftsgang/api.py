"""REST API of the Geschäftsgang: the Postkorb, routes (start, cancel), steps (take, act),
templates, Vertretungen and the e-mail preference. Scoped by the selectors: what a person may
not see is 404."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from eakte.akten import selectors as akten_selectors
from eakte.common.akteur import akteur_aus
from eakte.common.api import service_ausfuehren
from eakte.common.regeln import darf
from eakte.kommunen.models import Benutzer

from . import selectors, services
from .models import Geschaeftsgang, Schritt, Vertretung, Vorlage
from .serializers import (
    AbbrechenSerializer,
    BearbeitenSerializer,
    BenachrichtigungSerializer,
    GeschaeftsgangSerializer,
    SchrittSerializer,
    StartSerializer,
    VertretungEingabeSerializer,
    VertretungSerializer,
    VorlageEingabeSerializer,
    VorlageSerializer,
)


def _person(user, person_uuid):
    if person_uuid is None:
        return None
    person = selectors.personen_im_verbund(user).filter(uuid=person_uuid).first()
    if person is None:
        raise serializers.ValidationError({"person": "Diese Person gibt es im Verbund nicht."})
    return person


def _oe(user, oe_uuid):
    if oe_uuid is None:
        return None
    oe = selectors.oes_im_verbund(user).filter(uuid=oe_uuid).first()
    if oe is None:
        raise serializers.ValidationError({"oe": "Diese OE gibt es im Verbund nicht."})
    return oe


def _schritt_angabe(user, daten) -> services.SchrittAngabe:
    return services.SchrittAngabe(
        verfuegung=daten["verfuegung"],
        person=_person(user, daten.get("person")),
        oe=_oe(user, daten.get("oe")),
        rolle=daten.get("rolle") or "",
        frist=daten.get("frist"),
        notiz=daten.get("notiz") or "",
        gruppe=daten.get("gruppe"),
    )


@extend_schema_view(
    list=extend_schema(summary="Mein Postkorb (eigene, OE-, Rollen- und Vertretungseinträge)"),
    retrieve=extend_schema(summary="Ein Eintrag meines Postkorbs"),
)
class PostkorbViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Schritt.objects.none()
    serializer_class = SchrittSerializer
    lookup_field = "uuid"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.postkorb_liste(self.request.user)

    @extend_schema(
        request=None,
        responses={200: SchrittSerializer, 400: OpenApiResponse(description="schon übernommen")},
        summary="Eintrag eines OE-Postkorbs übernehmen",
    )
    @action(detail=True, methods=["post"])
    def uebernehmen(self, request, uuid=None):
        schritt = self.get_object()
        schritt = service_ausfuehren(
            services.schritt_uebernehmen, akteur=akteur_aus(request), schritt=schritt
        )
        return Response(SchrittSerializer(schritt).data)

    @extend_schema(
        request=BearbeitenSerializer,
        responses={200: SchrittSerializer, 400: OpenApiResponse(description="Eingabe falsch")},
        summary="Schritt bearbeiten: erledigt, mitgezeichnet, schlussgezeichnet, abgelehnt, "
        "weitergeleitet",
    )
    @action(detail=True, methods=["post"])
    def bearbeiten(self, request, uuid=None):
        schritt = self.get_object()
        eingabe = BearbeitenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        daten = eingabe.validated_data
        zurueck_an = None
        if daten.get("zurueck_an"):
            zurueck_an = schritt.geschaeftsgang.schritte.filter(uuid=daten["zurueck_an"]).first()
            if zurueck_an is None:
                raise serializers.ValidationError(
                    {"zurueck_an": "Diesen Schritt gibt es in diesem Geschäftsgang nicht."}
                )
        weiter_an = None
        if daten.get("weiter_an"):
            weiter_an = _schritt_angabe(request.user, daten["weiter_an"])
        schritt = service_ausfuehren(
            services.schritt_bearbeiten,
            akteur=akteur_aus(request),
            schritt=schritt,
            ergebnis=daten["ergebnis"],
            bemerkung=daten.get("bemerkung", ""),
            zurueck_an=zurueck_an,
            weiter_an=weiter_an,
            elektronisch_signieren=daten.get("elektronisch_signieren", False),
        )
        return Response(SchrittSerializer(schritt).data)


@extend_schema(summary="Postkorb einer OE (seitenweise)")
class OePostkorbView(generics.ListAPIView):
    serializer_class = SchrittSerializer
    queryset = Schritt.objects.none()
    filter_backends: list = []

    def get_queryset(self):
        user = self.request.user
        oe = get_object_or_404(selectors.postkorb_oes_fuer(user), uuid=self.kwargs["oe_uuid"])
        if not darf(user, "geschaeftsgang.oe_postkorb_sehen", oe):
            raise PermissionDenied("Den Postkorb dieser OE sehen ihre Mitglieder.")
        return selectors.oe_postkorb(oe)


@extend_schema_view(
    list=extend_schema(summary="Geschäftsgänge, die ich sehe"),
    retrieve=extend_schema(summary="Ein Geschäftsgang mit allen Schritten (Geschäftsgangvermerk)"),
)
class GeschaeftsgangViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Geschaeftsgang.objects.none()
    serializer_class = GeschaeftsgangSerializer
    lookup_field = "uuid"
    filter_backends: list = []

    def get_queryset(self):
        return (
            selectors.geschaeftsgaenge_fuer(self.request.user)
            .select_related("vorgang", "dokument", "gestartet_von", "schlussgezeichnet_von")
            .prefetch_related(
                "schritte__empfaenger_person",
                "schritte__empfaenger_oe",
                "schritte__absender",
                "schritte__bearbeiter",
                "schritte__in_vertretung_fuer",
            )
            .order_by("-gestartet_am", "-id")
        )

    @extend_schema(
        request=StartSerializer,
        responses={201: GeschaeftsgangSerializer, 400: OpenApiResponse(description="ungültig")},
        summary="Geschäftsgang starten (aus einer Vorlage oder mit eigenen Schritten)",
    )
    def create(self, request):
        eingabe = StartSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        daten, user = eingabe.validated_data, request.user
        vorgang = get_object_or_404(akten_selectors.vorgaenge_fuer(user), uuid=daten["vorgang"])
        dokument = None
        if daten.get("dokument"):
            dokument = vorgang.dokumente.filter(uuid=daten["dokument"]).first()
            if dokument is None:
                raise serializers.ValidationError(
                    {"dokument": "Das Dokument gehört nicht zu diesem Vorgang."}
                )
        akteur = akteur_aus(request)
        if daten.get("vorlage"):
            vorlage = selectors.vorlagen_fuer(user).filter(uuid=daten["vorlage"]).first()
            if vorlage is None:
                raise serializers.ValidationError({"vorlage": "Diese Vorlage gibt es nicht."})
            gang = service_ausfuehren(
                services.geschaeftsgang_aus_vorlage_starten,
                akteur=akteur,
                vorlage=vorlage,
                vorgang=vorgang,
                dokument=dokument,
                betreff=daten.get("betreff", ""),
            )
        else:
            gang = service_ausfuehren(
                services.geschaeftsgang_starten,
                akteur=akteur,
                vorgang=vorgang,
                dokument=dokument,
                betreff=daten.get("betreff", ""),
                schritte=[_schritt_angabe(user, s) for s in daten.get("schritte", [])],
            )
        gang = self.get_queryset().get(pk=gang.pk)
        return Response(GeschaeftsgangSerializer(gang).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AbbrechenSerializer,
        responses={200: GeschaeftsgangSerializer},
        summary="Geschäftsgang abbrechen (offene Schritte enden)",
    )
    @action(detail=True, methods=["post"])
    def abbrechen(self, request, uuid=None):
        gang = self.get_object()
        eingabe = AbbrechenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        service_ausfuehren(
            services.geschaeftsgang_abbrechen,
            akteur=akteur_aus(request),
            geschaeftsgang=gang,
            grund=eingabe.validated_data["grund"],
        )
        return Response(GeschaeftsgangSerializer(self.get_queryset().get(pk=gang.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="Vorlagen der Kommune und des Verbunds"),
    retrieve=extend_schema(summary="Eine Vorlage"),
    destroy=extend_schema(summary="Vorlage löschen (deaktivieren)"),
)
class VorlageViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Vorlage.objects.none()
    serializer_class = VorlageSerializer
    lookup_field = "uuid"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.vorlagen_fuer(self.request.user)

    @extend_schema(
        request=VorlageEingabeSerializer,
        responses={201: VorlageSerializer, 400: OpenApiResponse(description="ungültig")},
        summary="Vorlage anlegen (Kommunen-Admin; verbundweit: Digitallotse)",
    )
    def create(self, request):
        eingabe = VorlageEingabeSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        daten, user = eingabe.validated_data, request.user
        personen = selectors.personen_der_kommune(user)
        oes = selectors.eigene_kommune_oes(user)
        schritte = []
        for s in daten["schritte"]:
            person = personen.filter(uuid=s["person"]).first() if s.get("person") else None
            oe = oes.filter(uuid=s["oe"]).first() if s.get("oe") else None
            if s.get("person") and person is None or s.get("oe") and oe is None:
                raise serializers.ValidationError(
                    {"schritte": "Person oder OE gibt es in Ihrer Kommune nicht."}
                )
            schritte.append(
                services.VorlageschrittAngabe(
                    verfuegung=s["verfuegung"],
                    art=s["art"],
                    person=person,
                    oe=oe,
                    rolle=s.get("rolle") or "",
                    frist_tage=s.get("frist_tage"),
                    notiz=s.get("notiz") or "",
                    gruppe=s.get("gruppe"),
                )
            )
        vorlage = service_ausfuehren(
            services.vorlage_anlegen,
            akteur=akteur_aus(request),
            name=daten["name"],
            beschreibung=daten.get("beschreibung", ""),
            verbundweit=daten.get("verbundweit", False),
            schritte=schritte,
        )
        return Response(VorlageSerializer(vorlage).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, uuid=None):
        vorlage = self.get_object()
        service_ausfuehren(
            services.vorlage_deaktivieren, akteur=akteur_aus(request), vorlage=vorlage
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Abwesenheiten (eigene, als Vertretung, der Kommune)"),
    retrieve=extend_schema(summary="Eine Abwesenheit"),
    destroy=extend_schema(summary="Abwesenheit beenden"),
)
class VertretungViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Vertretung.objects.none()
    serializer_class = VertretungSerializer
    lookup_field = "uuid"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.vertretungen_fuer(self.request.user)

    @extend_schema(
        request=VertretungEingabeSerializer,
        responses={201: VertretungSerializer, 400: OpenApiResponse(description="ungültig")},
        summary="Abwesenheit mit Vertretung eintragen",
    )
    def create(self, request):
        eingabe = VertretungEingabeSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        daten, user = eingabe.validated_data, request.user
        abwesend = user
        if daten.get("abwesend"):
            abwesend = get_object_or_404(
                Benutzer.objects.filter(kommune_id=user.kommune_id), uuid=daten["abwesend"]
            )
        vertreter = list(selectors.personen_im_verbund(user).filter(uuid__in=daten["vertreter"]))
        if len(vertreter) != len(set(daten["vertreter"])):
            raise serializers.ValidationError(
                {"vertreter": "Mindestens eine Person gibt es im Verbund nicht."}
            )
        vertretung = service_ausfuehren(
            services.vertretung_setzen,
            akteur=akteur_aus(request),
            abwesend=abwesend,
            von=daten["von"],
            bis=daten["bis"],
            vertreter=vertreter,
            grund=daten.get("grund", ""),
        )
        return Response(VertretungSerializer(vertretung).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, uuid=None):
        vertretung = self.get_object()
        service_ausfuehren(
            services.vertretung_beenden, akteur=akteur_aus(request), vertretung=vertretung
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class BenachrichtigungView(APIView):
    @extend_schema(
        request=BenachrichtigungSerializer,
        responses={200: BenachrichtigungSerializer},
        summary="E-Mail bei neuen Postkorb-Einträgen: sofort, täglich oder aus",
    )
    def put(self, request):
        eingabe = BenachrichtigungSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        eintrag = service_ausfuehren(
            services.benachrichtigung_einstellen,
            akteur=akteur_aus(request),
            art=eingabe.validated_data["art"],
        )
        return Response({"art": eintrag.art})


def registrieren(router) -> None:
    router.register("postkorb", PostkorbViewSet, basename="postkorb")
    router.register("geschaeftsgaenge", GeschaeftsgangViewSet, basename="geschaeftsgang")
    router.register("geschaeftsgang-vorlagen", VorlageViewSet, basename="geschaeftsgang-vorlage")
    router.register("vertretungen", VertretungViewSet, basename="vertretung")


class VerbundEinstellungSerializer(serializers.Serializer):
    vertretung_kommunenuebergreifend = serializers.BooleanField()


class VerbundEinstellungView(APIView):
    @extend_schema(
        request=VerbundEinstellungSerializer,
        responses={200: VerbundEinstellungSerializer},
        summary="Vertretung über Kommunen des Verbunds hinweg erlauben (Verbund-Admin)",
    )
    def put(self, request):
        eingabe = VerbundEinstellungSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        service_ausfuehren(
            services.verbund_einstellen,
            akteur=akteur_aus(request),
            vertretung_kommunenuebergreifend=eingabe.validated_data[
                "vertretung_kommunenuebergreifend"
            ],
        )
        return Response(eingabe.validated_data)
