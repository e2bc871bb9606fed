import django_filters

from .models import Organisationseinheit


class OrganisationseinheitFilter(django_filters.FilterSet):
    kommune = django_filters.CharFilter(field_name="kommune__slug", label="Kommune (Kurzname)")
    # Declared, not generated from the model: generating reads the model's default manager at
    # import, where no Bereich is open (eakte.common.mandantenbereich).
    aktiv = django_filters.BooleanFilter(label="aktiv")

    class Meta:
        model = Organisationseinheit
        fields = ["kommune", "aktiv"]
