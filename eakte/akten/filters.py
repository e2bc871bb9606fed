"""Filters of the records API (django-filter). They only narrow what the selectors return.

The FilterSet of django_filters.rest_framework reads booleans as true/false and 1/0.
"""

from django.utils import timezone
from django_filters import rest_framework as django_filters

from . import selectors
from .models import Akte, Dokument, Dokumenttyp, Vorgang, Wiedervorlage


class AkteFilter(django_filters.FilterSet):
    aktenzeichen = django_filters.CharFilter(lookup_expr="icontains", label="Aktenzeichen enthält")
    betreff = django_filters.CharFilter(lookup_expr="icontains", label="Betreff enthält")
    oe = django_filters.UUIDFilter(
        field_name="federfuehrende_oe__uuid", label="federführende OE (UUID)"
    )
    einheit = django_filters.UUIDFilter(
        field_name="aktenplaneinheit__uuid", label="Aktenplaneinheit (UUID)"
    )
    zda = django_filters.BooleanFilter(method="nach_zda", label="zu den Akten verfügt")
    freigegeben = django_filters.BooleanFilter(
        method="nach_freigabe", label="nur ausdrücklich für mich freigegebene Akten"
    )
    ordering = django_filters.OrderingFilter(
        fields=("aktenzeichen", "betreff", "angelegt_am"), label="Sortierung"
    )

    class Meta:
        model = Akte
        fields = []

    def nach_zda(self, queryset, name, value):
        return queryset.filter(zda_am__isnull=not value)

    def nach_freigabe(self, queryset, name, value):
        freigegeben = selectors.freigegebene_akten(self.request.user).values("pk")
        if value:
            return queryset.filter(pk__in=freigegeben)
        return queryset.exclude(pk__in=freigegeben)


class VorgangFilter(django_filters.FilterSet):
    akte = django_filters.UUIDFilter(field_name="akte__uuid", label="Akte (UUID)")
    zda = django_filters.BooleanFilter(
        field_name="zda_am", lookup_expr="isnull", exclude=True, label="zu den Akten verfügt"
    )

    class Meta:
        model = Vorgang
        fields = []


class DokumentFilter(django_filters.FilterSet):
    akte = django_filters.UUIDFilter(field_name="akte__uuid", label="Akte (UUID)")
    vorgang = django_filters.UUIDFilter(field_name="vorgang__uuid", label="Vorgang (UUID)")
    typ = django_filters.ChoiceFilter(choices=Dokumenttyp.choices, label="Art")
    stornierte = django_filters.BooleanFilter(
        method="_stornierte", label="auch stornierte Dokumente (sonst ohne)"
    )

    class Meta:
        model = Dokument
        fields = []

    def _stornierte(self, queryset, name, value):
        return queryset  # the list leaves them out by default (api.DokumentViewSet.get_queryset)


class WiedervorlageFilter(django_filters.FilterSet):
    faellig = django_filters.BooleanFilter(method="nach_faelligkeit", label="nur fällige")
    akte = django_filters.UUIDFilter(field_name="akte__uuid", label="Akte (UUID)")

    class Meta:
        model = Wiedervorlage
        fields = []

    def nach_faelligkeit(self, queryset, name, value):
        heute = timezone.localdate()
        if value:
            return queryset.filter(datum__lte=heute)
        return queryset.filter(datum__gt=heute)
