"""Uploading files into a Vorgang (form and htmx, one file per request)."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from eakte.common.akteur import akteur_aus
from eakte.common.regeln import darf

from .. import selectors, services
from ..forms import (
    HochladenForm,
)
from ..models import Dokumenttyp
from ._hilfen import NUR_LESEN, _gesperrt, _vorgang_or_404

# --- upload ----------------------------------------------------------------------------------


@dataclass
class Hochladeergebnis:
    dateiname: str
    fehler: str = ""
    version: object = None
    doppelt: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.version is not None

    @property
    def hinweis(self) -> str:
        """ "The same content is already in this Akte as …" (stored anyway, as its own Dokument)."""
        if not self.doppelt:
            return ""
        orte = "; ".join(
            f"„{v.dateiname}“ (Dokument „{v.dokument.titel}“, Vorgang "
            f"{v.dokument.vorgang.vorgangszeichen})"
            for v in self.doppelt
        )
        return f"Dieselbe Datei liegt bereits als {orte} in der Akte."

    def als_dict(self) -> dict:
        if not self.ok:
            return {"ok": False, "dateiname": self.dateiname, "fehler": self.fehler}
        dokument = self.version.dokument
        return {
            "ok": True,
            "dateiname": self.dateiname,
            "titel": dokument.titel,
            "adresse": reverse("akten:dokument", kwargs={"dokument_uuid": dokument.uuid}),
            "hinweis": self.hinweis,
        }


def _datei_hochladen(request, vorgang, datei, typ) -> Hochladeergebnis:
    name = services.dateiname_bereinigen(getattr(datei, "name", "") or "")
    try:
        version = services.dokument_hochladen(
            akteur=akteur_aus(request), vorgang=vorgang, datei=datei, typ=typ
        )
    except ValidationError as fehler:
        return Hochladeergebnis(name, fehler=" ".join(fehler.messages))
    doppelt = list(
        selectors.gleicher_inhalt_in_akte(vorgang.akte, version.datei.sha256)
        .exclude(dokument=version.dokument)
        .select_related("dokument__vorgang")
        .order_by("hochgeladen_am")[:3]
    )
    return Hochladeergebnis(name, version=version, doppelt=doppelt)


def _typ(request) -> str:
    form = HochladenForm(request.POST)
    return form.cleaned_data["typ"] if form.is_valid() else Dokumenttyp.EINGANG


@login_required
@require_POST
def hochladen(request, vorgang_uuid):
    """Without JavaScript: all chosen files in one request, each stored or refused on its own."""
    vorgang = _vorgang_or_404(request.user, vorgang_uuid)
    if sperre := _gesperrt(request, vorgang.akte, vorgang):
        return sperre
    dateiliste = request.FILES.getlist("dateien")
    if not dateiliste:
        messages.error(request, "Bitte mindestens eine Datei auswählen.")
    typ = _typ(request)
    for datei in dateiliste:
        ergebnis = _datei_hochladen(request, vorgang, datei, typ)
        if ergebnis.ok:
            messages.success(request, f"„{ergebnis.dateiname}“ wurde gespeichert.")
            if ergebnis.hinweis:
                messages.warning(request, f"„{ergebnis.dateiname}“: {ergebnis.hinweis}")
        else:
            messages.error(request, f"„{ergebnis.dateiname}“: {ergebnis.fehler}")
    return redirect("akten:vorgang", vorgang_uuid=vorgang.uuid)


@login_required
@require_POST
def hochladen_datei(request, vorgang_uuid):
    """For static/js/hochladen.js: exactly one file per request, the result as JSON."""
    vorgang = _vorgang_or_404(request.user, vorgang_uuid)
    akte = vorgang.akte
    dateiliste = request.FILES.getlist("datei")
    name = services.dateiname_bereinigen(dateiliste[0].name) if dateiliste else ""
    if not darf(request.user, "akten.schreiben", akte):
        return JsonResponse({"ok": False, "dateiname": name, "fehler": NUR_LESEN}, status=403)
    if akte.ist_zda or vorgang.ist_zda:
        meldung = (
            services.ZDA_MELDUNG if akte.ist_zda else "Der Vorgang ist zu den Akten verfügt (zdA)."
        )
        return JsonResponse({"ok": False, "dateiname": name, "fehler": meldung}, status=400)
    if len(dateiliste) != 1:
        return JsonResponse(
            {"ok": False, "dateiname": name, "fehler": "Bitte genau eine Datei je Anfrage senden."},
            status=400,
        )
    ergebnis = _datei_hochladen(request, vorgang, dateiliste[0], _typ(request))
    return JsonResponse(ergebnis.als_dict(), status=200 if ergebnis.ok else 400)
