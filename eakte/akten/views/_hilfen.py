"""Lookups and form helpers shared by the record pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from eakte.common.forms import fehler_ins_formular
from eakte.common.regeln import darf

from .. import selectors, services

NUR_LESEN = services.NUR_LESEN


# --- lookups ---------------------------------------------------------------------------------


def _akte_or_404(user, akte_uuid):
    return get_object_or_404(selectors.akte_mit_angaben(selectors.akten_fuer(user)), uuid=akte_uuid)


def _vorgang_or_404(user, vorgang_uuid):
    return get_object_or_404(
        selectors.vorgaenge_fuer(user).select_related("akte__aktenplaneinheit", "akte__kommune"),
        uuid=vorgang_uuid,
    )


def _dokument_or_404(user, dokument_uuid):
    return get_object_or_404(
        selectors.dokumente_fuer(user).select_related("akte__kommune", "vorgang", "angelegt_von"),
        uuid=dokument_uuid,
    )


def _gesperrt(request, akte, vorgang=None):
    """For pages that change something: 403 if read-only, back to the page (None if open)."""
    if not darf(request.user, "akten.schreiben", akte):
        raise PermissionDenied(NUR_LESEN)
    if akte.ist_zda:
        messages.error(request, services.ZDA_MELDUNG)
        return redirect("akten:detail", akte_uuid=akte.uuid)
    if vorgang is not None and vorgang.ist_zda:
        messages.error(request, "Der Vorgang ist zu den Akten verfügt (zdA).")
        return redirect("akten:vorgang", vorgang_uuid=vorgang.uuid)
    return None


def _versuchen(form, service, **kwargs):
    """Run a service; its German ValidationError ends up in the form. Returns the result or None."""
    try:
        return service(**kwargs)
    except ValidationError as fehler:
        fehler_ins_formular(form, fehler)
        return None


def _formularseite(request, form, *, titel, knopf, zurueck, hinweis="", dateien_=False):
    return render(
        request,
        "akten/formular.html",
        {
            "form": form,
            "titel": titel,
            "knopf": knopf,
            "zurueck": zurueck,
            "hinweis": hinweis,
            "mit_dateien": dateien_,
        },
    )


def _zur_akte(akte):
    return reverse("akten:detail", kwargs={"akte_uuid": akte.uuid})
