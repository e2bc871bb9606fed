from django import forms

from .models import AKTENZEICHEN_MUSTER_STANDARD, Benutzer, Kommune, Organisationseinheit
from .rollen import Rolle


class BenutzerForm(forms.Form):
    first_name = forms.CharField(label="Vorname", max_length=150, required=False)
    last_name = forms.CharField(label="Nachname", max_length=150, required=False)
    email = forms.EmailField(label="E-Mail-Adresse")
    organisationseinheiten = forms.ModelMultipleChoiceField(
        label="Organisationseinheiten",
        queryset=Organisationseinheit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    rollen = forms.MultipleChoiceField(
        label="Rollen", widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, kommune, rollen: list[Rolle], feste_rollen=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisationseinheiten"].queryset = kommune.organisationseinheiten.filter(
            aktiv=True
        ).order_by("name")
        # Only the roles the administrator may grant are offered; the person's other roles are
        # shown and stay as they are.
        self.fields["rollen"].choices = [(r.value, r.label) for r in rollen]
        if feste_rollen:
            namen = ", ".join(r.label for r in Rolle if r in feste_rollen)
            self.fields[
                "rollen"
            ].help_text = f"Außerdem: {namen} (vergibt und entzieht nur ein Verbund-Admin)."

    def clean_rollen(self):
        return [Rolle(wert) for wert in self.cleaned_data["rollen"]]

    @classmethod
    def fuer(cls, benutzer: Benutzer, **kwargs):
        initial = {
            "first_name": benutzer.first_name,
            "last_name": benutzer.last_name,
            "email": benutzer.email,
            "organisationseinheiten": list(benutzer.organisationseinheiten.all()),
            "rollen": [r.value for r in benutzer.rollen],
        }
        vergebbar = kwargs["rollen"]
        feste = [r for r in benutzer.rollen if r not in vergebbar]
        return cls(initial=initial, feste_rollen=feste, **kwargs)


class NeuerBenutzerForm(BenutzerForm):
    username = forms.CharField(
        label="Benutzername",
        max_length=150,
        help_text="Zum Anmelden, z. B. vorname.nachname; „@“ und das Kürzel der Kommune werden "
        "angehängt (vorname.nachname@erbach). Buchstaben, Ziffern und . @ + - _",
    )
    field_order = ["username"]


class BenutzerImportForm(forms.Form):
    datei = forms.FileField(
        label="CSV-Datei",
        help_text="Spalten Benutzername;Vorname;Nachname;E-Mail;OE;Rollen (UTF-8, Semikolon). "
        "Mehrere OEs oder Rollen mit Komma trennen. Höchstens 2 MB.",
    )

    def clean_datei(self):
        datei = self.cleaned_data["datei"]
        if datei.size > 2 * 1024 * 1024:
            raise forms.ValidationError("Die Datei ist größer als 2 MB.")
        return datei


def _zeilen(text: str) -> list[list[str]]:
    return [
        [teil.strip() for teil in zeile.split(";")] for zeile in text.splitlines() if zeile.strip()
    ]


class KommuneAufnehmenForm(forms.Form):
    """The guided "Kommune aufnehmen" flow; builds the same description as a roll-out file."""

    name = forms.CharField(label="Name der Kommune", max_length=200)
    slug = forms.SlugField(
        label="Kurzname (für Adressen)",
        max_length=60,
        help_text="Kleinbuchstaben, Ziffern und Bindestriche, z. B. bad-koenig",
    )
    ags = forms.RegexField(
        label="Amtlicher Gemeindeschlüssel (AGS)",
        regex=r"^\d{8}$",
        error_messages={"invalid": "Der AGS besteht aus genau acht Ziffern."},
    )
    aktenzeichen_praefix = forms.CharField(
        label="Aktenzeichen-Präfix", max_length=10, help_text="2 bis 10 Großbuchstaben, z. B. BKO"
    )
    aktenzeichen_muster = forms.CharField(
        label="Aktenzeichen-Muster", max_length=100, initial=AKTENZEICHEN_MUSTER_STANDARD
    )
    organisationseinheiten = forms.CharField(
        label="Organisationseinheiten",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Eine Zeile je OE: Kürzel;Name;Kürzel der übergeordneten OE (optional), "
        "z. B. „HA-IT;IT und Digitalisierung;HA“",
    )
    admin_benutzername = forms.CharField(label="Benutzername des Kommunen-Admins", max_length=150)
    admin_vorname = forms.CharField(label="Vorname", max_length=150, required=False)
    admin_nachname = forms.CharField(label="Nachname", max_length=150, required=False)
    admin_email = forms.EmailField(label="E-Mail-Adresse des Kommunen-Admins")
    admin_oe = forms.CharField(label="OE des Kommunen-Admins (Kürzel)", max_length=20)
    digitallotsen = forms.CharField(
        label="Digitallotsen",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Eine Zeile je Person: Benutzername;Vorname;Nachname;E-Mail;OE-Kürzel",
    )

    def __init__(self, *args, verbund, **kwargs):
        super().__init__(*args, **kwargs)
        self.verbund = verbund

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Kommune.objects.filter(slug=slug).exists():
            raise forms.ValidationError("Diesen Kurznamen hat schon eine Kommune.")
        return slug

    def beschreibung(self) -> dict:
        daten = self.cleaned_data
        oes = [
            {
                "kuerzel": teile[0],
                "name": teile[1] if len(teile) > 1 else "",
                "uebergeordnet": teile[2] if len(teile) > 2 else None,
            }
            for teile in _zeilen(daten["organisationseinheiten"])
        ]
        personen = [
            {
                "benutzername": daten["admin_benutzername"],
                "vorname": daten["admin_vorname"],
                "nachname": daten["admin_nachname"],
                "email": daten["admin_email"],
                "rollen": [Rolle.KOMMUNEN_ADMIN.value],
                "oes": [daten["admin_oe"]],
            }
        ]
        for teile in _zeilen(daten.get("digitallotsen", "")):
            teile += [""] * (5 - len(teile))
            personen.append(
                {
                    "benutzername": teile[0],
                    "vorname": teile[1],
                    "nachname": teile[2],
                    "email": teile[3],
                    "oes": [teile[4]] if teile[4] else [],
                    "rollen": [Rolle.DIGITALLOTSE.value, Rolle.SACHBEARBEITUNG.value],
                }
            )
        kommune = {
            k: daten[k]
            for k in ("name", "slug", "ags", "aktenzeichen_praefix", "aktenzeichen_muster")
        }
        kommune.update(organisationseinheiten=oes, personen=personen)
        return {
            "verbund": {"slug": self.verbund.slug, "name": self.verbund.name},
            "kommunen": [kommune],
        }


class OrganisationseinheitForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    kuerzel = forms.CharField(label="Kürzel", max_length=20)
    parent = forms.ModelChoiceField(
        label="Übergeordnete Einheit",
        queryset=Organisationseinheit.objects.none(),
        required=False,
        empty_label="– keine (oberste Ebene) –",
    )

    def __init__(self, *args, kommune, ohne=None, **kwargs):
        super().__init__(*args, **kwargs)
        einheiten = kommune.organisationseinheiten.filter(aktiv=True).order_by("name")
        if ohne is not None:
            einheiten = einheiten.exclude(pk=ohne.pk)
        self.fields["parent"].queryset = einheiten


class ZusammenlegenForm(forms.Form):
    ziel = forms.ModelChoiceField(
        label="Zusammenlegen mit",
        queryset=Organisationseinheit.objects.none(),
        help_text="Mitglieder und Untereinheiten wechseln dorthin; diese OE wird stillgelegt.",
    )

    def __init__(self, *args, kommune, ohne, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ziel"].queryset = (
            kommune.organisationseinheiten.filter(aktiv=True).exclude(pk=ohne.pk).order_by("name")
        )
