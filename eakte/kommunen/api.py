from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import selectors
from .filters import OrganisationseinheitFilter
from .models import Benutzer, Kommune, Organisationseinheit
from .serializers import BenutzerSerializer, KommuneSerializer, OrganisationseinheitSerializer


class KommuneViewSet(viewsets.ReadOnlyModelViewSet):
    """Kommunen the caller may see: their own; Verbund-Admins every Kommune of their Verbund."""

    queryset = Kommune.objects.none()
    serializer_class = KommuneSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.kommunen_for(self.request.user).select_related("verbund").order_by("name")


class OrganisationseinheitViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisationseinheiten of the Kommunen the caller may see."""

    queryset = Organisationseinheit.objects.none()
    serializer_class = OrganisationseinheitSerializer
    filterset_class = OrganisationseinheitFilter
    lookup_field = "uuid"

    def get_queryset(self):
        return (
            selectors.organisationseinheiten_for(self.request.user)
            .select_related("kommune", "parent")
            .order_by("kommune__name", "name")
        )


class BenutzerViewSet(viewsets.ReadOnlyModelViewSet):
    """Users: admins see their Kommune's, everyone else only themselves."""

    queryset = Benutzer.objects.none()
    serializer_class = BenutzerSerializer
    lookup_field = "uuid"

    def get_queryset(self):
        return (
            selectors.benutzer_for(self.request.user)
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
