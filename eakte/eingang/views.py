"""Browser views of the Antragseingang: the Anträge (structured data, sending a Dokument back,
the delivery log with retry) and the routing rules. Thin: selectors and services decide."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from aktenplan import selectors as aktenplan_selectors
from eakte.akten.models import Dokument, Dokumenttyp
from eakte.common.akteur import akteur_aus
from eakte.common.forms import fehler_ins_formular
from eakte.common.regeln import darf
from eakte.geschaeftsgang import selectors as geschaeftsgang_selectors
from eakte.kommunen.models import Organisationseinheit

from . import selectors, services
from .forms import PlattformForm, PostfachForm, RegelForm, ZulassungForm, ZustellpunktForm
from .models import Antragsstatus


def _antrag_or_404(user, antrag_uuid):
    return get_object_or_404(selectors.antraege_fuer(user), uuid=antrag_uuid)


@login_required
def liste(request):
    antraege = list(selectors.antraege_fuer(request.user)[:200])
    return render(request, "eingang/liste.html", {"antraege": antraege})


def _daten_lesbar(antrag) -> str:
    if antrag.datenformat == "json":
        try:
            return json.dumps(json.loads(antrag.daten or "{}"), ensure_ascii=False, indent=2)
        except ValueError:
            return antrag.daten
    return antrag.daten


@login_required
def antrag(request, antrag_uuid):
    antrag_ = _antrag_or_404(request.user, antrag_uuid)
    dokumente = []
    if antrag_.vorgang_id:
        dokumente = list(
            Dokument.objects.filter(vorgang_id=antrag_.vorgang_id).order_by("angelegt_am", "id")
        )
    return render(
        request,
        "eingang/antrag.html",
        {
            "antrag": antrag_,
            # the label ("in Bearbeitung"), not the stored value
            "status": Antragsstatus(services.status_ermitteln(antrag_)).label,
            "daten": _daten_lesbar(antrag_),
            "dokumente": dokumente,
            "typ_eingang": Dokumenttyp.EINGANG,
            "darf_uebermitteln": darf(request.user, "eingang.uebermitteln", antrag_),
            "rueckmeldungen": list(
                selectors.rueckmeldungen_fuer(request.user).filter(antrag=antrag_)
            ),
        },
    )


@login_required
@require_POST
def uebermitteln(request, antrag_uuid, dokument_uuid):
    antrag_ = _antrag_or_404(request.user, antrag_uuid)
    dokument = get_object_or_404(
        Dokument.objects.filter(vorgang_id=antrag_.vorgang_id), uuid=dokument_uuid
    )
    try:
        services.dokument_uebermitteln(
            akteur=akteur_aus(request), antrag=antrag_, dokument=dokument
        )
    except (ValidationError, PermissionDenied) as fehler:
        messages.error(request, " ".join(getattr(fehler, "messages", [str(fehler)])))
    else:
        messages.success(request, f"„{dokument.titel}“ wird an den Antragsteller übermittelt.")
    return redirect("eingang:antrag", antrag_uuid=antrag_.uuid)


@login_required
@require_POST
def wiederholen(request, rueckmeldung_uuid):
    rueckmeldung = get_object_or_404(
        selectors.rueckmeldungen_fuer(request.user), uuid=rueckmeldung_uuid
    )
    try:
        services.rueckmeldung_wiederholen(akteur=akteur_aus(request), rueckmeldung=rueckmeldung)
    except (ValidationError, PermissionDenied) as fehler:
        messages.error(request, " ".join(getattr(fehler, "messages", [str(fehler)])))
    else:
        messages.success(request, "Die Rückmeldung wird erneut gesendet.")
    return redirect("eingang:antrag", antrag_uuid=rueckmeldung.antrag.uuid)


def _ins_formular(form, funktion, **kwargs):
    """Run a service for a bound form; its German refusal goes into the form (result None)."""
    try:
        return funktion(**kwargs)
    except (ValidationError, PermissionDenied) as fehler:
        if isinstance(fehler, PermissionDenied):
            fehler = ValidationError(str(fehler))
        fehler_ins_formular(form, fehler)
        return None


def _regelform(request, daten=None, instance=None):
    user = request.user
    return RegelForm(
        daten,
        instance=instance,
        einheiten=aktenplan_selectors.ablagefaehig(aktenplan_selectors.einheiten_fuer(user)),
        oes=Organisationseinheit.objects.filter(kommune_id=user.kommune_id, aktiv=True),
        vorlagen=geschaeftsgang_selectors.vorlagen_fuer(user),
        darf_vorgabe=darf(user, "eingang.regel_verwalten", user.kommune.verbund),
    )


@login_required
def regeln(request):
    user = request.user
    darf_kommune = darf(user, "eingang.regel_verwalten", user.kommune)
    darf_vorgabe = darf(user, "eingang.regel_verwalten", user.kommune.verbund)
    form = None
    if darf_kommune or darf_vorgabe:
        form = _regelform(request, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            daten = dict(form.cleaned_data)
            verbundweit = daten.pop("verbundweit", False) or not darf_kommune
            if _ins_formular(
                form,
                services.regel_speichern,
                akteur=akteur_aus(request),
                verbund=user.kommune.verbund,
                kommune=None if verbundweit else user.kommune,
                **daten,
            ):
                messages.success(request, "Die Regel wurde gespeichert.")
                return redirect("eingang:regeln")
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "eingang/regeln.html",
        {"regeln": list(selectors.regeln_fuer(user)), "form": form},
    )


@login_required
@require_POST
def regel_loeschen(request, regel_uuid):
    regel = get_object_or_404(selectors.regeln_fuer(request.user), uuid=regel_uuid)
    try:
        services.regel_loeschen(akteur=akteur_aus(request), regel=regel)
    except PermissionDenied as fehler:
        messages.error(request, str(fehler) or "Diese Regel dürfen Sie nicht löschen.")
    else:
        messages.success(request, "Die Regel wurde gelöscht.")
    return redirect("eingang:regeln")


@login_required
def kanaele(request):
    user = request.user
    if not darf(user, "eingang.zulassung_erteilen", user.kommune):
        raise Http404
    form = ZulassungForm(
        request.POST if request.method == "POST" else None,
        plattformen=selectors.plattformen_im_verbund(user),
        kommune_id=user.kommune_id,
    )
    if request.method == "POST" and form.is_valid():
        if _ins_formular(
            form,
            services.zulassung_erteilen,
            akteur=akteur_aus(request),
            kommune=user.kommune,
            **form.cleaned_data,
        ):
            messages.success(request, "Die Zulassung wurde gespeichert.")
            return redirect("eingang:kanaele")
    return render(
        request, "eingang/kanaele.html", {**selectors.kanaele_fuer(user), "zulassung_form": form}
    )


@login_required
@require_POST
def zulassung_entziehen(request, zulassung_uuid):
    zulassung = get_object_or_404(selectors.zulassungen_fuer(request.user), uuid=zulassung_uuid)
    services.zulassung_entziehen(akteur=akteur_aus(request), zulassung=zulassung)
    messages.success(request, f"{zulassung.plattform.name} darf keine Anträge mehr zustellen.")
    return redirect("eingang:kanaele")


def _postfach_speichern(request, form, postfach=None):
    if postfach is None:
        return _ins_formular(
            form,
            services.postfach_anlegen,
            akteur=akteur_aus(request),
            kommune=request.user.kommune,
            **form.cleaned_data,
        )
    return _ins_formular(
        form,
        services.postfach_aendern,
        akteur=akteur_aus(request),
        postfach=postfach,
        **form.cleaned_data,
    )


@login_required
def postfach(request, postfach_uuid=None):
    """Create (no uuid) or change a functional mailbox of the own Kommune."""
    if not darf(request.user, "eingang.postfach_verwalten", request.user.kommune):
        raise Http404
    vorhanden = None
    if postfach_uuid is not None:
        vorhanden = get_object_or_404(selectors.postfaecher_fuer(request.user), uuid=postfach_uuid)
    form = PostfachForm(
        request.POST if request.method == "POST" else None,
        instance=vorhanden,
        kommune_id=request.user.kommune_id,
    )
    if request.method == "POST" and form.is_valid():
        if _postfach_speichern(request, form, vorhanden) is not None:
            messages.success(request, "Das Funktionspostfach wurde gespeichert.")
            return redirect("eingang:kanaele")
    return render(request, "eingang/postfach.html", {"form": form, "postfach": vorhanden})


@login_required
@require_POST
def postfach_deaktivieren(request, postfach_uuid):
    vorhanden = get_object_or_404(selectors.postfaecher_fuer(request.user), uuid=postfach_uuid)
    services.postfach_deaktivieren(akteur=akteur_aus(request), postfach=vorhanden)
    messages.success(request, f"Das Funktionspostfach {vorhanden.name} wird nicht mehr abgerufen.")
    return redirect("eingang:kanaele")


@login_required
def zustellpunkt(request, zustellpunkt_uuid=None):
    """Create (no uuid) or change a FIT-Connect destination of the own Kommune."""
    user = request.user
    if not darf(user, "eingang.zustellpunkt_verwalten", user.kommune):
        raise Http404
    vorhanden = None
    if zustellpunkt_uuid is not None:
        vorhanden = get_object_or_404(selectors.zustellpunkte_fuer(user), uuid=zustellpunkt_uuid)
    form = ZustellpunktForm(
        request.POST if request.method == "POST" else None,
        instance=vorhanden,
        plattformen=selectors.plattformen_im_verbund(user).filter(
            pk__in=selectors.zulassungen_fuer(user).values("plattform_id")
        ),
    )
    if request.method == "POST" and form.is_valid():
        daten = {"akteur": akteur_aus(request), **form.cleaned_data}
        if vorhanden is None:
            ergebnis = _ins_formular(
                form, services.zustellpunkt_anlegen, kommune=user.kommune, **daten
            )
        else:
            ergebnis = _ins_formular(
                form, services.zustellpunkt_aendern, zustellpunkt=vorhanden, **daten
            )
        if ergebnis is not None:
            messages.success(request, "Der FIT-Connect-Zustellpunkt wurde gespeichert.")
            return redirect("eingang:kanaele")
    antwort = render(
        request, "eingang/zustellpunkt.html", {"form": form, "zustellpunkt": vorhanden}
    )
    antwort["Cache-Control"] = "no-store"
    return antwort


@login_required
@require_POST
def zustellpunkt_deaktivieren(request, zustellpunkt_uuid):
    punkt = get_object_or_404(selectors.zustellpunkte_fuer(request.user), uuid=zustellpunkt_uuid)
    services.zustellpunkt_deaktivieren(akteur=akteur_aus(request), zustellpunkt=punkt)
    messages.success(request, f"Der Zustellpunkt {punkt.destination_id} wird nicht mehr abgerufen.")
    return redirect("eingang:kanaele")


@login_required
def plattformen(request):
    """The Verbund's platforms (Verbund-Admin): register one — its secret is shown exactly once,
    on the answer to the POST, and never again."""
    user = request.user
    if not darf(user, "eingang.plattform_verwalten", user.kommune.verbund):
        raise Http404
    form = PlattformForm(request.POST if request.method == "POST" else None)
    neu = None
    if request.method == "POST" and form.is_valid():
        ergebnis = _ins_formular(
            form,
            services.plattform_registrieren,
            akteur=akteur_aus(request),
            verbund=user.kommune.verbund,
            **form.cleaned_data,
        )
        if ergebnis is not None:
            neu, form = {"plattform": ergebnis[0], "geheimnis": ergebnis[1]}, PlattformForm()
    antwort = render(
        request,
        "eingang/plattformen.html",
        {"plattformen": selectors.plattformen_fuer(user), "form": form, "neu": neu},
    )
    antwort["Cache-Control"] = "no-store"
    return antwort


@login_required
@require_POST
def plattform_deaktivieren(request, plattform_uuid):
    plattform = get_object_or_404(selectors.plattformen_fuer(request.user), uuid=plattform_uuid)
    services.plattform_deaktivieren(akteur=akteur_aus(request), plattform=plattform)
    messages.success(request, f"Die Plattform {plattform.name} kann nichts mehr zustellen.")
    return redirect("eingang:plattformen")
