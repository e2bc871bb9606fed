"""The filters of the Protokoll: one FilterSet for the browser page, the CSV export and the API."""

import django_filters
from django import forms

from eakte.kommunen.personenwahl import PersonWidget

from . import selectors
from .models import Aktion, Protokolleintrag


class ProtokollFilterForm(forms.Form):
    def clean(self):
        daten = super().clean()
        von, bis = daten.get("von"), daten.get("bis")
        if von and bis and von > bis:
            raise forms.ValidationError("Das Datum „von“ liegt nach dem Datum „bis“.")
        return daten


def _datum(label: str, hilfe: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        method="_zeitraum",
        label=label,
        help_text=hilfe,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ProtokollFilter(django_filters.FilterSet):
    benutzer = django_filters.CharFilter(
        method="_benutzer",
        label="Person",
        help_text="Name oder Benutzername eingeben und aus der Liste wählen (auch UUID)",
        widget=PersonWidget(bereich="kommune"),
    )
    akte = django_filters.CharFilter(
        method="_akte",
        label="Akte",
        help_text="Aktenzeichen (oder sein Anfang, z. B. ERB-0.2.01) oder UUID der Akte",
    )
    aktion = django_filters.ChoiceFilter(
        choices=Aktion.choices, label="Aktion", empty_label="alle Aktionen"
    )
    von = _datum("von", "erster Tag des Zeitraums (einschließlich)")
    bis = _datum("bis", "letzter Tag des Zeitraums (einschließlich)")

    class Meta:
        model = Protokolleintrag
        fields = ["benutzer", "akte", "aktion", "von", "bis"]
        form = ProtokollFilterForm

    def _benutzer(self, queryset, name, value: str):
        return selectors.nach_benutzer(queryset, value)

    def _akte(self, queryset, name, value: str):
        return selectors.nach_akte(queryset, value)

    def _zeitraum(self, queryset, name, value):
        if name == "von":
            return selectors.ab_tag(queryset, value)
        return selectors.bis_tag(queryset, value)

    def werte(self) -> dict[str, str]:
        """The filters in use, as text (for the Protokoll entry that records this reading)."""
        if not self.is_bound or not self.form.is_valid():
            return {}
        return {
            name: str(wert)
            for name, wert in self.form.cleaned_data.items()
            if wert not in (None, "")
        }
