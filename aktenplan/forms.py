from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from eakte.kommunen.personenwahl import PersonFeld

from . import austausch
from .models import Aenderungsart, Aktenplaneinheit, Aussonderungsart


class FristFeld(forms.Field):
    """Whole years or "unbefristet", as in the import files."""

    widget = forms.TextInput(attrs={"maxlength": 20})

    def __init__(self, **kwargs):
        super().__init__(
            label="Aufbewahrungsfrist",
            help_text="Ganze Jahre, z. B. „10“ oder „10 Jahre“, oder „unbefristet“.",
            **kwargs,
        )

    def to_python(self, value):
        try:
            return austausch.frist_lesen(str(value or ""))
        except ValueError as fehler:
            raise ValidationError(str(fehler)) from fehler

    def validate(self, value):
        """An empty field is not "unbefristet": the person must say so."""


class DatumFeld(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EinheitForm(forms.Form):
    titel = forms.CharField(label="Titel", max_length=300)
    beschreibung = forms.CharField(
        label="Beschreibung / Inhaltsangabe",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    aufbewahrungsfrist = FristFeld()
    aussonderungsart = forms.ChoiceField(label="Aussonderungsart", choices=Aussonderungsart.choices)
    gueltig_ab = DatumFeld(label="gültig ab", required=False)
    gueltig_bis = DatumFeld(label="gültig bis", required=False)

    @classmethod
    def fuer(cls, einheit: Aktenplaneinheit, data=None):
        initial = {feld: getattr(einheit, feld) for feld in cls.base_fields}
        if einheit.aufbewahrungsfrist is None:
            initial["aufbewahrungsfrist"] = austausch.UNBEFRISTET
        return cls(data=data, initial=initial)


class NeueEinheitForm(EinheitForm):
    kennzeichen = forms.CharField(label="Kennzeichen", max_length=100)
    field_order = ["kennzeichen", "titel"]


class VerschiebenForm(forms.Form):
    neue_obereinheit = forms.CharField(
        label="Kennzeichen der neuen übergeordneten Einheit",
        required=False,
        help_text="Leer lassen für die oberste Ebene.",
        # The next free Kennzeichen under the typed parent appears below "Neues Kennzeichen".
        widget=forms.TextInput(
            attrs={
                "hx-get": reverse_lazy("aktenplan:kennzeichen_vorschlag"),
                "hx-trigger": "input changed delay:400ms, change",
                "hx-target": "#kennzeichen-vorschlag",
            }
        ),
    )
    neues_kennzeichen = forms.CharField(label="Neues Kennzeichen", max_length=100)


class StilllegenForm(forms.Form):
    nachfolger = forms.CharField(
        label="Kennzeichen der Nachfolge-Einheit",
        required=False,
        help_text="Optional: wohin neue Vorgänge dieser Art künftig gehören.",
    )


class AenderungsfilterForm(forms.Form):
    """Filters of the change feed: unit (subtree), person, kind and period."""

    einheit = forms.CharField(
        label="Einheit (Kennzeichen)",
        required=False,
        max_length=100,
        help_text="mit allen Untereinheiten, z. B. 6.2",
    )
    person = PersonFeld(label="Person", bereich="verbund", required=False, help_text="")
    art = forms.ChoiceField(
        label="Art", required=False, choices=[("", "alle Arten"), *Aenderungsart.choices]
    )
    von = DatumFeld(label="von", required=False)
    bis = DatumFeld(label="bis", required=False)

    def __init__(self, *args, benutzer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].fuer(benutzer)

    def clean(self):
        daten = super().clean()
        if daten.get("von") and daten.get("bis") and daten["von"] > daten["bis"]:
            raise ValidationError("Das Datum „von“ liegt nach dem Datum „bis“.")
        return daten


class ImportForm(forms.Form):
    datei = forms.FileField(
        label="Datei (CSV mit Semikolon oder JSON)",
        help_text="CSV in UTF-8, wie Excel sie als „CSV UTF-8“ speichert; höchstens 10 MB.",
    )
    modus = forms.ChoiceField(
        label="Was soll der Import tun?",
        choices=list(austausch.MODI.items()),
        initial=austausch.ERGAENZEN,
        widget=forms.RadioSelect,
        required=False,
    )
    MAX_GROESSE = 10 * 1024 * 1024

    def clean_datei(self):
        datei = self.cleaned_data["datei"]
        if datei.size > self.MAX_GROESSE:
            raise ValidationError("Die Datei ist größer als 10 MB.")
        if datei.size == 0:
            raise ValidationError("Die Datei ist leer.")
        return datei

    def clean_modus(self):
        return self.cleaned_data["modus"] or austausch.ERGAENZEN

    @property
    def format(self) -> str:
        return "json" if self.cleaned_data["datei"].name.lower().endswith(".json") else "csv"
