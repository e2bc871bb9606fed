"""One accessible person picker for every form that chooses a person.

Use `PersonFeld` in a form and tell it who is choosing::

    class MeineForm(forms.Form):
        person = PersonFeld(label="Person", bereich="verbund")  # or "kommune"

        def __init__(self, *args, benutzer, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["person"].fuer(benutzer)              # optional: personen=<queryset>

`cleaned_data["person"]` is then a `Benutzer`. The field renders a text input with the ARIA 1.2
combobox pattern (static/js/personenwahl.js): typing asks `kommunen:personen_suche` (JSON; the
API has /api/v1/personen/) for people whose name, login name, OE or Kommune match, arrow keys
and Enter choose, Escape closes. Without JavaScript the same text is resolved on the server:
"Name (login)", a login name, a UUID or a full name ("Paul Koch", "Koch, Paul"); an ambiguous
name is answered with the candidates. Only people the chooser may pick are ever found
(`selectors.personen_waehlbar_fuer`: the own Kommune or the Verbund, active people only).
"""

from django import forms
from django.urls import reverse

from . import selectors


def anzeige(person) -> str:
    """How the picker shows and fills in a person: "Paul Koch (p.koch)"."""
    name = person.get_full_name()
    return f"{name} ({person.username})" if name else person.username


def beschreibung(person) -> str:
    """The second line of an option: OEs and Kommune."""
    oes = ", ".join(oe.name for oe in person.organisationseinheiten.all())
    return " · ".join(teil for teil in (oes, person.kommune.name) if teil)


def als_daten(person) -> dict:
    return {
        "uuid": str(person.uuid),
        "benutzername": person.username,
        "name": person.get_full_name(),
        "organisationseinheiten": [oe.name for oe in person.organisationseinheiten.all()],
        "kommune": person.kommune.name,
        "anzeige": anzeige(person),
        "beschreibung": beschreibung(person),
    }


class PersonWidget(forms.TextInput):
    template_name = "kommunen/_personenwahl.html"  # in eakte/kommunen/templates (form renderer)

    def __init__(self, bereich: str = "verbund", attrs=None):
        super().__init__(
            attrs={
                "autocomplete": "off",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "spellcheck": "false",
                **(attrs or {}),
            }
        )
        self.bereich = bereich

    def get_context(self, name, value, attrs):
        kontext = super().get_context(name, value, attrs)
        kennung = kontext["widget"]["attrs"].get("id") or f"id_{name}"
        kontext["widget"]["attrs"]["aria-controls"] = f"{kennung}_liste"
        kontext["widget"]["attrs"]["data-personenwahl"] = (
            reverse("kommunen:personen_suche") + f"?bereich={self.bereich}"
        )
        kontext["liste_id"] = f"{kennung}_liste"
        kontext["status_id"] = f"{kennung}_status"
        return kontext


class PersonFeld(forms.CharField):
    """A person, chosen by type-ahead (see the module docstring)."""

    def __init__(self, *, bereich: str = "verbund", **kwargs):
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault(
            "help_text",
            "Name, Benutzername, Organisationseinheit oder Kommune eingeben und aus der Liste "
            "wählen.",
        )
        super().__init__(widget=PersonWidget(bereich=bereich), **kwargs)
        self.bereich = bereich
        self.personen = None

    def fuer(self, benutzer, personen=None) -> None:
        """Who is choosing; `personen` narrows the choice further (a queryset of Benutzer)."""
        waehlbar = selectors.personen_waehlbar_fuer(benutzer, self.bereich)
        self.personen = waehlbar if personen is None else waehlbar.filter(pk__in=personen)

    def clean(self, value):
        text = super().clean(value)
        if text in self.empty_values:
            return None
        if self.personen is None:
            raise RuntimeError("PersonFeld.fuer(benutzer) wurde nicht aufgerufen.")
        person, kandidaten = selectors.person_aufloesen(self.personen, text)
        if person is not None:
            return person
        if kandidaten:
            raise forms.ValidationError(
                "Mehrere Personen heißen „%(text)s“: bitte aus der Liste wählen (%(namen)s).",
                params={
                    "text": text,
                    "namen": "; ".join(f"{anzeige(p)}, {p.kommune.name}" for p in kandidaten),
                },
            )
        bereich = "in Ihrer Kommune" if self.bereich == "kommune" else "im Verbund"
        raise forms.ValidationError(
            "Eine Person „%(text)s“ gibt es %(bereich)s nicht. Gesucht wird nach Name und "
            "Benutzername.",
            params={"text": text, "bereich": bereich},
        )
