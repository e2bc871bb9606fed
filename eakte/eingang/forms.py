from django import forms

from eakte.kommunen.models import Benutzer, Organisationseinheit

from .models import REGELFELDER, Ablage, Plattform, Postfach, Regel


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
