from datetime import timedelta

from django import forms
from django.utils import timezone

from .models import Empfaengerrolle, Zweitkanal
from .services import STANDARD_TAGE


class GewaehrenForm(forms.Form):
    empfaenger_name = forms.CharField(label="Name der Empfängerin / des Empfängers", max_length=200)
    empfaenger_email = forms.CharField(
        label="E-Mail-Adresse (für den Link)",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    empfaenger_rolle = forms.ChoiceField(
        label="Rolle", choices=Empfaengerrolle.choices, widget=forms.RadioSelect
    )
    gueltig_bis = forms.DateField(
        label="einsehbar bis", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    download_erlaubt = forms.BooleanField(label="Herunterladen erlauben", required=False)
    zweitkanal = forms.ChoiceField(
        label="Zugangscode übermitteln per", choices=Zweitkanal.choices, widget=forms.RadioSelect
    )
    zweitkanal_email = forms.CharField(
        label="zweite E-Mail-Adresse für den Code (nur bei „E-Mail“)",
        max_length=254,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gueltig_bis"].initial = timezone.localdate() + timedelta(days=STANDARD_TAGE)
        self.fields["empfaenger_rolle"].initial = Empfaengerrolle.BETEILIGT
        self.fields["zweitkanal"].initial = Zweitkanal.BRIEF_TELEFON


class KastenForm(forms.Form):
    """The keyboard way to mark a box: page and edges in percent of the page."""

    seite = forms.IntegerField(label="Seite", min_value=1)
    links = forms.FloatField(label="von links (%)")
    oben = forms.FloatField(label="von oben (%)")
    rechts = forms.FloatField(label="bis links (%)")
    unten = forms.FloatField(label="bis oben (%)")


class WortForm(forms.Form):
    wort = forms.CharField(label="Wort oder Name auf allen Seiten schwärzen", max_length=200)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Zugangscode",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
