import django_filters

from .models import Organisationseinheit


class OrganisationseinheitFilter(django_filters.FilterSet):
    kommune = django_filters.CharFilter(field_name="kommune__slug", label="Kommune (Kurzname)")

    class Meta:
        model = Organisationseinheit
        fields = ["kommune", "aktiv"]
