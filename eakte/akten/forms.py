"""Forms of the records pages. They parse input; the rules live in services.py."""

from django import forms
from django.conf import settings

from eakte.common.regeln import darf
from eakte.kommunen.models import Benutzer, Organisationseinheit
from eakte.kommunen.personenwahl import PersonFeld

from . import selectors
from .models import Dokument, Dokumenttyp, Vertraulichkeit, Vorgang


class Datumsfeld(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class KennzeichenFeld(forms.CharField):
    """The Aktenplaneinheit typed as its Kennzeichen (the search fills it in when JS runs)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Aktenplaneinheit (Kennzeichen)")
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault(
            "help_text",
            "Das Kennzeichen einer Einheit der untersten Ebene, z. B. 0.2.01. "
            "Mit der Suche oben finden und übernehmen.",
        )
        super().__init__(**kwargs)


def _einheit_aufloesen(form, benutzer, kennzeichen):
    einheit = selectors.einheit_nach_kennzeichen(benutzer, kennzeichen)
    if einheit is None:
        raise forms.ValidationError(f"Die Einheit „{kennzeichen}“ gibt es im Aktenplan nicht.")
    return einheit


class AkteForm(forms.Form):
    aktenplaneinheit = KennzeichenFeld()
    betreff = forms.CharField(label="Betreff", max_length=500)
    federfuehrende_oe = forms.ModelChoiceField(
        label="Federführende Organisationseinheit",
        queryset=Organisationseinheit.objects.none(),
    )
    aktenfuehrende_oe = forms.ModelChoiceField(
        label="Aktenführende Organisationseinheit",
        queryset=Organisationseinheit.objects.none(),
        required=False,
        empty_label="wie federführende OE",
    )
    vertraulichkeit = forms.ChoiceField(
        label="Vertraulichkeit", choices=Vertraulichkeit.choices, initial=Vertraulichkeit.OFFEN
    )

    def __init__(self, *args, benutzer, **kwargs):
        super().__init__(*args, **kwargs)
        self.benutzer = benutzer
        federfuehrend = selectors.oes_fuer_federfuehrung(benutzer)
        self.fields["federfuehrende_oe"].queryset = federfuehrend
        self.fields["aktenfuehrende_oe"].queryset = selectors.oes_der_kommune(benutzer)
        eigene = list(federfuehrend[:2])
        if len(eigene) == 1:
            self.fields["federfuehrende_oe"].initial = eigene[0]

    def clean_aktenplaneinheit(self):
        return _einheit_aufloesen(self, self.benutzer, self.cleaned_data["aktenplaneinheit"])


class AkteBearbeitenForm(forms.Form):
    """Betreff, Vertraulichkeit, a move to another unit and, for the owning OE, the OEs."""

    betreff = forms.CharField(label="Betreff", max_length=500)
    aktenplaneinheit = KennzeichenFeld(
        help_text="Ein anderes Kennzeichen hängt die Akte um; das Aktenzeichen bleibt."
    )
    vertraulichkeit = forms.ChoiceField(label="Vertraulichkeit", choices=Vertraulichkeit.choices)
    federfuehrende_oe = forms.ModelChoiceField(
        label="Federführende Organisationseinheit",
        queryset=Organisationseinheit.objects.none(),
        help_text="Eine andere OE übernimmt die Akte; Sie sehen sie dann nur noch, wenn sie "
        "Ihnen freigegeben wird.",
    )
    aktenfuehrende_oe = forms.ModelChoiceField(
        label="Aktenführende Organisationseinheit",
        queryset=Organisationseinheit.objects.none(),
    )

    def __init__(self, *args, benutzer, akte, **kwargs):
        initial = {
            "betreff": akte.betreff,
            "aktenplaneinheit": akte.aktenplaneinheit.kennzeichen,
            "vertraulichkeit": akte.vertraulichkeit,
            "federfuehrende_oe": akte.federfuehrende_oe_id,
            "aktenfuehrende_oe": akte.aktenfuehrende_oe_id,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.benutzer, self.akte = benutzer, akte
        if darf(benutzer, "akten.zustaendigkeit_aendern", akte):
            for feld in ("federfuehrende_oe", "aktenfuehrende_oe"):
                self.fields[feld].queryset = selectors.oes_der_kommune(benutzer)
        else:  # a grantee edits the Akte but does not hand it to another OE
            del self.fields["federfuehrende_oe"], self.fields["aktenfuehrende_oe"]

    def clean_aktenplaneinheit(self):
        kennzeichen = self.cleaned_data["aktenplaneinheit"].strip()
        if kennzeichen == self.akte.aktenplaneinheit.kennzeichen:
            return self.akte.aktenplaneinheit
        return _einheit_aufloesen(self, self.benutzer, kennzeichen)

    def aenderungen(self) -> dict:
        """Only what differs from the Akte (the service checks each field that is passed)."""
        return {
            feld: wert
            for feld, wert in self.cleaned_data.items()
            if getattr(self.akte, feld) != wert
        }


class VorgangForm(forms.Form):
    betreff = forms.CharField(label="Betreff des Vorgangs", max_length=500)


class HochladenForm(forms.Form):
    """The fields that apply to every file of one upload; the files are read one by one."""

    typ = forms.ChoiceField(label="Art", choices=Dokumenttyp.choices, initial=Dokumenttyp.EINGANG)


class VersionForm(forms.Form):
    datei = forms.FileField(
        label="Datei der neuen Version",
        help_text=f"Höchstens {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB.",
    )
    kommentar = forms.CharField(label="Kommentar zur Version", max_length=500, required=False)


class DokumentForm(forms.Form):
    titel = forms.CharField(label="Titel", max_length=500)
    typ = forms.ChoiceField(label="Art", choices=Dokumenttyp.choices)
    posteingangsdatum = forms.DateField(
        label="Posteingangsdatum", required=False, widget=Datumsfeld()
    )
    postausgangsdatum = forms.DateField(
        label="Postausgangsdatum", required=False, widget=Datumsfeld()
    )
    absender = forms.CharField(label="Absender", max_length=300, required=False)
    empfaenger = forms.CharField(label="Empfänger", max_length=300, required=False)
    bemerkung = forms.CharField(label="Bemerkung", required=False, widget=forms.Textarea)

    def __init__(self, *args, dokument, **kwargs):
        initial = {feld: getattr(dokument, feld) for feld in self.base_fields}
        super().__init__(*args, initial=initial, **kwargs)


class StornierenForm(forms.Form):
    grund = forms.CharField(
        label="Grund der Stornierung",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Zum Beispiel: versehentlich in der falschen Akte abgelegt. Das Dokument bleibt "
        "zum Nachweis in der Akte, wird aber in Listen und in der Suche ausgeblendet.",
    )


class VerschiebenForm(forms.Form):
    """A Vorgang of this Akte from the list, or any other one by its Vorgangszeichen."""

    vorgang = forms.ModelChoiceField(
        label="Vorgang dieser Akte",
        queryset=Vorgang.objects.none(),
        required=False,
        empty_label="– anderer Vorgang, siehe unten –",
    )
    vorgangszeichen = forms.CharField(
        label="oder Vorgangszeichen eines Vorgangs einer anderen Akte",
        max_length=170,
        required=False,
        help_text="z. B. ERB-0.2.01-0003/2026/1 – nur offene Vorgänge Ihrer Kommune, in denen "
        "Sie schreiben dürfen.",
    )

    def __init__(self, *args, ziele, akte, **kwargs):
        super().__init__(*args, **kwargs)
        self.ziele = ziele
        self.fields["vorgang"].queryset = ziele.filter(akte=akte)
        self.fields["vorgang"].label_from_instance = lambda v: f"{v.vorgangszeichen} {v.betreff}"

    def clean(self):
        daten = super().clean()
        if daten.get("vorgang") is not None:
            daten["ziel"] = daten["vorgang"]
            return daten
        zeichen = (daten.get("vorgangszeichen") or "").strip()
        if not zeichen:
            raise forms.ValidationError("Bitte einen Ziel-Vorgang wählen oder angeben.")
        daten["ziel"] = self.ziele.filter(vorgangszeichen=zeichen).first()
        if daten["ziel"] is None:
            self.add_error(
                "vorgangszeichen",
                f"Einen offenen Vorgang „{zeichen}“, in dem Sie schreiben dürfen, gibt es nicht.",
            )
        return daten


class FreigabeForm(forms.Form):
    benutzername = PersonFeld(
        label="Person",
        bereich="verbund",
        help_text="Name, Benutzername, Organisationseinheit oder Kommune eingeben und aus der "
        "Liste wählen; auch Kolleginnen und Kollegen anderer Kommunen des Verbunds.",
    )
    recht = forms.ChoiceField(
        label="Recht",
        choices=[("lesen", "nur lesen"), ("schreiben", "lesen und bearbeiten")],
        initial="lesen",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, benutzer, **kwargs):
        super().__init__(*args, **kwargs)
        self.benutzer = benutzer
        self.fields["benutzername"].fuer(benutzer)


class OeFreigabeForm(forms.Form):
    oe = forms.ModelChoiceField(
        label="Organisationseinheit",
        queryset=None,
        help_text="Alle Mitglieder der OE sehen die Akte, auch wer später dazukommt.",
    )
    recht = forms.ChoiceField(
        label="Recht",
        choices=[("lesen", "nur lesen"), ("schreiben", "lesen und bearbeiten")],
        initial="lesen",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, benutzer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oe"].queryset = selectors.oes_im_verbund(benutzer)
        self.fields["oe"].label_from_instance = lambda oe: f"{oe.kommune.name} – {oe.name}"


class WiedereroeffnenForm(forms.Form):
    grund = forms.CharField(
        label="Grund der Wiedereröffnung",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Wird im Protokoll festgehalten.",
    )


class WiedervorlageForm(forms.Form):
    datum = forms.DateField(label="Wiedervorlage am", widget=Datumsfeld())
    notiz = forms.CharField(label="Notiz", max_length=500, required=False)
    vorgang = forms.ModelChoiceField(
        label="zum Vorgang", queryset=Vorgang.objects.none(), required=False, empty_label="–"
    )

    def __init__(self, *args, akte, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vorgang"].queryset = akte.vorgaenge.order_by("nummer")
        self.fields["vorgang"].label_from_instance = lambda v: f"{v.vorgangszeichen} {v.betreff}"


class UebergabeForm(forms.Form):
    an = PersonFeld(
        label="Übertragen an",
        bereich="kommune",
        help_text="Eine aktive Person derselben Kommune: Name oder Benutzername eingeben und "
        "aus der Liste wählen.",
    )

    def __init__(self, *args, von, akteur=None, **kwargs):
        super().__init__(*args, **kwargs)
        personen = Benutzer.objects.filter(kommune_id=von.kommune_id, is_active=True).exclude(
            pk__in=[von.pk, *([akteur.pk] if akteur else [])]
        )
        self.fields["an"].fuer(akteur or von, personen=personen)


class SammelVerschiebenForm(VerschiebenForm):
    """Several Dokumente of a Vorgang (chosen by checkbox on its page) into another Vorgang."""

    dokumente = forms.ModelMultipleChoiceField(
        label="Dokumente",
        queryset=Dokument.objects.none(),
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Bitte mindestens ein Dokument auswählen."},
    )

    field_order = ["dokumente", "vorgang", "vorgangszeichen"]

    def __init__(self, *args, quelle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dokumente"].queryset = quelle.dokumente.filter(
            storniert_am__isnull=True
        ).order_by("-angelegt_am", "-id")
        self.fields["dokumente"].label_from_instance = lambda d: d.titel
