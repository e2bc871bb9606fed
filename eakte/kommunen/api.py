from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from eakte.common.akteur import akteur_aus
from eakte.common.api import service_ausfuehren
from eakte.common.eingabe import MultipartParser, textwert
from eakte.common.regeln import RegelErlaubnis, darf

from . import personenwahl, selectors, services
from .filters import OrganisationseinheitFilter
from .models import Benutzer, Kommune, Organisationseinheit
from .rollen import NUR_VERBUND_ADMIN_AENDERT, Rolle
from .serializers import (
    BenutzerImportSerializer,
    BenutzerSchreibenSerializer,
    BenutzerSerializer,
    KommuneSerializer,
    OeSchreibenSerializer,
    OrganisationseinheitSerializer,
)
from .services import aufnahme, benutzerimport


class KommuneViewSet(viewsets.ReadOnlyModelViewSet):
    """Kommunen the caller may see: their own; Verbund-Admins every Kommune of their Verbund."""

    queryset = Kommune.objects.none()
    serializer_class = KommuneSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.kommunen_fuer(self.request.user).select_related("verbund").order_by("name")

    @extend_schema(
        request=inline_serializer(
            "Aufnahme",
            {
                "probelauf": serializers.BooleanField(default=True),
                "kommunen": serializers.ListField(child=serializers.DictField()),
            },
        ),
        responses=inline_serializer(
            "Aufnahmebericht",
            {
                "angewendet": serializers.BooleanField(),
                "aenderungen": serializers.ListField(child=serializers.CharField()),
            },
        ),
        summary="Kommunen mit OEs und Personen aufnehmen (wie kommunen_einspielen)",
    )
    @action(
        detail=False,
        methods=["post"],
        permission_classes=[
            IsAuthenticated,
            RegelErlaubnis.fuer(
                "kommunen.verbund_verwalten", meldung="Nur Verbund-Admins nehmen Kommunen auf."
            ),
        ],
    )
    def aufnehmen(self, request):
        verbund = request.user.kommune.verbund
        kommunen = request.data.get("kommunen") or []
        if not isinstance(kommunen, list):
            raise serializers.ValidationError({"kommunen": ["Erwartet wird eine Liste."]})
        daten = {"verbund": {"slug": verbund.slug, "name": verbund.name}, "kommunen": kommunen}
        probelauf = request.data.get("probelauf", True)
        if not isinstance(probelauf, bool):
            probelauf = textwert(request.data, "probelauf", "true").lower() not in ("false", "0")
        try:
            bericht = aufnahme.abgleichen(
                aufnahme.aus_daten(daten), akteur=akteur_aus(request), probelauf=probelauf
            )
        except aufnahme.Beschreibungsfehler as fehler:
            raise serializers.ValidationError({"fehler": fehler.fehler}) from fehler
        return Response({"angewendet": not probelauf, "aenderungen": bericht})


class OrganisationseinheitViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisationseinheiten of the Kommunen the caller may see; admins change their tree."""

    queryset = Organisationseinheit.objects.none()
    serializer_class = OrganisationseinheitSerializer
    filterset_class = OrganisationseinheitFilter
    lookup_field = "uuid"

    def _kommune(self, slug):
        kommune = (
            selectors.kommunen_fuer(self.request.user)
            .filter(slug=slug or self.request.user.kommune.slug)
            .first()
        )
        if kommune is None:
            raise NotFound
        return kommune

    def _eltern(self, kommune, kuerzel):
        if not kuerzel:
            return None
        eltern = kommune.organisationseinheiten.filter(kuerzel=kuerzel).first()
        if eltern is None:
            raise serializers.ValidationError({"parent": f"Unbekannte OE: {kuerzel}"})
        return eltern

    @extend_schema(request=OeSchreibenSerializer, responses={201: OrganisationseinheitSerializer})
    def create(self, request):
        eingabe = OeSchreibenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        kommune = self._kommune(eingabe.validated_data.get("kommune"))
        oe = service_ausfuehren(
            services.organisationseinheit_anlegen,
            akteur=akteur_aus(request),
            kommune=kommune,
            name=eingabe.validated_data["name"],
            kuerzel=eingabe.validated_data["kuerzel"],
            parent=self._eltern(kommune, eingabe.validated_data.get("parent")),
        )
        return Response(OrganisationseinheitSerializer(oe).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OeSchreibenSerializer, responses=OrganisationseinheitSerializer)
    def partial_update(self, request, uuid=None):
        oe = self.get_object()
        eingabe = OeSchreibenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        oe = service_ausfuehren(
            services.organisationseinheit_aendern,
            akteur=akteur_aus(request),
            oe=oe,
            name=eingabe.validated_data["name"],
            kuerzel=eingabe.validated_data["kuerzel"],
            parent=self._eltern(oe.kommune, eingabe.validated_data.get("parent")),
        )
        return Response(OrganisationseinheitSerializer(oe).data)

    @extend_schema(
        request=inline_serializer("Zusammenlegen", {"ziel": serializers.CharField()}),
        responses=OrganisationseinheitSerializer,
        summary="Mit einer anderen OE zusammenlegen (Kürzel des Ziels); diese wird stillgelegt",
    )
    @action(detail=True, methods=["post"])
    def zusammenlegen(self, request, uuid=None):
        quelle = self.get_object()
        ziel = quelle.kommune.organisationseinheiten.filter(
            kuerzel=textwert(request.data, "ziel"), aktiv=True
        ).first()
        if ziel is None or ziel.pk == quelle.pk:
            raise serializers.ValidationError({"ziel": "Unbekannte oder ungültige Ziel-OE."})
        ziel = service_ausfuehren(
            services.organisationseinheiten_zusammenlegen,
            akteur=akteur_aus(request),
            quelle=quelle,
            ziel=ziel,
        )
        return Response(OrganisationseinheitSerializer(ziel).data)

    def get_queryset(self):
        return (
            selectors.organisationseinheiten_fuer(self.request.user)
            .select_related("kommune", "parent")
            .order_by("kommune__name", "name")
        )


class MitteilungenSerializer(serializers.Serializer):
    freigabe_mail = serializers.BooleanField(
        help_text="E-Mail, wenn eine Akte für mich freigegeben wird (Standard: ja)"
    )


class BenutzerViewSet(viewsets.ReadOnlyModelViewSet):
    """Users: admins see and manage their Kommune's, everyone else sees only themselves."""

    queryset = Benutzer.objects.none()
    serializer_class = BenutzerSerializer
    lookup_field = "uuid"

    def _verwaltbare_kommune(self, slug: str | None):
        kommune = (
            selectors.kommunen_fuer(self.request.user)
            .filter(slug=slug or self.request.user.kommune.slug)
            .first()
        )
        if kommune is None:
            raise NotFound
        if not darf(self.request.user, "kommunen.kommune_verwalten", kommune):
            raise PermissionDenied("Nur Kommunen-Admins verwalten Benutzer.")
        return kommune

    def _oes(self, kommune, kuerzel: list[str]):
        einheiten = list(kommune.organisationseinheiten.filter(kuerzel__in=kuerzel))
        unbekannt = set(kuerzel) - {oe.kuerzel for oe in einheiten}
        if unbekannt:
            raise serializers.ValidationError(
                {"organisationseinheiten": f"Unbekannte OE: {', '.join(sorted(unbekannt))}"}
            )
        return einheiten

    @extend_schema(request=BenutzerSchreibenSerializer, responses={201: BenutzerSerializer})
    def create(self, request):
        eingabe = BenutzerSchreibenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        daten = eingabe.validated_data
        if not daten.get("username"):
            raise serializers.ValidationError({"username": "Der Benutzername fehlt."})
        kommune = self._verwaltbare_kommune(daten.get("kommune"))
        benutzer = service_ausfuehren(
            services.benutzer_anlegen,
            akteur=akteur_aus(request),
            kommune=kommune,
            username=daten["username"],
            email=daten["email"],
            first_name=daten["first_name"],
            last_name=daten["last_name"],
            rollen=[Rolle(r) for r in daten["rollen"]],
            organisationseinheiten=self._oes(kommune, daten["organisationseinheiten"]),
        )
        return Response(BenutzerSerializer(benutzer).data, status=status.HTTP_201_CREATED)

    def _bearbeitbar(self, benutzer):
        self._verwaltbare_kommune(benutzer.kommune.slug)
        if not darf(self.request.user, "kommunen.benutzer_bearbeiten", benutzer):
            raise PermissionDenied(NUR_VERBUND_ADMIN_AENDERT)
        return benutzer

    @extend_schema(request=BenutzerSchreibenSerializer, responses=BenutzerSerializer)
    def partial_update(self, request, uuid=None):
        """Partial: only the fields sent change, everything else stays as it is."""
        benutzer = self._bearbeitbar(self.get_object())
        eingabe = BenutzerSchreibenSerializer(data=request.data, partial=True)
        eingabe.is_valid(raise_exception=True)
        daten = {
            feld: wert
            for feld, wert in eingabe.validated_data.items()
            if feld in request.data
            and feld in ("first_name", "last_name", "email", "rollen", "organisationseinheiten")
        }
        if "rollen" in daten:
            daten["rollen"] = [Rolle(r) for r in daten["rollen"]]
        if "organisationseinheiten" in daten:
            daten["organisationseinheiten"] = self._oes(
                benutzer.kommune, daten["organisationseinheiten"]
            )
        benutzer = service_ausfuehren(
            services.benutzer_aendern, akteur=akteur_aus(request), benutzer=benutzer, **daten
        )
        return Response(BenutzerSerializer(selectors.benutzer_profil(benutzer)).data)

    @extend_schema(
        request=inline_serializer(
            "Einladen",
            {
                "kommune": serializers.SlugField(required=False, help_text="Standard: die eigene"),
                "benutzer": serializers.ListField(
                    child=serializers.UUIDField(), required=False, max_length=1000
                ),
                "alle_offenen": serializers.BooleanField(
                    required=False, help_text="alle, die noch kein Passwort festgelegt haben"
                ),
            },
        ),
        responses=inline_serializer(
            "Einladungsergebnis",
            {
                "gesendet": serializers.ListField(child=serializers.CharField()),
                "ohne_email": serializers.ListField(child=serializers.CharField()),
                "inaktiv": serializers.ListField(child=serializers.CharField()),
            },
        ),
        summary="Einladungen senden (auch erneut): Willkommens-E-Mail mit Passwort-Link",
    )
    @action(detail=False, methods=["post"])
    def einladen(self, request):
        kommune = self._verwaltbare_kommune(textwert(request.data, "kommune") or None)
        personen = selectors.benutzer_fuer(request.user).filter(kommune=kommune)
        if request.data.get("alle_offenen") in (True, "true", "1"):
            gewaehlt = [p for p in personen if p.einladung_offen]
        else:
            feld = serializers.ListField(child=serializers.UUIDField(), max_length=1000)
            uuids = feld.run_validation(request.data.get("benutzer", []))
            gewaehlt = list(personen.filter(uuid__in=uuids))
            if len(gewaehlt) != len(set(uuids)):
                raise NotFound("Mindestens eine der Personen gibt es in dieser Kommune nicht.")
        ergebnis = service_ausfuehren(
            services.einladungen_senden,
            akteur=akteur_aus(request),
            personen=gewaehlt,
            basis_url=request.build_absolute_uri("/"),
        )
        return Response(
            {
                "gesendet": [p.username for p in ergebnis.gesendet],
                "ohne_email": [p.username for p in ergebnis.ohne_email],
                "inaktiv": [p.username for p in ergebnis.inaktiv],
            }
        )

    @extend_schema(request=None, responses=BenutzerSerializer, summary="Deaktivieren (nie löschen)")
    @action(detail=True, methods=["post"])
    def deaktivieren(self, request, uuid=None):
        benutzer = service_ausfuehren(
            services.benutzer_deaktivieren,
            akteur=akteur_aus(request),
            benutzer=self._bearbeitbar(self.get_object()),
        )
        return Response(BenutzerSerializer(benutzer).data)

    @extend_schema(request=None, responses=BenutzerSerializer, summary="Wieder aktivieren")
    @action(detail=True, methods=["post"])
    def aktivieren(self, request, uuid=None):
        benutzer = service_ausfuehren(
            services.benutzer_reaktivieren,
            akteur=akteur_aus(request),
            benutzer=self._bearbeitbar(self.get_object()),
        )
        return Response(BenutzerSerializer(benutzer).data)

    @extend_schema(
        request=BenutzerImportSerializer,
        responses=inline_serializer(
            "Benutzerimport",
            {
                "ok": serializers.BooleanField(),
                "angewendet": serializers.BooleanField(),
                "fehler": serializers.ListField(child=serializers.CharField()),
                "neu": serializers.ListField(child=serializers.CharField()),
            },
        ),
        summary="CSV-Import (alles oder nichts), standardmäßig Probelauf",
    )
    @action(detail=False, methods=["post"], parser_classes=[MultipartParser], url_path="import")
    def importieren(self, request):
        eingabe = BenutzerImportSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        kommune = self._verwaltbare_kommune(eingabe.validated_data.get("kommune"))
        ergebnis = benutzerimport.benutzer_importieren(
            akteur=akteur_aus(request),
            kommune=kommune,
            inhalt=eingabe.validated_data["datei"].read(),
            probelauf=eingabe.validated_data["probelauf"],
        )
        daten = {
            "ok": ergebnis.ok,
            "angewendet": ergebnis.angewendet,
            "fehler": ergebnis.fehler,
            "neu": ergebnis.neu,
        }
        return Response(daten, status=200 if ergebnis.ok else 400)

    def get_queryset(self):
        return (
            selectors.benutzer_fuer(self.request.user)
            .select_related("kommune")
            .prefetch_related(
                "groups",
                Prefetch(
                    "organisationseinheiten", queryset=Organisationseinheit.objects.only("uuid")
                ),
            )
            .order_by("last_name", "first_name", "username")
        )

    @extend_schema(responses=BenutzerSerializer, summary="Das eigene Benutzerkonto")
    @action(detail=False, methods=["get"])
    def ich(self, request):
        return Response(BenutzerSerializer(selectors.benutzer_profil(request.user)).data)

    @extend_schema(
        methods=["GET"], responses=MitteilungenSerializer, summary="Eigene E-Mail-Mitteilungen"
    )
    @extend_schema(
        methods=["PATCH"],
        request=MitteilungenSerializer,
        responses=MitteilungenSerializer,
        summary="Eigene E-Mail-Mitteilungen einstellen (z. B. bei Freigaben)",
    )
    @action(detail=False, methods=["get", "patch"], url_path="ich/mitteilungen")
    def mitteilungen(self, request):
        from eakte.konten import services as konten_services

        if request.method == "PATCH":
            eingabe = MitteilungenSerializer(data=request.data, partial=True)
            eingabe.is_valid(raise_exception=True)
            if "freigabe_mail" in eingabe.validated_data:
                service_ausfuehren(
                    konten_services.mitteilungen_einstellen,
                    akteur=akteur_aus(request),
                    freigabe_mail=eingabe.validated_data["freigabe_mail"],
                )
            request.user.refresh_from_db(fields=["freigabe_mail"])
        return Response({"freigabe_mail": request.user.freigabe_mail})


class PersonSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    benutzername = serializers.CharField()
    name = serializers.CharField()
    organisationseinheiten = serializers.ListField(child=serializers.CharField())
    kommune = serializers.CharField()
    anzeige = serializers.CharField()
    beschreibung = serializers.CharField()


class PersonenViewSet(viewsets.ViewSet):
    """The person picker: people the caller may choose (own Kommune or Verbund, active only)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Name, Benutzername, OE oder Kommune"),
            OpenApiParameter(
                "bereich",
                str,
                enum=list(selectors.PERSONEN_BEREICHE),
                description="Standard: verbund",
            ),
        ],
        responses=PersonSerializer(many=True),
        summary="Personen suchen (Personenauswahl)",
    )
    def list(self, request):
        bereich = request.query_params.get("bereich", "verbund")
        if bereich not in selectors.PERSONEN_BEREICHE:
            raise serializers.ValidationError({"bereich": "Erlaubt sind kommune und verbund."})
        personen = selectors.personen_suchen(
            selectors.personen_waehlbar_fuer(request.user, bereich),
            request.query_params.get("q", "")[:100],
        )
        return Response([personenwahl.als_daten(p) for p in personen])
