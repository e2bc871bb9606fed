from django import forms


class ZertifikatForm(forms.Form):
    pkcs12 = forms.FileField(
        label="Zertifikatsdatei (PKCS#12, .p12/.pfx)",
        help_text="Zertifikat mit privatem Schlüssel. Es wird verschlüsselt gespeichert und nie "
        "wieder angezeigt.",
    )
    passphrase = forms.CharField(
        label="Passwort der Zertifikatsdatei",
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False),
    )
