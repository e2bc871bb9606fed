"""The Dokument page: show, edit, move, new Version, download and preview."""

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from eakte.common.akteur import akteur_aus
from eakte.common.regeln import pruefen

from .. import auslieferung, selectors, services, signale
from ..forms import (
    DokumentForm,
    StornierenForm,
    VerschiebenForm,
    VersionForm,
)
from ..models import Dokument
from ._hilfen import _dokument_or_404, _formularseite, _gesperrt, _versuchen

VORSCHAU_TYPEN = auslieferung.VORSCHAU_TYPEN


# --- Dokument --------------------------------------------------------------------------------


@login_required
def dokument_detail(request, dokument_uuid):
    user = request.user
    dokument = _dokument_or_404(user, dokument_uuid)
    akte = dokument.akte
    versionen = list(
        dokument.versionen.select_related(
            "datei__verarbeitung", "hochgeladen_von", "dokument__akte"
        ).order_by("-nummer")
    )
    services.dokument_angesehen(akteur=akteur_aus(request), dokument=dokument)
    letzte = versionen[0] if versionen else None
    doppelt, anderswo, anderswo_verborgen = [], [], 0
    if letzte is not None:
        anderswo, anderswo_verborgen = selectors.gleicher_inhalt_anderswo(
            user, akte, letzte.datei.sha256
        )
        doppelt = list(
            selectors.gleicher_inhalt_in_akte(akte, letzte.datei.sha256)
            .exclude(dokument=dokument)
            .select_related("dokument__vorgang")[:3]
        )
    context = {
        **_betrachter(request, letzte),
        "dokument": dokument,
        "akte": akte,
        "vorgang": dokument.vorgang,
        "versionen": versionen,
        "letzte": letzte,
        "vorschau": letzte is not None and letzte.datei.mime_typ in VORSCHAU_TYPEN,
        "vorschau_typen": VORSCHAU_TYPEN,
        "doppelt": doppelt,
        "anderswo": anderswo,
        "anderswo_verborgen": anderswo_verborgen,
        # attachments lie in the mail's Akte: visible to whoever sees this Dokument
        "anlagen": list(dokument.anlagen.select_related("vorgang").order_by("pk")),
        "anlage_zu": dokument.anlage_zu,
        "version_form": VersionForm(),
        # sections of the apps built on the records (the signatures), see signale.py
        "abschnitte": [
            html
            for _, html in signale.dokument_seite.send(
                sender=Dokument, request=request, dokument=dokument, versionen=versionen
            )
            if html
        ],
    }
    return render(request, "akten/dokument.html", context)


def _betrachter(request, letzte) -> dict:
    """What the viewer shows: the searchable PDF/A rendition when there is one (the OCR app
    serves it with the permission check), else an original PDF; and, when the page was opened
    from a search result, the search words (`?q=`) and a page (`?seite=`) to show first."""
    verarbeitung = getattr(letzte.datei, "verarbeitung", None) if letzte else None
    pdf, archiv = "", False
    if verarbeitung is not None and verarbeitung.archiv_id:
        pdf = reverse("ocr:archiv", kwargs={"version_uuid": letzte.uuid})
        archiv = True
    elif letzte is not None and letzte.datei.mime_typ == "application/pdf":
        pdf = reverse("akten:version_vorschau", kwargs={"version_uuid": letzte.uuid})
    seite = request.GET.get("seite", "")
    return {
        "betrachter_pdf": pdf,
        "betrachter_archiv": archiv,
        "suche": request.GET.get("q", "")[:200],
        "seitennummer": int(seite) if seite.isdigit() and 0 < len(seite) < 6 else None,
    }


def _zum_dokument(dokument):
    return reverse("akten:dokument", kwargs={"dokument_uuid": dokument.uuid})


@login_required
def dokument_bearbeiten(request, dokument_uuid):
    dokument = _dokument_or_404(request.user, dokument_uuid)
    if sperre := _gesperrt(request, dokument.akte, dokument.vorgang):
        return sperre
    form = DokumentForm(request.POST or None, dokument=dokument)
    if request.method == "POST" and form.is_valid():
        if _versuchen(
            form,
            services.dokument_aendern,
            akteur=akteur_aus(request),
            dokument=dokument,
            **form.cleaned_data,
        ):
            messages.success(request, "Die Angaben wurden gespeichert.")
            return redirect("akten:dokument", dokument_uuid=dokument.uuid)
    return _formularseite(
        request,
        form,
        titel=f"Dokument „{dokument.titel}“ bearbeiten",
        knopf="Speichern",
        zurueck=_zum_dokument(dokument),
    )


