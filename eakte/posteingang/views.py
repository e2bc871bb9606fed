"""Browser views of the Posteingang and the cover sheets. Thin: selectors and services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from eakte.akten import auslieferung
from eakte.common.akteur import akteur_aus
from eakte.common.forms import fehler_ins_formular

from . import selectors, services
from .forms import VerwerfenForm, ZuordnenForm
from .models import Status

MAX_ZIELE = 50


def _eintrag_or_404(user, eintrag_uuid):
    return get_object_or_404(
        selectors.eintraege_fuer(user).select_related(
            "datei__verarbeitung", "zugeordnet_zu__dokument"
        ),
        uuid=eintrag_uuid,
    )


@login_required
def liste(request):
    eintraege = list(selectors.offene_eintraege_fuer(request.user)[:200])
    return render(request, "posteingang/liste.html", {"eintraege": eintraege})


@login_required
def eintrag(request, eintrag_uuid):
    """The item, and filing it into a Vorgang (search by Aktenzeichen/Betreff, then choose)."""
    eintrag_ = _eintrag_or_404(request.user, eintrag_uuid)
    suchtext = request.GET.get("q", "")[:200]
    alle_ziele = selectors.zuordnungsziele(request.user, eintrag_)
    if request.method == "POST" and eintrag_.status != Status.OFFEN:
        messages.error(request, f"Dieser Eintrag ist bereits {eintrag_.get_status_display()}.")
        return redirect("posteingang:eintrag", eintrag_uuid=eintrag_.uuid)
    if request.method == "POST":
        form = ZuordnenForm(request.POST, ziele=alle_ziele)
        if form.is_valid():
            try:
                version = services.eintrag_zuordnen(
                    akteur=akteur_aus(request),
                    eintrag=eintrag_,
                    vorgang=form.cleaned_data["vorgang"],
                    titel=form.cleaned_data["titel"],
                )
            except ValidationError as fehler:
                fehler_ins_formular(form, fehler)
            else:
                messages.success(
                    request,
                    f"„{eintrag_.dateiname}“ wurde in {version.dokument.vorgang.vorgangszeichen} "
                    "abgelegt.",
                )
                return redirect("posteingang:liste")
        ziele = list(alle_ziele[:MAX_ZIELE])
    else:
        ziele = list(selectors.zuordnungsziele(request.user, eintrag_, suchtext)[: MAX_ZIELE + 1])
        form = ZuordnenForm(ziele=alle_ziele)
    form.fields["vorgang"].queryset = alle_ziele.filter(pk__in=[z.pk for z in ziele[:MAX_ZIELE]])
    return render(
        request,
        "posteingang/eintrag.html",
        {
            "eintrag": eintrag_,
            "form": form,
            "verwerfen_form": VerwerfenForm(),
            "suchtext": suchtext,
            "ziele_gekuerzt": len(ziele) > MAX_ZIELE,
            "offen": eintrag_.status == Status.OFFEN,
        },
    )


@require_POST
@login_required
def verwerfen(request, eintrag_uuid):
    eintrag_ = _eintrag_or_404(request.user, eintrag_uuid)
    form = VerwerfenForm(request.POST)
    if form.is_valid():
        try:
            services.eintrag_verwerfen(
                akteur=akteur_aus(request),
                eintrag=eintrag_,
                grund=form.cleaned_data["grund"],
            )
        except ValidationError as fehler:
            messages.error(request, " ".join(fehler.messages))
        else:
            messages.success(request, f"„{eintrag_.dateiname}“ wurde verworfen.")
            return redirect("posteingang:liste")
    else:
        messages.error(request, "Bitte einen Grund für das Verwerfen angeben.")
    return redirect("posteingang:eintrag", eintrag_uuid=eintrag_.uuid)


@login_required
def status(request, eintrag_uuid):
    """The processing state of the item (htmx asks again while it is being processed)."""
    eintrag_ = _eintrag_or_404(request.user, eintrag_uuid)
    return render(request, "posteingang/_status.html", {"eintrag": eintrag_})


@login_required
@auslieferung.seite_bei_fehlender_datei
def vorschaubild(request, eintrag_uuid):
    eintrag_ = _eintrag_or_404(request.user, eintrag_uuid)
    verarbeitung = getattr(eintrag_.datei, "verarbeitung", None)
    if verarbeitung is None or verarbeitung.vorschaubild_id is None:
        raise Http404
    bild = auslieferung.datei_oeffnen(verarbeitung.vorschaubild)
    antwort = FileResponse(bild, content_type="image/png")
    antwort["Cache-Control"] = "private, max-age=3600"
    return antwort


@login_required
@auslieferung.seite_bei_fehlender_datei
def original(request, eintrag_uuid):
    """The file as it came from the scanner: opened, Protokoll, then sent."""
    eintrag_ = _eintrag_or_404(request.user, eintrag_uuid)
    return auslieferung.datei_senden(
        eintrag_.datei,
        eintrag_.dateiname,
        False,
        lambda: services.original_abgerufen(akteur=akteur_aus(request), eintrag=eintrag_),
    )


def _pdf_antwort(blatt, pdf: bytes, zeichen: str) -> HttpResponse:
    antwort = HttpResponse(pdf, content_type="application/pdf")
    name = f"Deckblatt {zeichen}.pdf".replace("/", "-")
    antwort["Content-Disposition"] = content_disposition_header(True, name)
    antwort["Cache-Control"] = "private, no-store"
    return antwort


@require_POST
@login_required
def deckblatt_akte(request, akte_uuid):
    akte = get_object_or_404(
        selectors.akten_fuer_deckblatt(request.user).select_related("kommune"), uuid=akte_uuid
    )
    blatt, pdf = services.deckblatt_erstellen(akteur=akteur_aus(request), akte=akte)
    return _pdf_antwort(blatt, pdf, akte.aktenzeichen)


@require_POST
@login_required
def deckblatt_vorgang(request, vorgang_uuid):
    vorgang = get_object_or_404(
        selectors.vorgaenge_fuer_deckblatt(request.user).select_related("akte__kommune"),
        uuid=vorgang_uuid,
    )
    blatt, pdf = services.deckblatt_erstellen(
        akteur=akteur_aus(request), akte=vorgang.akte, vorgang=vorgang
    )
    return _pdf_antwort(blatt, pdf, vorgang.vorgangszeichen)
