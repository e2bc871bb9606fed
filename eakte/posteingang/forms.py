from django import forms

from eakte.akten.models import Vorgang


class ZielWahl(forms.ModelChoiceField):
    def label_from_instance(self, vorgang: Vorgang) -> str:
        return f"{vorgang.vorgangszeichen} {vorgang.betreff} (Akte: {vorgang.akte.betreff})"


class ZuordnenForm(forms.Form):
    vorgang = ZielWahl(
        label="Vorgang",
        queryset=Vorgang.objects.none(),
        to_field_name="uuid",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Bitte einen Vorgang wählen."},
    )
    titel = forms.CharField(
        label="Titel des Dokuments",
        max_length=500,
        required=False,
        help_text="Leer lassen, um den Dateinamen zu übernehmen.",
    )

    def __init__(self, *args, ziele=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vorgang"].queryset = ziele if ziele is not None else Vorgang.objects.none()


class VerwerfenForm(forms.Form):
    grund = forms.CharField(
        label="Grund",
        max_length=500,
        help_text="z. B. Werbung, Leerseite, doppelt eingescannt. Die Datei bleibt gespeichert.",
    )
