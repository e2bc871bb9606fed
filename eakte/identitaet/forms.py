from django import forms

from eakte.kommunen.models import Organisationseinheit
from eakte.kommunen.rollen import Rolle

from .models import Identitaetsquelle
from .services import EINSTELLBARE_FELDER


class QuelleForm(forms.ModelForm):
    """The identity source; secrets are write-only (never shown again, empty keeps them)."""

    ldap_bind_passwort = forms.CharField(
        label="Bind-Passwort",
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Wird verschlüsselt gespeichert und nie wieder angezeigt. Leer lassen: "
        "das gespeicherte bleibt.",
    )
    oidc_client_secret = forms.CharField(
        label="Client-Secret",
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Wird verschlüsselt gespeichert und nie wieder angezeigt. Leer lassen: "
        "das gespeicherte bleibt.",
    )

    class Meta:
        model = Identitaetsquelle
        fields = list(EINSTELLBARE_FELDER)

    field_order = [
        *EINSTELLBARE_FELDER[:4],
        "ldap_bind_passwort",
        *EINSTELLBARE_FELDER[4:16],
        "oidc_client_secret",
    ]

    def geheimnisse(self) -> dict:
        return {
            "ldap_bind_geheimnis": self.cleaned_data.get("ldap_bind_passwort", ""),
            "oidc_client_geheimnis": self.cleaned_data.get("oidc_client_secret", ""),
        }


class ZuordnungForm(forms.Form):
    gruppe = forms.CharField(
        label="Gruppe",
        max_length=500,
        help_text="LDAP/AD: der DN der Gruppe (verschachtelte Gruppen zählen mit); "
        "OpenID Connect: der Gruppenname im Claim.",
    )
    rolle = forms.ChoiceField(
        label="Rolle", required=False, choices=[("", "– keine –"), *Rolle.choices]
    )
    organisationseinheit = forms.ModelChoiceField(
        label="Organisationseinheit",
        required=False,
        queryset=Organisationseinheit.objects.none(),
        empty_label="–",
    )

    def __init__(self, *args, kommune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisationseinheit"].queryset = Organisationseinheit.alle.filter(
            kommune=kommune, aktiv=True
        )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="Sechs Ziffern aus Ihrer Authenticator-App oder ein Wiederherstellungscode.",
    )


class RichtlinieForm(forms.Form):
    zwei_faktor_fuer_admins = forms.BooleanField(
        label="Zweiter Faktor (TOTP) für Kommunen-Admin, Verbund-Admin und Datenschutz",
        required=False,
        help_text="Gilt für lokale Konten; Konten aus Verzeichnis oder OpenID Connect nutzen "
        "den zweiten Faktor ihres Anmeldedienstes.",
    )
