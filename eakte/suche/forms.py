"""The search parameters, shared by the browser page and the API."""

from django import forms

from eakte.akten.models import Dokumenttyp

from . import selectors


class SuchForm(forms.Form):
    q = forms.CharField(label="Suchbegriff", required=False, max_length=500)
    sortierung = forms.ChoiceField(
        label="Sortierung",
        required=False,
        choices=[("relevanz", "Relevanz"), ("neueste", "neueste zuerst")],
    )
    kommune = forms.SlugField(label="Kommune", required=False)
    aktenplan = forms.CharField(label="Aktenplan (Kennzeichen)", required=False, max_length=100)
    oe = forms.UUIDField(label="Organisationseinheit", required=False)
    typ = forms.ChoiceField(
        label="Art", required=False, choices=[("", "alle"), *Dokumenttyp.choices]
    )
    von = forms.DateField(label="Datum von", required=False)
    bis = forms.DateField(label="Datum bis", required=False)
    zda = forms.ChoiceField(
        label="Akte",
        required=False,
        choices=[("", "offen und zdA"), ("offen", "nur offene"), ("zda", "nur zdA")],
    )
    stornierte = forms.BooleanField(label="auch stornierte Dokumente", required=False)
    seite = forms.IntegerField(required=False, min_value=1)

    def filter(self) -> selectors.Filter:
        daten = self.cleaned_data
        return selectors.Filter(
            kommune=daten.get("kommune") or "",
            aktenplan=(daten.get("aktenplan") or "").strip(),
            oe=str(daten["oe"]) if daten.get("oe") else "",
            typ=daten.get("typ") or "",
            von=daten.get("von"),
            bis=daten.get("bis"),
            zda=daten.get("zda") or "",
            stornierte=bool(daten.get("stornierte")),
        )
