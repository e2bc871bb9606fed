"""Wiedervorlagen on an Akte."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from eakte.common.akteur import akteur_aus

from .. import selectors, services
from ..forms import (
    WiedervorlageForm,
)
from ._hilfen import _akte_or_404, _formularseite, _versuchen, _zur_akte

# --- Wiedervorlagen --------------------------------------------------------------------------


@login_required
def wiedervorlage(request, akte_uuid):
    akte = _akte_or_404(request.user, akte_uuid)
    form = WiedervorlageForm(request.POST or None, akte=akte)
    if request.method == "POST" and form.is_valid():
        if _versuchen(
            form,
            services.wiedervorlage_setzen,
            akteur=akteur_aus(request),
            akte=akte,
            datum=form.cleaned_data["datum"],
            notiz=form.cleaned_data["notiz"],
            vorgang=form.cleaned_data["vorgang"],
        ):
            datum = form.cleaned_data["datum"]
            messages.success(request, f"Wiedervorlage zum {datum:%d.%m.%Y} gesetzt.")
            return redirect("akten:detail", akte_uuid=akte.uuid)
    return _formularseite(
        request,
        form,
        titel=f"Wiedervorlage für {akte.aktenzeichen}",
        knopf="Wiedervorlage setzen",
        zurueck=_zur_akte(akte),
    )


@login_required
@require_POST
def wiedervorlage_erledigt(request, wiedervorlage_uuid):
    eintrag = get_object_or_404(
        selectors.wiedervorlagen_fuer(request.user), uuid=wiedervorlage_uuid
    )
    services.wiedervorlage_erledigen(akteur=akteur_aus(request), wiedervorlage=eintrag)
    messages.success(
        request, f"Wiedervorlage {eintrag.akte.aktenzeichen} vom {eintrag.datum:%d.%m.%Y} erledigt."
    )
    weiter = request.POST.get("weiter", "")
    if url_has_allowed_host_and_scheme(
        weiter, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(weiter)
    return redirect("start:startseite")
