"""Handing over what a leaving person leaves behind (their Wiedervorlagen and shares).

The section appears on the person's page in the user administration (kommunen): kommunen sends
`benutzer_seite` and this app answers with its section, so kommunen imports nothing of akten.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from eakte.common.akteur import akteur_aus
from eakte.common.regeln import pruefen
from eakte.kommunen import selectors as kommunen_selectors

from ..forms import UebergabeForm
from ..services import uebergabe


def uebergabe_abschnitt(sender, *, request, benutzer, **kwargs) -> str:
    """The section "Wiedervorlagen und Freigaben übergeben" of a person's page ("" if none)."""
    if not uebergabe.darf_uebergeben(request.user, benutzer):
        return ""
    wiedervorlagen = list(uebergabe.offene_wiedervorlagen(benutzer))
    freigaben = uebergabe.freigaben_an(benutzer)
    if not (wiedervorlagen or freigaben):
        return ""
    kontext = {
        "person": benutzer,
        "wiedervorlagen": wiedervorlagen,
        "freigaben": freigaben,
        "wv_form": UebergabeForm(von=benutzer, akteur=request.user, prefix="wiedervorlagen"),
        "fg_form": UebergabeForm(von=benutzer, akteur=request.user, prefix="freigaben"),
        "uebergabe_moeglich": not benutzer.is_active,
    }
    return render_to_string("akten/uebergabe_abschnitt.html", kontext, request=request)


def _person_or_404(user, benutzer_uuid):
    """A person of the user's own Kommune (anyone else: 404); without the right to hand over
    their things: 403 (inside the own Kommune nothing is revealed by it)."""
    benutzer = get_object_or_404(
        kommunen_selectors.personen_der_eigenen_kommune(user), uuid=benutzer_uuid
    )
    pruefen(
        user,
        "akten.uebergeben",
        benutzer,
        meldung="Nur Kommunen-Admins übertragen Aufgaben ihrer Leute.",
    )
    return benutzer


@login_required
@require_POST
def benutzer_uebergeben(request, benutzer_uuid):
    benutzer = _person_or_404(request.user, benutzer_uuid)
    zurueck = redirect(
        "kommunen:benutzer_bearbeiten", slug=benutzer.kommune.slug, uuid=benutzer.uuid
    )
    was = "freigaben" if request.POST.get("was") == "freigaben" else "wiedervorlagen"
    form = UebergabeForm(request.POST, von=benutzer, akteur=request.user, prefix=was)
    if not form.is_valid():
        messages.error(request, "Bitte eine Kollegin oder einen Kollegen auswählen.")
        return zurueck
    an = form.cleaned_data["an"]
    try:
        if was == "freigaben":
            anzahl = uebergabe.freigaben_uebertragen(
                akteur=akteur_aus(request), von=benutzer, an=an
            )
            messages.success(
                request,
                ngettext(
                    "%(n)d Freigabe auf %(an)s übertragen.",
                    "%(n)d Freigaben auf %(an)s übertragen.",
                    anzahl,
                )
                % {"n": anzahl, "an": an.username},
            )
        else:
            anzahl, bleiben = uebergabe.wiedervorlagen_uebertragen(
                akteur=akteur_aus(request), von=benutzer, an=an
            )
            meldung = ngettext(
                "%(n)d Wiedervorlage an %(an)s übertragen.",
                "%(n)d Wiedervorlagen an %(an)s übertragen.",
                anzahl,
            ) % {"n": anzahl, "an": an.username}
            if bleiben:
                meldung += " " + ngettext(
                    "%(n)d blieb, weil %(an)s die Akte nicht sehen darf.",
                    "%(n)d blieben, weil %(an)s die Akte nicht sehen darf.",
                    bleiben,
                ) % {"n": bleiben, "an": an.username}
            messages.success(request, meldung)
    except ValidationError as fehler:
        messages.error(request, " ".join(fehler.messages))
    return zurueck
