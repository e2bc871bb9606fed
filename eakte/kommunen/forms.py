from django import forms

from .models import Benutzer, Organisationseinheit
from .rollen import Rolle


class BenutzerForm(forms.Form):
    first_name = forms.CharField(label="Vorname", max_length=150, required=False)
    last_name = forms.CharField(label="Nachname", max_length=150, required=False)
    email = forms.EmailField(label="E-Mail-Adresse")
    organisationseinheiten = forms.ModelMultipleChoiceField(
        label="Organisationseinheiten",
        queryset=Organisationseinheit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    rollen = forms.MultipleChoiceField(
        label="Rollen", widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, kommune, rollen: list[Rolle], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisationseinheiten"].queryset = kommune.organisationseinheiten.filter(
            aktiv=True
        ).order_by("name")
        self.fields["rollen"].choices = [(r.value, r.label) for r in rollen]

    def clean_rollen(self):
        return [Rolle(wert) for wert in self.cleaned_data["rollen"]]

    @classmethod
    def fuer(cls, benutzer: Benutzer, **kwargs):
        initial = {
            "first_name": benutzer.first_name,
            "last_name": benutzer.last_name,
            "email": benutzer.email,
            "organisationseinheiten": list(benutzer.organisationseinheiten.all()),
            "rollen": [r.value for r in benutzer.rollen],
        }
        return cls(initial=initial, **kwargs)


class NeuerBenutzerForm(BenutzerForm):
    username = forms.CharField(
        label="Benutzername",
        max_length=150,
        help_text="Zum Anmelden, z. B. vorname.nachname. Buchstaben, Ziffern und . @ + - _",
    )
    field_order = ["username"]


class BenutzerImportForm(forms.Form):
    datei = forms.FileField(
        label="CSV-Datei",
        help_text="Spalten Benutzername;Vorname;Nachname;E-Mail;OE;Rollen (UTF-8, Semikolon). "
        "Mehrere OEs oder Rollen mit Komma trennen. Höchstens 2 MB.",
    )

    def clean_datei(self):
        datei = self.cleaned_data["datei"]
        if datei.size > 2 * 1024 * 1024:
            raise forms.ValidationError("Die Datei ist größer als 2 MB.")
        return datei
