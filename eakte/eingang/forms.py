from django import forms

from eakte.kommunen.models import Benutzer, Organisationseinheit

from .models import REGELFELDER, Ablage, Plattform, Postfach, Regel, Zustellpunkt


class RegelForm(forms.ModelForm):
    oe = forms.ModelChoiceField(
        Organisationseinheit.objects.none(),
        label="federführende OE",
        required=False,
        empty_label="–",
    )
    verbundweit = forms.BooleanField(label="Vorgabe für den ganzen Verbund", required=False)

    class Meta:
        model = Regel
        fields = REGELFELDER
        widgets = {"ablage": forms.RadioSelect(choices=Ablage.choices)}

    def __init__(self, *args, einheiten, oes, vorlagen, darf_vorgabe: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vorlage"].queryset = vorlagen
        self.fields["vorlage"].empty_label = "– keinen Geschäftsgang starten –"
        self.fields["aktenplaneinheit"].queryset = einheiten
        self.fields["aktenplaneinheit"].empty_label = "–"
        self.fields["oe"].queryset = oes
        self.fields["oe"].required = False
        if not darf_vorgabe:
            del self.fields["verbundweit"]


class PostfachForm(forms.ModelForm):
    """A functional mailbox; the password is write-only (empty when changing: it stays)."""

    # declared (not generated from the model): a generated choice field would query the
    # Kommune-owned tables when the module is imported, outside any Bereich
    oe = forms.ModelChoiceField(
        Organisationseinheit.objects.none(),
        label="Organisationseinheit",
        required=False,
        empty_label="–",
    )
    konto = forms.ModelChoiceField(
        Benutzer.objects.none(), label="ablegen im Namen von", empty_label="–"
    )
    passwort = forms.CharField(
        label="Passwort", required=False, strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="wird verschlüsselt gespeichert und nie wieder angezeigt",
    )  # fmt: skip

    class Meta:
        model = Postfach
        fields = [
            "name", "oe", "konto", "host", "port", "verschluesselung", "benutzername",
            "ordner", "erledigt_ordner",
        ]  # fmt: skip
        widgets = {"verschluesselung": forms.RadioSelect}

    def __init__(self, *args, kommune_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oe"].queryset = Organisationseinheit.objects.filter(
            kommune_id=kommune_id, aktiv=True
        )
        self.fields["konto"].queryset = Benutzer.objects.filter(
            kommune_id=kommune_id, is_active=True
        ).order_by("username")
        if self.instance.pk:
            self.fields["passwort"].help_text = "leer lassen: das bisherige Passwort bleibt"


class ZulassungForm(forms.Form):
    plattform = forms.ModelChoiceField(Plattform.objects.none(), label="Plattform", empty_label="–")
    konto = forms.ModelChoiceField(
        Benutzer.objects.none(),
        label="ablegen im Namen von",
        empty_label="–",
        help_text="Eingangskonto der Kommune: Mitglied der OEs, die die Regeln nennen",
    )

    def __init__(self, *args, plattformen, kommune_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plattform"].queryset = plattformen
        self.fields["konto"].queryset = Benutzer.objects.filter(
            kommune_id=kommune_id, is_active=True
        ).order_by("username")


class PlattformForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    kennung = forms.CharField(
        label="Client-Kennung", max_length=80,
        help_text="Kleinbuchstaben, Ziffern, Bindestriche; kann später nicht geändert werden",
    )  # fmt: skip
    webhook_url = forms.CharField(
        label="Webhook-Adresse", max_length=200, required=False,
        help_text="Rückkanal der Plattform (Statusmeldungen, Bescheide)",
    )  # fmt: skip


class ZustellpunktForm(forms.ModelForm):
    """A FIT-Connect destination; client secret and private keys are write-only (empty when
    changing: the stored ones stay)."""

    plattform = forms.ModelChoiceField(
        Plattform.objects.none(), label="Regeln und Eingangskonto von",
        help_text="eine Plattform, die an Ihre Kommune zustellen darf",
    )  # fmt: skip
    client_secret = forms.CharField(
        label="Client-Secret", required=False, strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="wird verschlüsselt gespeichert und nie wieder angezeigt",
    )  # fmt: skip
    entschluesselungsschluessel = forms.CharField(
        label="privater Entschlüsselungsschlüssel (JWK)", required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        help_text="wird verschlüsselt gespeichert und nie wieder angezeigt",
    )  # fmt: skip
    signaturschluessel = forms.CharField(
        label="privater Signaturschlüssel (JWK)", required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        help_text="wird verschlüsselt gespeichert und nie wieder angezeigt",
    )  # fmt: skip

    class Meta:
        model = Zustellpunkt
        fields = ["plattform", "destination_id", "token_url", "api_url", "client_id"]

    def __init__(self, *args, plattformen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plattform"].queryset = plattformen
        if self.instance.pk:
            for feld in ("client_secret", "entschluesselungsschluessel", "signaturschluessel"):
                self.fields[feld].help_text = "leer lassen: der bisherige Wert bleibt"
