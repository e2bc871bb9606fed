"""Browser views of the Protokoll: for the Datenschutz role of a Kommune, about its own Kommune.

Everybody else gets 404 (the page does not exist for them). Every reading is itself logged.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from eakte.common.akteur import akteur_aus
from eakte.common.eingabe import fehlerhafte_anfrage

from . import export, selectors, services
from .filters import ProtokollFilter
from .models import Aktion
from .pruefung import kette_pruefen

PRO_SEITE = 50


def _nur_datenschutz(request) -> None:
    if not selectors.darf_protokoll_lesen(request.user):
        raise Http404


def _gefiltert(request) -> ProtokollFilter:
    return ProtokollFilter(request.GET or None, queryset=selectors.protokoll_fuer(request.user))


def _eintraege(filterset: ProtokollFilter):
    """The filtered entries; nothing at all while the filter form has errors."""
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs


@login_required
def liste(request):
    _nur_datenschutz(request)
    filterset = _gefiltert(request)
    eintraege = _eintraege(filterset)
    services.protokoll_gelesen(
        akteur=akteur_aus(request),
        aktion=Aktion.ANGESEHEN,
        beschreibung="Protokoll angesehen",
        details={"filter": filterset.werte()},
    )
    seite = Paginator(eintraege, PRO_SEITE).get_page(request.GET.get("seite"))
    abfrage = request.GET.copy()
    abfrage.pop("seite", None)
    return render(
        request,
        "protokoll/liste.html",
        {
            "form": filterset.form,
            "seite": seite,
            "abfrage": abfrage.urlencode(),
            "gefiltert": bool(filterset.werte()),
        },
    )


@login_required
def csv_export(request):
    _nur_datenschutz(request)
    filterset = _gefiltert(request)
    if filterset.is_bound and not filterset.is_valid():
        meldungen = [m for liste in filterset.form.errors.values() for m in liste]
        return fehlerhafte_anfrage(request, "Der Filter ist ungültig: " + " ".join(meldungen))
    eintraege = _eintraege(filterset)
    services.protokoll_gelesen(
        akteur=akteur_aus(request),
        aktion=Aktion.EXPORTIERT,
        beschreibung="Protokoll als CSV exportiert",
        details={"filter": filterset.werte()},
    )
    return export.antwort(eintraege, export.dateiname(request.user.kommune))


@login_required
def kette(request):
    _nur_datenschutz(request)
    anzahl, bruch = kette_pruefen(request.user.kommune_id)
    services.protokoll_gelesen(
        akteur=akteur_aus(request),
        aktion=Aktion.ANGESEHEN,
        beschreibung="Hash-Kette des Protokolls geprüft",
        details={
            "ergebnis": "in Ordnung" if bruch is None else f"gebrochen bei Nr. {bruch.laufnummer}"
        },
    )
    return render(
        request,
        "protokoll/kette.html",
        {"anzahl": anzahl, "bruch": bruch, "kommune": request.user.kommune},
    )
