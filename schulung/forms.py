from datetime import datetime

from django import forms
from django.utils import timezone

from eakte.kommunen import selectors as kommunen_selectors
from eakte.kommunen.models import Kommune, Organisationseinheit
from eakte.kommunen.rollen import Rolle

from .models import Dokumentart, online_link_pruefen


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
    organisationseinheiten = forms.ModelMultipleChoiceField(
        label="Nur für die Organisationseinheiten (leer: alle)",
        queryset=Organisationseinheit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    text = forms.CharField(
        label="Text (Markdown)",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Überschriften mit ##, Listen mit -, Hervorhebung mit **fett**.",
    )

    def __init__(self, *args, benutzer, **kwargs):
        super().__init__(*args, **kwargs)
        verbund_id = benutzer.kommune.verbund_id
        self.fields["kommunen"].queryset = Kommune.objects.filter(verbund_id=verbund_id).order_by(
            "name"
        )
        # a document's scope may name OEs of every Kommune of the Verbund
        self.fields["organisationseinheiten"].queryset = kommunen_selectors.oes_im_verbund(
            benutzer
        ).filter(aktiv=True)
        self.fields["organisationseinheiten"].label_from_instance = lambda oe: (
            f"{oe.kommune.name} – {oe.name}"
        )

    def clean(self):
        daten = super().clean()
        if not daten.get("alle_kommunen") and not daten.get("kommunen"):
            self.add_error("kommunen", "Bitte Kommunen wählen oder „alle Kommunen“ ankreuzen.")
        return daten


class EntwurfForm(forms.Form):
    text = forms.CharField(label="Text (Markdown)", widget=forms.Textarea(attrs={"rows": 18}))


class AnhangForm(forms.Form):
    datei = forms.FileField(
        label="PDF-Anhang",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        from .services import anhang_grenze_text

        super().__init__(*args, **kwargs)
        self.fields["datei"].help_text = f"Nur PDF-Dateien, höchstens {anhang_grenze_text()}."


class VeroeffentlichenForm(forms.Form):
    gueltig_ab = forms.DateField(
        label="gültig ab",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leer: ab heute.",
    )


# --- Schulungen ------------------------------------------------------------------------------


class SchulungForm(forms.Form):
    titel = forms.CharField(label="Titel", max_length=300)
    beschreibung = forms.CharField(
        label="Beschreibung (Markdown)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Inhalte, Zielgruppe, Voraussetzungen. Überschriften mit ##, Listen mit -.",
    )
    rollen = forms.MultipleChoiceField(
        label="Zielrollen (leer: alle)",
        required=False,
        choices=[(r.value, r.label) for r in Rolle],
        widget=forms.CheckboxSelectMultiple,
    )


class TerminForm(forms.Form):
    datum = forms.DateField(
        label="Datum", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    beginn = forms.TimeField(
        label="Beginn (Uhrzeit)", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ende = forms.TimeField(
        label="Ende (Uhrzeit)", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ende_datum = forms.DateField(
        label="Ende am (Datum)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Nur bei mehrtägigen Terminen; leer: am selben Tag.",
    )
    ort = forms.CharField(
        label="Ort",
        max_length=300,
        required=False,
        help_text="z. B. Rathaus Erbach, Sitzungssaal. Leer bei reinen Online-Terminen.",
    )
    online_link = forms.URLField(
        label="Online-Link",
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[online_link_pruefen],
        help_text="Link zur Videokonferenz (https://…), falls online.",
    )
    kapazitaet = forms.IntegerField(label="Plätze", min_value=1, max_value=10000)
    anmeldeschluss = forms.DateTimeField(
        label="Anmeldeschluss",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leer: Anmeldung bis zum Beginn möglich.",
    )

    def clean(self):
        daten = super().clean()
        if not daten.get("ort") and not daten.get("online_link"):
            self.add_error("ort", "Bitte einen Ort oder einen Online-Link angeben.")
        datum, ende_datum = daten.get("datum"), daten.get("ende_datum")
        if datum and ende_datum and ende_datum < datum:
            self.add_error("ende_datum", "Das Ende kann nicht vor dem Datum des Beginns liegen.")
        return daten

    def termin_daten(self) -> dict:
        """The cleaned data as the services expect it: aware datetimes in the local zone."""
        daten = self.cleaned_data
        return {
            "beginn": _lokal(daten["datum"], daten["beginn"]),
            "ende": _lokal(daten.get("ende_datum") or daten["datum"], daten["ende"]),
            "kapazitaet": daten["kapazitaet"],
            "ort": daten["ort"],
            "online_link": daten["online_link"],
            "anmeldeschluss": daten.get("anmeldeschluss"),
        }

    @classmethod
    def aus_termin(cls, termin) -> dict:
        beginn, ende = timezone.localtime(termin.beginn), timezone.localtime(termin.ende)
        return {
            "datum": beginn.date(),
            "beginn": beginn.time(),
            "ende": ende.time(),
            # a Termin over several days (possible through the API) keeps its end when edited
            "ende_datum": ende.date() if ende.date() != beginn.date() else None,
            "ort": termin.ort,
            "online_link": termin.online_link,
            "kapazitaet": termin.kapazitaet,
            "anmeldeschluss": timezone.localtime(termin.anmeldeschluss),
        }


def _lokal(tag, uhrzeit):
    return timezone.make_aware(datetime.combine(tag, uhrzeit))
