from django import forms

from eakte.kommunen.models import Kommune
from eakte.kommunen.rollen import Rolle

from .models import Dokumentart


class DokumentForm(forms.Form):
    art = forms.ChoiceField(label="Art", choices=Dokumentart.choices)
    titel = forms.CharField(label="Titel", max_length=300)
    kategorie = forms.CharField(label="Kategorie", max_length=100, required=False)
    erfordert_kenntnisnahme = forms.BooleanField(
        label="Kenntnisnahme erforderlich",
        required=False,
        help_text="Alle im Geltungsbereich bestätigen, dass sie die Fassung gelesen haben.",
    )
    alle_kommunen = forms.BooleanField(label="Gilt für alle Kommunen des Verbunds", required=False)
    kommunen = forms.ModelMultipleChoiceField(
        label="Gilt für die Kommunen",
        queryset=Kommune.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rollen = forms.MultipleChoiceField(
        label="Nur für die Rollen (leer: alle)",
        required=False,
        choices=[(r.value, r.label) for r in Rolle],
        widget=forms.CheckboxSelectMultiple,
    )
    text = forms.CharField(
        label="Text (Markdown)",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Überschriften mit ##, Listen mit -, Hervorhebung mit **fett**.",
    )

    def __init__(self, *args, verbund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommunen"].queryset = Kommune.objects.filter(verbund=verbund).order_by("name")

    def clean(self):
        daten = super().clean()
        if not daten.get("alle_kommunen") and not daten.get("kommunen"):
            self.add_error("kommunen", "Bitte Kommunen wählen oder „alle Kommunen“ ankreuzen.")
        return daten


class EntwurfForm(forms.Form):
    text = forms.CharField(label="Text (Markdown)", widget=forms.Textarea(attrs={"rows": 18}))


class VeroeffentlichenForm(forms.Form):
    gueltig_ab = forms.DateField(
        label="gültig ab",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leer: ab heute.",
    )
