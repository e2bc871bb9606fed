"""The Vorgang page: create, show (Dokumente page by page), zdA."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext

from eakte.common.akteur import akteur_aus

from .. import auslieferung, selectors, services, signale
from ..forms import (
    HochladenForm,
    SammelVerschiebenForm,
    VorgangForm,
)
from ..models import Vorgang
from ._hilfen import _akte_or_404, _formularseite, _gesperrt, _versuchen, _vorgang_or_404, _zur_akte

DOKUMENTE_JE_SEITE = 50


# --- Vorgang ---------------------------------------------------------------------------------


@login_required
def vorgang_neu(request, akte_uuid):
    akte = _akte_or_404(request.user, akte_uuid)
    if sperre := _gesperrt(request, akte):
        return sperre
    form = VorgangForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        vorgang = _versuchen(
            form,
            services.vorgang_anlegen,
            akteur=akteur_aus(request),
            akte=akte,
            betreff=form.cleaned_data["betreff"],
        )
        if vorgang:
            messages.success(request, f"Vorgang {vorgang.vorgangszeichen} angelegt.")
            return redirect("akten:vorgang", vorgang_uuid=vorgang.uuid)
    return _formularseite(
        request,
        form,
        titel=f"Neuer Vorgang in {akte.aktenzeichen}",
        knopf="Vorgang anlegen",
        zurueck=_zur_akte(akte),
    )


@login_required
def vorgang_detail(request, vorgang_uuid):
    vorgang = _vorgang_or_404(request.user, vorgang_uuid)
    akte = vorgang.akte
    stornierte = request.GET.get("stornierte") == "1"
    dokumente = selectors.ohne_stornierte(vorgang.dokumente.all(), stornierte)
    seite = Paginator(
        selectors.dokumente_mit_letzter_version(dokumente.order_by("-angelegt_am", "-id")),
        DOKUMENTE_JE_SEITE,
    ).get_page(request.GET.get("seite"))
    context = {
        "vorgang": vorgang,
        "akte": akte,
        "dokumente": seite.object_list,
        "seite": seite,
        "stornierte": stornierte,
        "form": HochladenForm(),
        "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
        "max_bytes": settings.UPLOAD_MAX_BYTES,
        "max_dateien": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
        # sections of the apps built on the records (the Geschäftsgang), see signale.py
        "abschnitte": [
            html
            for _, html in signale.vorgang_seite.send(
                sender=Vorgang, request=request, vorgang=vorgang
            )
            if html
        ],
    }
    return render(request, "akten/vorgang.html", context)


@login_required
def vorgang_zda(request, vorgang_uuid):
    vorgang = _vorgang_or_404(request.user, vorgang_uuid)
    if sperre := _gesperrt(request, vorgang.akte, vorgang):
        return sperre
    if request.method == "POST":
        try:
            services.vorgang_zda(akteur=akteur_aus(request), vorgang=vorgang)
        except ValidationError as fehler:
            messages.error(request, " ".join(fehler.messages))
        else:
            messages.success(
                request, f"Vorgang {vorgang.vorgangszeichen} ist zu den Akten verfügt."
            )
        return redirect("akten:vorgang", vorgang_uuid=vorgang.uuid)
    return render(
        request,
        "akten/bestaetigen.html",
        {
            "titel": f"Vorgang {vorgang.vorgangszeichen} zu den Akten verfügen (zdA)",
            "text": [
                f"„{vorgang.betreff}“ wird abgeschlossen: danach kann niemand mehr Dokumente "
                "in diesen Vorgang hochladen, ändern oder verschieben. Die Akte bleibt offen."
            ],
            "knopf": "zdA verfügen",
            "zurueck": reverse("akten:vorgang", kwargs={"vorgang_uuid": vorgang.uuid}),
        },
    )


@login_required
@auslieferung.seite_bei_fehlender_datei
def vorgang_zip(request, vorgang_uuid):
    """The newest Version of several (?dokumente=<uuid>…) or all Dokumente as one ZIP."""
    vorgang = _vorgang_or_404(request.user, vorgang_uuid)
    gewaehlt = request.GET.getlist("dokumente")
    versionen = selectors.neueste_versionen(vorgang, gewaehlt)
    if not versionen or (request.GET.get("auswahl") and not gewaehlt):
        messages.error(request, "Bitte mindestens ein Dokument auswählen.")
        return redirect("akten:vorgang", vorgang_uuid=vorgang.uuid)
    if len(versionen) > auslieferung.ZIP_MAX_DOKUMENTE:
        messages.error(
            request,
            f"Höchstens {auslieferung.ZIP_MAX_DOKUMENTE} Dokumente auf einmal; bitte weniger "
            "auswählen.",
        )
        return redirect("akten:vorgang", vorgang_uuid=vorgang.uuid)
    return auslieferung.zip_ausliefern(request, versionen, f"{vorgang.vorgangszeichen}.zip")


@login_required
def vorgang_verschieben(request, vorgang_uuid):
    """Several Dokumente of the Vorgang (checkboxes on its page) into another Vorgang."""
    vorgang = _vorgang_or_404(request.user, vorgang_uuid)
    if sperre := _gesperrt(request, vorgang.akte, vorgang):
        return sperre
    form = SammelVerschiebenForm(
        request.POST or None,
        initial={"dokumente": request.GET.getlist("dokumente")},
        ziele=selectors.verschiebeziele_aus(request.user, vorgang),
        akte=vorgang.akte,
        quelle=vorgang,
    )
    if request.method == "POST" and form.is_valid():
        ziel = form.cleaned_data["ziel"]
        anzahl = _versuchen(
            form,
            services.dokumente_verschieben,
            akteur=akteur_aus(request),
            dokumente=list(form.cleaned_data["dokumente"]),
            ziel=ziel,
        )
        if anzahl:
            messages.success(
                request,
                ngettext(
                    "%(n)d Dokument liegt jetzt im Vorgang %(ziel)s.",
                    "%(n)d Dokumente liegen jetzt im Vorgang %(ziel)s.",
                    anzahl,
                )
                % {"n": anzahl, "ziel": ziel.vorgangszeichen},
            )
            return redirect("akten:vorgang", vorgang_uuid=vorgang.uuid)
    return _formularseite(
        request,
        form,
        titel=f"Dokumente aus {vorgang.vorgangszeichen} verschieben",
        knopf="Verschieben",
        zurueck=reverse("akten:vorgang", kwargs={"vorgang_uuid": vorgang.uuid}),
        hinweis="Alle ausgewählten Dokumente werden gemeinsam verschoben – oder keines.",
    )
