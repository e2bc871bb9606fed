"""The Akte page: create, show, edit, zdA, reopen."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone

from eakte.protokoll.services import ip_aus_anfrage

from .. import selectors, services
from ..forms import (
    AkteBearbeitenForm,
    AkteForm,
    WiedereroeffnenForm,
    WiedervorlageForm,
)
from ._hilfen import (
    _akte_or_404,
    _formularseite,
    _gesperrt,
    _versuchen,
    _zur_akte,
)

# --- Akte ------------------------------------------------------------------------------------


@login_required
def akte_neu(request):
    form = AkteForm(request.POST or None, benutzer=request.user)
    if request.method == "POST" and form.is_valid():
        daten = form.cleaned_data
        akte = _versuchen(
            form,
            services.akte_anlegen,
            benutzer=request.user,
            aktenplaneinheit=daten["aktenplaneinheit"],
            betreff=daten["betreff"],
            federfuehrende_oe=daten["federfuehrende_oe"],
            aktenfuehrende_oe=daten["aktenfuehrende_oe"],
            vertraulichkeit=daten["vertraulichkeit"],
            ip=ip_aus_anfrage(request),
        )
        if akte:
            messages.success(request, f"Die Akte {akte.aktenzeichen} wurde angelegt.")
            return redirect("akten:detail", akte_uuid=akte.uuid)
    return render(request, "akten/akte_neu.html", {"form": form})


@login_required
def akte_detail(request, akte_uuid):
    user = request.user
    akte = _akte_or_404(user, akte_uuid)
    darf_schreiben = selectors.darf_schreiben(user, akte)
    darf_freigeben = selectors.darf_freigeben(user, akte)
    vorgaenge = list(
        akte.vorgaenge.annotate(anzahl_dokumente=Count("dokumente")).order_by("nummer")
    )
    je_vorgang = defaultdict(list)
    for dokument in selectors.dokumente_der_akte(akte):
        je_vorgang[dokument.vorgang_id].append(dokument)
    for vorgang in vorgaenge:
        vorgang.dokumente_liste = je_vorgang[vorgang.pk]
    context = {
        "akte": akte,
        "einheit": akte.aktenplaneinheit,
        "vorgaenge": vorgaenge,
        "darf_schreiben": darf_schreiben,
        "aenderbar": darf_schreiben and not akte.ist_zda,
        "darf_freigeben": darf_freigeben,
        "darf_wiedereroeffnen": akte.ist_zda and selectors.darf_wiedereroeffnen(user, akte),
        "freigaben": selectors.freigaben(akte) if darf_freigeben else [],
        "wiedervorlagen": list(selectors.wiedervorlagen_fuer(user).filter(akte=akte)),
        "wiedervorlage_form": WiedervorlageForm(akte=akte, auto_id="wv_%s"),
    }
    return render(request, "akten/akte.html", context)


@login_required
def akte_bearbeiten(request, akte_uuid):
    akte = _akte_or_404(request.user, akte_uuid)
    if sperre := _gesperrt(request, akte):
        return sperre
    form = AkteBearbeitenForm(request.POST or None, benutzer=request.user, akte=akte)
    if request.method == "POST" and form.is_valid():
        if _versuchen(
            form,
            services.akte_aendern,
            benutzer=request.user,
            akte=akte,
            ip=ip_aus_anfrage(request),
            **form.aenderungen(),
        ):
            messages.success(request, "Die Änderungen wurden gespeichert.")
            if selectors.akten_fuer(request.user).filter(pk=akte.pk).exists():
                return redirect("akten:detail", akte_uuid=akte.uuid)
            return redirect("akten:meine")
    return _formularseite(
        request,
        form,
        titel=f"Akte {akte.aktenzeichen} bearbeiten",
        knopf="Speichern",
        zurueck=_zur_akte(akte),
    )


@login_required
def akte_zda(request, akte_uuid):
    akte = _akte_or_404(request.user, akte_uuid)
    if sperre := _gesperrt(request, akte):
        return sperre
    if request.method == "POST":
        try:
            akte = services.akte_zda(benutzer=request.user, akte=akte, ip=ip_aus_anfrage(request))
        except ValidationError as fehler:
            messages.error(request, " ".join(fehler.messages))
        else:
            bis = akte.aufbewahrung_bis
            messages.success(
                request,
                "Die Akte ist zu den Akten verfügt (zdA)"
                + (f" und aufzubewahren bis {bis:%d.%m.%Y}." if bis else ", unbefristet."),
            )
        return redirect("akten:detail", akte_uuid=akte.uuid)
    bis = services.aufbewahrung_bis(akte, timezone.localdate())
    return render(
        request,
        "akten/bestaetigen.html",
        {
            "titel": f"Akte {akte.aktenzeichen} zu den Akten verfügen (zdA)",
            "text": [
                f"„{akte.betreff}“ wird abgeschlossen: danach kann niemand mehr Dokumente "
                "hochladen, ändern oder verschieben, und die Akte kann nicht mehr freigegeben "
                "werden. Nur Kommunen-Admins können sie wieder eröffnen.",
                "Die Aufbewahrungsfrist beginnt: aufzubewahren "
                + (f"bis {bis:%d.%m.%Y}." if bis else "unbefristet."),
            ],
            "knopf": "zdA verfügen",
            "zurueck": _zur_akte(akte),
        },
    )


@login_required
def akte_wiedereroeffnen(request, akte_uuid):
    akte = _akte_or_404(request.user, akte_uuid)
    if not selectors.darf_wiedereroeffnen(request.user, akte):
        raise PermissionDenied("Nur Kommunen-Admins können Akten wieder eröffnen.")
    if not akte.ist_zda:
        messages.info(request, "Die Akte ist offen.")
        return redirect("akten:detail", akte_uuid=akte.uuid)
    form = WiedereroeffnenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _versuchen(
            form,
            services.akte_wiedereroeffnen,
            benutzer=request.user,
            akte=akte,
            grund=form.cleaned_data["grund"],
            ip=ip_aus_anfrage(request),
        ):
            messages.success(request, "Die Akte ist wieder eröffnet.")
            return redirect("akten:detail", akte_uuid=akte.uuid)
    return _formularseite(
        request,
        form,
        titel=f"Akte {akte.aktenzeichen} wieder eröffnen",
        knopf="Wieder eröffnen",
        zurueck=_zur_akte(akte),
        hinweis="Die Aufbewahrungsfrist endet damit; sie beginnt bei der nächsten zdA neu.",
    )
