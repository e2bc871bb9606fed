"""Sharing an Akte with people and OEs of the Verbund."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from eakte.common.akteur import akteur_aus
from eakte.common.forms import fehler_ins_formular
from eakte.common.regeln import pruefen

from .. import selectors, services
from ..forms import (
    FreigabeForm,
    OeFreigabeForm,
)
from ._hilfen import _akte_or_404

# --- Freigaben -------------------------------------------------------------------------------


def _nur_freigebende(user, akte, regel="akten.freigeben"):
    pruefen(user, regel, akte, meldung=services.NUR_FEDERFUEHRUNG)


@login_required
def freigaben(request, akte_uuid):
    """Share with a person (form `person`) or with a whole OE (form `oe`) of the Verbund."""
    akte = _akte_or_404(request.user, akte_uuid)
    _nur_freigebende(request.user, akte, "akten.freigaben_sehen")
    if request.method == "POST":
        _nur_freigebende(request.user, akte)
    if request.method == "POST" and akte.ist_zda:
        messages.error(request, services.ZDA_MELDUNG)
        return redirect("akten:freigaben", akte_uuid=akte.uuid)
    art = request.POST.get("art", "person") if request.method == "POST" else None
    form = FreigabeForm(request.POST if art == "person" else None, benutzer=request.user)
    oe_form = OeFreigabeForm(
        request.POST if art == "oe" else None, benutzer=request.user, prefix="oe"
    )
    gebunden = form if art == "person" else oe_form if art == "oe" else None
    if gebunden is not None and gebunden.is_valid():
        if erledigt := _freigabe_speichern(request, akte, gebunden, art):
            messages.success(request, erledigt)
            return redirect("akten:freigaben", akte_uuid=akte.uuid)
    return render(
        request,
        "akten/freigaben.html",
        {
            "akte": akte,
            "form": form,
            "oe_form": oe_form,
            "freigaben": selectors.freigaben(akte),
            "oe_freigaben": selectors.oe_freigaben(akte),
        },
    )


def _freigabe_speichern(request, akte, form, art) -> str | None:
    """Run the sharing service; its error goes into the form. Returns the success message."""
    schreiben = form.cleaned_data["recht"] == "schreiben"
    if art == "person":
        person = form.cleaned_data["benutzername"]
        service, ziel = services.akte_freigeben, {"empfaenger": person}
        name = f"{person} ({person.kommune.name})"
    else:
        oe = form.cleaned_data["oe"]
        service, ziel = services.akte_fuer_oe_freigeben, {"oe": oe}
        name = f"die Organisationseinheit {oe.name} ({oe.kommune.name})"
    try:
        service(
            akteur=akteur_aus(request),
            akte=akte,
            schreiben=schreiben,
            **ziel,
        )
    except ValidationError as fehler:
        fehler_ins_formular(form, fehler)
        return None
    recht = "lesen und bearbeiten" if schreiben else "nur lesen"
    return f"Die Akte ist für {name} freigegeben: {recht}."


@login_required
@require_POST
def freigabe_entziehen(request, akte_uuid, benutzer_uuid):
    akte = _akte_or_404(request.user, akte_uuid)
    _nur_freigebende(request.user, akte)
    eintrag = next(
        (e for e in selectors.freigaben(akte) if e["benutzer"].uuid == benutzer_uuid), None
    )
    if eintrag is None:
        raise Http404("Diese Freigabe gibt es nicht.")
    services.freigabe_entziehen(
        akteur=akteur_aus(request), akte=akte, empfaenger=eintrag["benutzer"]
    )
    messages.success(request, f"Die Freigabe für {eintrag['benutzer']} ist entzogen.")
    return redirect("akten:freigaben", akte_uuid=akte.uuid)


@login_required
@require_POST
def oe_freigabe_entziehen(request, akte_uuid, oe_uuid):
    akte = _akte_or_404(request.user, akte_uuid)
    _nur_freigebende(request.user, akte)
    eintrag = next((e for e in selectors.oe_freigaben(akte) if e["oe"].uuid == oe_uuid), None)
    if eintrag is None:
        raise Http404("Diese Freigabe gibt es nicht.")
    services.oe_freigabe_entziehen(akteur=akteur_aus(request), akte=akte, oe=eintrag["oe"])
    messages.success(request, f"Die Freigabe für {eintrag['oe'].name} ist entzogen.")
    return redirect("akten:freigaben", akte_uuid=akte.uuid)
