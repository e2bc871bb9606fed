"""Browser views of the processing: live status (htmx), retry, archive version, recent uploads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from eakte.akten import auslieferung
from eakte.akten.models import Version
from eakte.common.akteur import akteur_aus
from eakte.common.regeln import darf

from . import selectors, services


def _version_or_404(user, version_uuid) -> Version:
    try:
        return selectors.version_mit_verarbeitung(user, version_uuid)
    except Version.DoesNotExist as fehler:
        raise Http404 from fehler


def _darf_wiederholen(user, version) -> bool:
    akte = version.dokument.akte
    return darf(user, "ocr.erneut_versuchen", version) and not akte.ist_zda


@login_required
def status(request, version_uuid):
    """The status cell; it asks again every two seconds while the file is being processed."""
    version = _version_or_404(request.user, version_uuid)
    return render(
        request,
        "ocr/_status.html",
        {
            "version": version,
            "darf_wiederholen": _darf_wiederholen(request.user, version),
            # in document lists (?liste=1): compact, with the thumbnail once it exists
            "liste": request.GET.get("liste") == "1",
        },
    )


@require_POST
@login_required
def erneut_versuchen(request, version_uuid):
    version = _version_or_404(request.user, version_uuid)
    try:
        services.erneut_versuchen(akteur=akteur_aus(request), version=version)
    except PermissionDenied:
        raise
    except ValidationError as fehler:
        messages.error(request, " ".join(fehler.messages))
    else:
        messages.success(request, "Die Datei wird erneut verarbeitet.")
    if request.htmx:
        return status(request, version_uuid)
    return redirect("akten:dokument", dokument_uuid=version.dokument.uuid)


@login_required
@auslieferung.seite_bei_fehlender_datei
def archiv(request, version_uuid):
    """The PDF/A archive version: permission, Protokoll, then the file."""
    version = _version_or_404(request.user, version_uuid)
    verarbeitung = getattr(version.datei, "verarbeitung", None)
    if verarbeitung is None or verarbeitung.archiv is None:
        raise Http404("Zu dieser Version gibt es (noch) keine Archivversion.")
    name = version.dateiname.rsplit(".", 1)[0] + " (PDF-A).pdf"
    return auslieferung.ausliefern(request, version, datei=verarbeitung.archiv, dateiname=name)


@login_required
@auslieferung.seite_bei_fehlender_datei
def vorschaubild(request, version_uuid):
    version = _version_or_404(request.user, version_uuid)
    verarbeitung = getattr(version.datei, "verarbeitung", None)
    if verarbeitung is None or verarbeitung.vorschaubild is None:
        raise Http404
    bild = auslieferung.datei_oeffnen(verarbeitung.vorschaubild)
    antwort = FileResponse(bild, content_type="image/png")
    antwort["Cache-Control"] = "private, max-age=3600"
    return antwort


@login_required
def meine(request):
    """ "Meine Hochladungen": the last week's uploads and what is still being processed."""
    versionen = list(selectors.meine_hochladungen(request.user)[:100])
    return render(
        request,
        "ocr/meine.html",
        {"versionen": versionen, "in_arbeit": selectors.noch_in_arbeit(versionen)},
    )
