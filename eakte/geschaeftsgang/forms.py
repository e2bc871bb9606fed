"""Forms of the Geschäftsgang pages (thin: the services check everything)."""

from django import forms
from django.core.exceptions import ValidationError

from eakte.kommunen.personenwahl import PersonFeld, anzeige
from eakte.kommunen.rollen import Rolle

from . import selectors
from .models import Benachrichtigungsart, Empfaengerart, Ergebnis, Verfuegung

ROUTE_ZEILEN = 6


def _wahl(queryset, beschriftung) -> list[tuple]:
    return [("", "–"), *((obj.pk, beschriftung(obj)) for obj in queryset)]


class StartForm(forms.Form):
    """Start from a template, or ad hoc with up to six steps (a row left empty is ignored)."""

    vorlage = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Vorlage",
        empty_label="– ohne Vorlage (Schritte unten) –",
    )
    # chosen on the page from a filtered, paginated list (radio buttons the template renders):
    # a Vorgang may hold thousands of Dokumente, too many for one <select>
    dokument = forms.ModelChoiceField(
        queryset=None,
        required=False,
        to_field_name="uuid",
        label="Dokument",
        help_text="Bei der Schlusszeichnung wird die aktuelle Version dieses Dokuments "
        "eingefroren.",
        error_messages={"invalid_choice": "Dieses Dokument gehört nicht zu dem Vorgang."},
    )
    betreff = forms.CharField(label="Betreff", required=False, max_length=500)

    def __init__(self, *args, user, vorgang, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vorlage"].queryset = selectors.vorlagen_fuer(user)
        self.fields["dokument"].queryset = vorgang.dokumente.all()
        oes = selectors.oes_im_verbund(user)
        # read once for all rows (each ModelChoiceField would query on its own)
        oe_wahl = _wahl(oes, lambda oe: f"{oe.name} ({oe.kommune.name})")
        for i in range(ROUTE_ZEILEN):
            n = i + 1
            self.fields[f"s{n}_verfuegung"] = forms.ChoiceField(
                label=f"Schritt {n}: Verfügung",
                choices=[("", "–"), *Verfuegung.choices],
                required=False,
            )
            # people of the other Kommunen of the Verbund too (mutual support in the IKZ)
            self.fields[f"s{n}_person"] = PersonFeld(
                bereich="verbund", required=False, label=f"Schritt {n}: an Person"
            )
            self.fields[f"s{n}_person"].fuer(user)
            self.fields[f"s{n}_oe"] = forms.ModelChoiceField(
                queryset=oes, required=False, label=f"Schritt {n}: an OE (Postkorb)"
            )
            self.fields[f"s{n}_rolle"] = forms.ChoiceField(
                label=f"Schritt {n}: an Rolle", choices=[("", "–"), *Rolle.choices], required=False
            )
            self.fields[f"s{n}_gruppe"] = forms.IntegerField(
                label=f"Schritt {n}: parallele Gruppe", required=False, min_value=1
            )
            self.fields[f"s{n}_frist"] = forms.DateField(
                label=f"Schritt {n}: Frist",
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            self.fields[f"s{n}_notiz"] = forms.CharField(
                label=f"Schritt {n}: Hinweis", required=False, max_length=1000
            )
            self.fields[f"s{n}_oe"].choices = oe_wahl

    def gewaehltes_dokument(self):
        """The Dokument chosen so far (sent, or preselected by ?dokument=), else None."""
        wert = self["dokument"].value()
        try:
            return self.fields["dokument"].queryset.filter(uuid=wert).first() if wert else None
        except ValidationError:  # not a UUID
            return None

    def zeilen(self):
        """The step rows for the template: one list of bound fields per row."""
        return [
            [
                self[f"s{n}_{teil}"]
                for teil in ("verfuegung", "person", "oe", "rolle", "gruppe", "frist", "notiz")
            ]
            for n in range(1, ROUTE_ZEILEN + 1)
        ]

    def schritte(self):
        from .services import SchrittAngabe

        angaben = []
        for n in range(1, ROUTE_ZEILEN + 1):
            d = self.cleaned_data
            if not d.get(f"s{n}_verfuegung"):
                continue
            angaben.append(
                SchrittAngabe(
                    verfuegung=d[f"s{n}_verfuegung"],
                    person=d.get(f"s{n}_person"),
                    oe=d.get(f"s{n}_oe"),
                    rolle=d.get(f"s{n}_rolle") or "",
                    frist=d.get(f"s{n}_frist"),
                    notiz=d.get(f"s{n}_notiz") or "",
                    gruppe=d.get(f"s{n}_gruppe"),
                )
            )
        return angaben


class BearbeitenForm(forms.Form):
    ergebnis = forms.ChoiceField(
        label="Ergebnis", choices=Ergebnis.choices, widget=forms.RadioSelect
    )
    bemerkung = forms.CharField(
        label="Bemerkung (bei Ablehnung: Begründung)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    zurueck_an = forms.ChoiceField(label="Bei Ablehnung zurück an", required=False)
    weiter_person = PersonFeld(bereich="verbund", required=False, label="Weiterleiten an Person")
    weiter_oe = forms.ModelChoiceField(
        queryset=None, required=False, label="Weiterleiten an OE", empty_label="–"
    )
    elektronisch_signieren = forms.BooleanField(
        required=False,
        label="elektronisch signieren",
        help_text="Bei der Schlusszeichnung: das PDF mit dem Zertifikat der Kommune signieren "
        "(nur PDF-Dokumente).",
    )

    def __init__(self, *args, user, schritt, **kwargs):
        from .services import erlaubte_ergebnisse

        super().__init__(*args, **kwargs)
        erlaubt = erlaubte_ergebnisse(schritt.verfuegung)
        self.fields["ergebnis"].choices = [(e, Ergebnis(e).label) for e in erlaubt]
        frueher = schritt.geschaeftsgang.schritte.filter(position__lt=schritt.position).order_by(
            "position", "id"
        )
        self.fields["zurueck_an"].choices = [
            ("", "an den Absender (wer den Geschäftsgang startete)")
        ] + [(str(s.uuid), f"Schritt {s.position}: {s}") for s in frueher]
        self.fields["weiter_person"].fuer(user)
        self.fields["weiter_oe"].queryset = selectors.oes_im_verbund(user)
        if "schlussgezeichnet" not in erlaubt:
            del self.fields["elektronisch_signieren"]


VERTRETER_FELDER = 3


class VertretungForm(forms.Form):
    abwesend = PersonFeld(bereich="kommune", label="Abwesend ist")
    von = forms.DateField(label="von", widget=forms.DateInput(attrs={"type": "date"}))
    bis = forms.DateField(label="bis", widget=forms.DateInput(attrs={"type": "date"}))
    vertreter1 = PersonFeld(bereich="verbund", label="Vertretung durch")
    vertreter2 = PersonFeld(bereich="verbund", required=False, label="weitere Vertretung")
    vertreter3 = PersonFeld(bereich="verbund", required=False, label="dritte Vertretung")
    grund = forms.CharField(label="Hinweis", required=False, max_length=200)

    field_order = ["abwesend", "von", "bis", "vertreter1", "vertreter2", "vertreter3", "grund"]

    def __init__(self, *args, user, abwesende, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["abwesend"].fuer(user, personen=abwesende)
        self.fields["abwesend"].initial = anzeige(user)
        # whether people of other Kommunen may stand in is the service's rule (Verbund setting)
        for n in range(1, VERTRETER_FELDER + 1):
            self.fields[f"vertreter{n}"].fuer(user)

    def vertreter(self) -> list:
        gewaehlt = (self.cleaned_data.get(f"vertreter{n}") for n in range(1, VERTRETER_FELDER + 1))
        return list(dict.fromkeys(p for p in gewaehlt if p is not None))


class VorlageForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    beschreibung = forms.CharField(label="Beschreibung", required=False, max_length=1000)
    verbundweit = forms.BooleanField(label="für den ganzen Verbund (Digitallotsen)", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        oes = selectors.eigene_kommune_oes(user)
        for n in range(1, ROUTE_ZEILEN + 1):
            self.fields[f"s{n}_verfuegung"] = forms.ChoiceField(
                label=f"Schritt {n}: Verfügung",
                choices=[("", "–"), *Verfuegung.choices],
                required=False,
            )
            self.fields[f"s{n}_art"] = forms.ChoiceField(
                label=f"Schritt {n}: an",
                choices=[("", "–"), *Empfaengerart.choices],
                required=False,
            )
            self.fields[f"s{n}_person"] = PersonFeld(
                bereich="kommune", required=False, label=f"Schritt {n}: Person"
            )
            self.fields[f"s{n}_person"].fuer(user)
            self.fields[f"s{n}_oe"] = forms.ModelChoiceField(
                queryset=oes, required=False, label=f"Schritt {n}: OE", empty_label="–"
            )
            self.fields[f"s{n}_rolle"] = forms.ChoiceField(
                label=f"Schritt {n}: Rolle", choices=[("", "–"), *Rolle.choices], required=False
            )
            self.fields[f"s{n}_gruppe"] = forms.IntegerField(
                label=f"Schritt {n}: parallele Gruppe", required=False, min_value=1
            )
            self.fields[f"s{n}_frist_tage"] = forms.IntegerField(
                label=f"Schritt {n}: Frist in Tagen", required=False, min_value=0, max_value=3650
            )

    def zeilen(self):
        return [
            [
                self[f"s{n}_{t}"]
                for t in ("verfuegung", "art", "person", "oe", "rolle", "gruppe", "frist_tage")
            ]
            for n in range(1, ROUTE_ZEILEN + 1)
        ]

    def schritte(self):
        from .services import VorlageschrittAngabe

        d, angaben = self.cleaned_data, []
        for n in range(1, ROUTE_ZEILEN + 1):
            if not d.get(f"s{n}_verfuegung"):
                continue
            angaben.append(
                VorlageschrittAngabe(
                    verfuegung=d[f"s{n}_verfuegung"],
                    art=d.get(f"s{n}_art") or "",
                    person=d.get(f"s{n}_person"),
                    oe=d.get(f"s{n}_oe"),
                    rolle=d.get(f"s{n}_rolle") or "",
                    frist_tage=d.get(f"s{n}_frist_tage"),
                    gruppe=d.get(f"s{n}_gruppe"),
                )
            )
        return angaben


class BenachrichtigungForm(forms.Form):
    art = forms.ChoiceField(
        label="E-Mail bei neuen Einträgen im Postkorb",
        choices=Benachrichtigungsart.choices,
        widget=forms.RadioSelect,
    )


class VerbundForm(forms.Form):
    vertretung_kommunenuebergreifend = forms.BooleanField(
        label="Vertretung durch Personen anderer Kommunen des Verbunds erlauben",
        required=False,
        help_text="Nur, wenn alle Kommunen des Verbunds zugestimmt haben.",
    )