@login_required
def dokument_stornieren(request, dokument_uuid):
    """Issue 16: a Dokument filed by mistake is storniert (with a reason), never deleted."""
    dokument = _dokument_or_404(request.user, dokument_uuid)
    pruefen(
        request.user,
        "akten.dokument_stornieren",
        dokument.akte,
        meldung="Stornieren darf nur die federführende Organisationseinheit der Akte.",
    )
    if sperre := _gesperrt(request, dokument.akte, dokument.vorgang):
        return sperre
    form = StornierenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _versuchen(
            form,
            services.dokument_stornieren,
            akteur=akteur_aus(request),
            dokument=dokument,
            grund=form.cleaned_data["grund"],
        ):
            messages.success(request, f"Das Dokument „{dokument.titel}“ ist storniert.")
            return redirect("akten:dokument", dokument_uuid=dokument.uuid)
    return _formularseite(
        request,
        form,
        titel=f"Dokument „{dokument.titel}“ stornieren",
        knopf="Stornieren",
        zurueck=_zum_dokument(dokument),
    )


@login_required
def dokument_verschieben(request, dokument_uuid):
    dokument = _dokument_or_404(request.user, dokument_uuid)
    if sperre := _gesperrt(request, dokument.akte, dokument.vorgang):
        return sperre
    form = VerschiebenForm(
        request.POST or None,
        ziele=selectors.verschiebeziele(request.user, dokument),
        akte=dokument.akte,
    )
    if request.method == "POST" and form.is_valid():
        ziel = form.cleaned_data["ziel"]
        if _versuchen(
            form,
            services.dokument_verschieben,
            akteur=akteur_aus(request),
            dokument=dokument,
            ziel=ziel,
        ):
            messages.success(
                request, f"Das Dokument liegt jetzt im Vorgang {ziel.vorgangszeichen}."
            )
            return redirect("akten:dokument", dokument_uuid=dokument.uuid)
    return _formularseite(
        request,
        form,
        titel=f"Dokument „{dokument.titel}“ verschieben",
        knopf="Verschieben",
        zurueck=_zum_dokument(dokument),
        hinweis=f"Liegt jetzt im Vorgang {dokument.vorgang.vorgangszeichen}.",
    )


@login_required
@require_POST
def version_neu(request, dokument_uuid):
    dokument = _dokument_or_404(request.user, dokument_uuid)
    if sperre := _gesperrt(request, dokument.akte, dokument.vorgang):
        return sperre
    form = VersionForm(request.POST, request.FILES)
    if not form.is_valid():
        for fehler in form.errors.values():
            messages.error(request, " ".join(fehler))
        return redirect("akten:dokument", dokument_uuid=dokument.uuid)
    try:
        version = services.version_hochladen(
            akteur=akteur_aus(request),
            dokument=dokument,
            datei=form.cleaned_data["datei"],
            kommentar=form.cleaned_data["kommentar"],
        )
    except ValidationError as fehler:
        messages.error(request, " ".join(fehler.messages))
    else:
        messages.success(request, f"Version {version.nummer} ({version.dateiname}) gespeichert.")
    return redirect("akten:dokument", dokument_uuid=dokument.uuid)


# --- download and preview --------------------------------------------------------------------


def _datei_senden(request, version_uuid, *, vorschau: bool):
    version = get_object_or_404(
        selectors.versionen_fuer(request.user).select_related("datei", "dokument__akte"),
        uuid=version_uuid,
    )
    return auslieferung.ausliefern(request, version, vorschau=vorschau)


@login_required
@auslieferung.seite_bei_fehlender_datei
def version_datei(request, version_uuid):
    return _datei_senden(request, version_uuid, vorschau=False)


@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
@login_required
@auslieferung.seite_bei_fehlender_datei
def version_vorschau(request, version_uuid):
    """Inline for PDFs and images, framed by our own pages only (the Dokument page)."""
    return _datei_senden(request, version_uuid, vorschau=True)
