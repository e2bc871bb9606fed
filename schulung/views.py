import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import darstellung, selectors, services
from .forms import DokumentForm, EntwurfForm, VeroeffentlichenForm
from .models import Fassungsstatus


def _dokument_or_404(user, dokument_uuid):
    return get_object_or_404(selectors.dokumente_for(user), uuid=dokument_uuid)


def _nur_redaktion(user):
    if not selectors.ist_redaktion(user):
        raise PermissionDenied("Nur die Schulungsredaktion bearbeitet Dienstanweisungen.")


@login_required
def liste(request):
    dokumente = selectors.dokumente_for(request.user).prefetch_related("fassungen")
    offen = {f.dokument_id for f in selectors.zu_bestaetigen(request.user)}
    return render(
        request,
        "schulung/liste.html",
        {
            "dokumente": dokumente.order_by("art", "titel"),
            "offen": offen,
            "redaktion": selectors.ist_redaktion(request.user),
        },
    )


@login_required
def neu(request):
    _nur_redaktion(request.user)
    form = DokumentForm(request.POST or None, verbund=request.user.kommune.verbund)
    if request.method == "POST" and form.is_valid():
        try:
            dokument = services.dokument_create(benutzer=request.user, **form.cleaned_data)
        except ValidationError as fehler:
            form.add_error(None, fehler.messages)
        else:
            messages.success(request, "Der Entwurf wurde angelegt.")
            return redirect("schulung:dokument", dokument_uuid=dokument.uuid)
    return render(request, "schulung/formular.html", {"form": form, "titel": "Neues Dokument"})


@login_required
def dokument(request, dokument_uuid, nummer=None):
    dok = _dokument_or_404(request.user, dokument_uuid)
    fassungen = list(selectors.sichtbare_fassungen(request.user, dok))
    if nummer is None:
        fassung = selectors.gueltige_fassung(dok) or (fassungen[0] if fassungen else None)
    else:
        fassung = next((f for f in fassungen if f.nummer == nummer), None)
    if fassung is None:
        raise PermissionDenied
    vorgaenger = next((f for f in fassungen if f.nummer < fassung.nummer), None)
    return render(
        request,
        "schulung/dokument.html",
        {
            "dokument": dok,
            "fassung": fassung,
            "fassungen": fassungen,
            "bestaetigt": selectors.hat_bestaetigt(request.user, fassung),
            "muss_bestaetigen": any(
                f.pk == fassung.pk for f in selectors.zu_bestaetigen(request.user)
            ),
            "redaktion": selectors.ist_redaktion(request.user),
            "entwurf": next((f for f in fassungen if f.status == Fassungsstatus.ENTWURF), None),
            "unterschiede": darstellung.unterschiede(vorgaenger.text, fassung.text)
            if vorgaenger
            else None,
            "vorgaenger": vorgaenger,
            "veroeffentlichen": VeroeffentlichenForm(),
        },
    )


@login_required
def entwurf(request, dokument_uuid):
    _nur_redaktion(request.user)
    dok = _dokument_or_404(request.user, dokument_uuid)
    aktuell = dok.fassungen.order_by("-nummer").first()
    form = EntwurfForm(request.POST or None, initial={"text": aktuell.text if aktuell else ""})
    if request.method == "POST" and form.is_valid():
        services.entwurf_speichern(
            benutzer=request.user, dokument=dok, text=form.cleaned_data["text"]
        )
        messages.success(request, "Der Entwurf wurde gespeichert.")
        return redirect("schulung:dokument", dokument_uuid=dok.uuid)
    return render(
        request, "schulung/formular.html", {"form": form, "titel": f"{dok.titel}: Entwurf"}
    )


@login_required
@require_POST
def veroeffentlichen(request, dokument_uuid):
    _nur_redaktion(request.user)
    dok = _dokument_or_404(request.user, dokument_uuid)
    form = VeroeffentlichenForm(request.POST)
    if form.is_valid():
        try:
            fassung = services.entwurf_veroeffentlichen(
                benutzer=request.user, dokument=dok, gueltig_ab=form.cleaned_data["gueltig_ab"]
            )
        except ValidationError as fehler:
            messages.error(request, " ".join(fehler.messages))
        else:
            messages.success(request, f"Fassung {fassung.nummer} ist veröffentlicht.")
    return redirect("schulung:dokument", dokument_uuid=dok.uuid)


@login_required
@require_POST
def bestaetigen(request, dokument_uuid):
    dok = _dokument_or_404(request.user, dokument_uuid)
    fassung = selectors.gueltige_fassung(dok)
    if fassung is None:
        raise PermissionDenied
    services.kenntnis_nehmen(benutzer=request.user, fassung=fassung)
    messages.success(request, f"Sie haben die Kenntnisnahme von „{dok.titel}“ bestätigt.")
    return redirect("schulung:dokument", dokument_uuid=dok.uuid)


@login_required
def abschluss(request, dokument_uuid, dateiformat="html"):
    dok = _dokument_or_404(request.user, dokument_uuid)
    fassung = selectors.gueltige_fassung(dok)
    if fassung is None or not (
        selectors.ist_redaktion(request.user)
        or request.user.hat_rolle(selectors.Rolle.KOMMUNEN_ADMIN)
    ):
        raise PermissionDenied("Den Stand der Kenntnisnahme sehen Schulung und Kommunen-Admins.")
    zeilen = selectors.abschluss(request.user, fassung)
    if dateiformat == "csv":
        antwort = HttpResponse(content_type="text/csv; charset=utf-8")
        antwort["Content-Disposition"] = 'attachment; filename="kenntnisnahme.csv"'
        antwort.write("\ufeff")
        schreiber = csv.writer(antwort, delimiter=";")
        schreiber.writerow(["Kommune", "Name", "Benutzername", "OE", "bestätigt am"])
        for z in zeilen:
            schreiber.writerow(
                [
                    z.kommune.name,
                    z.person.get_full_name(),
                    z.person.username,
                    z.oes,
                    z.bestaetigt_am.strftime("%d.%m.%Y %H:%M") if z.bestaetigt_am else "",
                ]
            )
        return antwort
    return render(
        request,
        "schulung/abschluss.html",
        {
            "dokument": dok,
            "fassung": fassung,
            "zeilen": zeilen,
            "anzahl_bestaetigt": sum(1 for z in zeilen if z.bestaetigt_am),
        },
    )
