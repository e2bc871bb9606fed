"""The Akte page: create, show, edit, zdA, reopen."""

from collections import defaultdict
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone

from eakte.common.akteur import akteur_aus
from eakte.common.regeln import pruefen

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
            akteur=akteur_aus(request),
            aktenplaneinheit=daten["aktenplaneinheit"],
            betreff=daten["betreff"],
            federfuehrende_oe=daten["federfuehrende_oe"],
            aktenfuehrende_oe=daten["aktenfuehrende_oe"],
            vertraulichkeit=daten["vertraulichkeit"],
        )
        if akte:
            messages.success(request, f"Die Akte {akte.aktenzeichen} wurde angelegt.")
            return redirect("akten:detail", akte_uuid=akte.uuid)
    return render(request, "akten/akte_neu.html", {"form": form})


@login_required
def akte_detail(request, akte_uuid):
    user = request.user
    akte = _akte_or_404(user, akte_uuid)
    stornierte = request.GET.get("stornierte") == "1"
    zaehlen = None if stornierte else Q(dokumente__storniert_am__isnull=True)
    vorgaenge = list(
        akte.vorgaenge.annotate(anzahl_dokumente=Count("dokumente", filter=zaehlen)).order_by(
            "nummer"
        )
    )
    je_vorgang = defaultdict(list)
    for dokument in selectors.dokumente_der_akte(akte, stornierte=stornierte):
        je_vorgang[dokument.vorgang_id].append(dokument)
    for vorgang in vorgaenge:
        vorgang.dokumente_liste = je_vorgang[vorgang.pk]
    context = {
        "akte": akte,
        "einheit": akte.aktenplaneinheit,
        "vorgaenge": vorgaenge,
        "stornierte": stornierte,
        # what the person may do is asked in the template ({% test_rule %}); the shares are read
        # only where the template shows them (akten.freigaben_sehen): a callable is called there
        "freigaben": partial(selectors.freigaben, akte),
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
            akteur=akteur_aus(request),
            akte=akte,
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
            akte = services.akte_zda(akteur=akteur_aus(request), akte=akte)
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
            "listen": _zda_betroffen(akte),
        },
    )


def _zda_betroffen(akte) -> list[dict]:
    """What the zdA affects, for the confirmation: open Wiedervorlagen and shares."""
    wiedervorlagen = [
        f"{wv.datum:%d.%m.%Y} für {wv.benutzer}"
        + (f" (Vorgang {wv.vorgang.vorgangszeichen})" if wv.vorgang else "")
        for wv in selectors.offene_wiedervorlagen_der_akte(akte)
    ]
    freigaben = [
        f"{e['benutzer']} ({e['benutzer'].kommune}): "
        + ("lesen und bearbeiten" if e["schreiben"] else "nur lesen")
        for e in selectors.freigaben(akte)
    ] + [
        f"Organisationseinheit {e['oe'].name} ({e['oe'].kommune}): "
        + ("lesen und bearbeiten" if e["schreiben"] else "nur lesen")
        for e in selectors.oe_freigaben(akte)
    ]
    listen = []
    if wiedervorlagen:
        listen.append(
            {
                "titel": f"Offene Wiedervorlagen ({len(wiedervorlagen)})",
                "hinweis": "Sie bleiben bestehen und erinnern weiter; erledigen Sie sie, wenn "
                "sie mit dem Abschluss hinfällig werden.",
                "eintraege": wiedervorlagen,
            }
        )
    if freigaben:
        listen.append(
            {
                "titel": f"Freigaben ({len(freigaben)})",
                "hinweis": "Freigegebene Personen und OEs können die Akte weiter lesen, aber "
                "nichts mehr ändern.",
                "eintraege": freigaben,
            }
        )
    return listen


@login_required
def akte_wiedereroeffnen(request, akte_uuid):
    akte = _akte_or_404(request.user, akte_uuid)
    pruefen(
        request.user,
        "akten.wiedereroeffnen",
        akte,
        meldung="Nur Kommunen-Admins können Akten wieder eröffnen.",
    )
    if not akte.ist_zda:
        messages.info(request, "Die Akte ist offen.")
        return redirect("akten:detail", akte_uuid=akte.uuid)
    form = WiedereroeffnenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _versuchen(
            form,
            services.akte_wiedereroeffnen,
            akteur=akteur_aus(request),
            akte=akte,
            grund=form.cleaned_data["grund"],
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
