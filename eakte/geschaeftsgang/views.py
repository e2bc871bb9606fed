"""The pages of the Geschäftsgang: Postkorb (own and of an OE), one step with its act form,
starting a route on a Vorgang, templates, Vertretung, e-mail preference. Thin: selectors and
services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from eakte.akten import selectors as akten_selectors
from eakte.common.akteur import akteur_aus
from eakte.common.forms import fehler_ins_formular
from eakte.common.regeln import darf, pruefen
from eakte.kommunen.models import Benutzer

from . import selectors, services
from .forms import (
    BearbeitenForm,
    BenachrichtigungForm,
    StartForm,
    VerbundForm,
    VertretungForm,
    VorlageForm,
)
from .models import Benachrichtigung, Ergebnis, Schritt

JE_SEITE = 50


def _fehlertext(fehler: ValidationError) -> str:
    return " ".join(fehler.messages)


@login_required
def postkorb(request):
    user = request.user
    eintrag = Benachrichtigung.objects.filter(benutzer=user).first()
    seite = Paginator(selectors.postkorb_liste(user), JE_SEITE).get_page(request.GET.get("seite"))
    kontext = {
        "schritte": seite.object_list,
        "seite": seite,
        "oes": selectors.eigene_oes(user),
        "wiedervorlagen": selectors.wiedervorlagen_in_vertretung(user),
        "mail_form": BenachrichtigungForm(initial={"art": eintrag.art if eintrag else "sofort"}),
    }
    return render(request, "geschaeftsgang/postkorb.html", kontext)


@login_required
def postkorb_anzahl(request):
    """The count in the header (htmx polls it)."""
    return render(
        request,
        "geschaeftsgang/_anzahl.html",
        {"anzahl": selectors.postkorb_anzahl(request.user)},
    )


@login_required
def oe_postkorb(request, oe_uuid):
    oe = get_object_or_404(selectors.postkorb_oes_fuer(request.user), uuid=oe_uuid)
    pruefen(request.user, "geschaeftsgang.oe_postkorb_sehen", oe)
    seite = Paginator(selectors.oe_postkorb(oe), JE_SEITE).get_page(request.GET.get("seite"))
    kontext = {"oe": oe, "schritte": seite.object_list, "seite": seite}
    return render(request, "geschaeftsgang/oe_postkorb.html", kontext)


def _schritt_or_404(user, schritt_uuid) -> Schritt:
    return get_object_or_404(
        selectors.postkorb_liste(user).select_related("geschaeftsgang__gestartet_von"),
        uuid=schritt_uuid,
    )


@login_required
def schritt(request, schritt_uuid):
    user = request.user
    schritt = _schritt_or_404(user, schritt_uuid)
    gang = schritt.geschaeftsgang
    form = BearbeitenForm(request.POST or None, user=user, schritt=schritt)
    if request.method == "POST" and form.is_valid():
        daten = form.cleaned_data
        zurueck_an = None
        if daten.get("zurueck_an"):
            zurueck_an = gang.schritte.filter(uuid=daten["zurueck_an"]).first()
        weiter_an = None
        if daten["ergebnis"] == Ergebnis.WEITERGELEITET:
            weiter_an = services.SchrittAngabe(
                verfuegung=schritt.verfuegung,
                person=daten.get("weiter_person"),
                oe=daten.get("weiter_oe") if not daten.get("weiter_person") else None,
            )
        try:
            services.schritt_bearbeiten(
                akteur=akteur_aus(request),
                schritt=schritt,
                ergebnis=daten["ergebnis"],
                bemerkung=daten.get("bemerkung") or "",
                zurueck_an=zurueck_an,
                weiter_an=weiter_an,
                elektronisch_signieren=bool(daten.get("elektronisch_signieren")),
            )
        except ValidationError as fehler:
            fehler_ins_formular(form, fehler)
        else:
            messages.success(
                request,
                f"„{schritt.get_verfuegung_display()}“ zu „{gang.betreff}“: "
                f"{Ergebnis(daten['ergebnis']).label}.",
            )
            return redirect("geschaeftsgang:postkorb")
    kontext = {
        "schritt": schritt,
        "gang": gang,
        "gaenge": [
            g for g in selectors.geschaeftsgaenge_des_vorgangs(gang.vorgang) if g.pk == gang.pk
        ],
        "form": form,
        "darf_akte_lesen": darf(user, "akten.lesen", gang.akte),
    }
    return render(request, "geschaeftsgang/schritt.html", kontext)


@login_required
@require_POST
def schritt_uebernehmen(request, schritt_uuid):
    schritt = _schritt_or_404(request.user, schritt_uuid)
    try:
        services.schritt_uebernehmen(akteur=akteur_aus(request), schritt=schritt)
    except ValidationError as fehler:
        messages.error(request, _fehlertext(fehler))
        return redirect("geschaeftsgang:postkorb")
    messages.success(request, "Sie haben den Eintrag übernommen.")
    return redirect("geschaeftsgang:schritt", schritt_uuid=schritt.uuid)


DOKUMENTE_JE_SEITE = 20


@login_required
def starten(request, vorgang_uuid):
    """Its own page (a Vorgang may hold thousands of Dokumente): the Dokument to route is chosen
    from a filtered, paginated list; ?dokument=<uuid> (the Dokument page's link) preselects it."""
    user = request.user
    vorgang = get_object_or_404(
        akten_selectors.vorgaenge_fuer(user).select_related("akte__kommune"), uuid=vorgang_uuid
    )
    pruefen(user, "geschaeftsgang.starten", vorgang)
    zurueck = reverse("akten:vorgang", kwargs={"vorgang_uuid": vorgang.uuid})
    form = StartForm(
        request.POST or None,
        user=user,
        vorgang=vorgang,
        initial={"dokument": request.GET.get("dokument") or ""},
    )
    if request.method == "POST" and form.is_valid():
        daten = form.cleaned_data
        try:
            if daten.get("vorlage"):
                gang = services.geschaeftsgang_aus_vorlage_starten(
                    akteur=akteur_aus(request),
                    vorlage=daten["vorlage"],
                    vorgang=vorgang,
                    dokument=daten.get("dokument"),
                    betreff=daten.get("betreff") or "",
                )
            else:
                gang = services.geschaeftsgang_starten(
                    akteur=akteur_aus(request),
                    vorgang=vorgang,
                    dokument=daten.get("dokument"),
                    betreff=daten.get("betreff") or "",
                    schritte=form.schritte(),
                )
        except ValidationError as fehler:
            fehler_ins_formular(form, fehler)
        else:
            messages.success(request, f"Geschäftsgang „{gang.betreff}“ gestartet.")
            return redirect(zurueck + "#geschaeftsgang")
    suche = (request.GET.get("q") or "").strip()
    dokumente = selectors.dokumente_zum_starten(vorgang, suche)
    seite = Paginator(dokumente, DOKUMENTE_JE_SEITE).get_page(request.GET.get("seite"))
    kontext = {
        "vorgang": vorgang,
        "form": form,
        "suche": suche,
        "seite": seite,
        "gewaehlt": form.gewaehltes_dokument(),
    }
    return render(request, "geschaeftsgang/starten.html", kontext)


@login_required
@require_POST
def abbrechen(request, gang_uuid):
    gang = get_object_or_404(selectors.geschaeftsgaenge_fuer(request.user), uuid=gang_uuid)
    try:
        services.geschaeftsgang_abbrechen(
            akteur=akteur_aus(request), geschaeftsgang=gang, grund=request.POST.get("grund", "")
        )
    except ValidationError as fehler:
        messages.error(request, _fehlertext(fehler))
    else:
        messages.success(request, f"Geschäftsgang „{gang.betreff}“ abgebrochen.")
    return redirect(
        reverse("akten:vorgang", kwargs={"vorgang_uuid": gang.vorgang.uuid}) + "#geschaeftsgang"
    )


@login_required
def vorlagen(request):
    user = request.user
    darf_kommune = darf(user, "geschaeftsgang.vorlage_verwalten", None)
    darf_verbund = darf(user, "geschaeftsgang.verbund_vorlagen")
    form = None
    if darf_kommune or darf_verbund:
        form = VorlageForm(request.POST or None, user=user)
        if not darf_verbund:
            del form.fields["verbundweit"]
        elif not darf_kommune:
            form.fields["verbundweit"].initial = True
            form.fields["verbundweit"].disabled = True
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Vorlagen pflegen Kommunen-Admins und Digitallotsen.")
        if form.is_valid():
            try:
                vorlage = services.vorlage_anlegen(
                    akteur=akteur_aus(request),
                    name=form.cleaned_data["name"],
                    beschreibung=form.cleaned_data.get("beschreibung") or "",
                    verbundweit=bool(form.cleaned_data.get("verbundweit")) or not darf_kommune,
                    schritte=form.schritte(),
                )
            except ValidationError as fehler:
                fehler_ins_formular(form, fehler)
            else:
                messages.success(request, f"Vorlage „{vorlage.name}“ angelegt.")
                return redirect("geschaeftsgang:vorlagen")
    kontext = {"vorlagen": selectors.vorlagen_fuer(user), "form": form}
    return render(request, "geschaeftsgang/vorlagen.html", kontext)


@login_required
@require_POST
def vorlage_loeschen(request, vorlage_uuid):
    vorlage = get_object_or_404(selectors.vorlagen_fuer(request.user), uuid=vorlage_uuid)
    services.vorlage_deaktivieren(akteur=akteur_aus(request), vorlage=vorlage)
    messages.success(request, f"Vorlage „{vorlage.name}“ gelöscht.")
    return redirect("geschaeftsgang:vorlagen")


def _abwesende_waehlbar(user):
    if darf(user, "akten.alle_der_kommune_sehen"):
        return selectors.personen_der_kommune(user)
    return Benutzer.objects.filter(pk=user.pk).select_related("kommune")


@login_required
def vertretung(request):
    user = request.user
    form = VertretungForm(request.POST or None, user=user, abwesende=_abwesende_waehlbar(user))
    if request.method == "POST" and form.is_valid():
        daten = form.cleaned_data
        try:
            services.vertretung_setzen(
                akteur=akteur_aus(request),
                abwesend=daten["abwesend"],
                von=daten["von"],
                bis=daten["bis"],
                vertreter=form.vertreter(),
                grund=daten.get("grund") or "",
            )
        except ValidationError as fehler:
            fehler_ins_formular(form, fehler)
        else:
            messages.success(request, "Abwesenheit und Vertretung eingetragen.")
            return redirect("geschaeftsgang:vertretung")
    kontext = {
        "vertretungen": selectors.vertretungen_fuer(user),
        "form": form,
        "verbund_form": VerbundForm(
            initial={
                "vertretung_kommunenuebergreifend": selectors.vertretung_kommunenuebergreifend(
                    user.kommune.verbund_id
                )
            }
        )
        if darf(user, "geschaeftsgang.verbund_einstellen")
        else None,
    }
    return render(request, "geschaeftsgang/vertretung.html", kontext)


@login_required
@require_POST
def verbund_einstellen(request):
    pruefen(
        request.user,
        "geschaeftsgang.verbund_einstellen",
        meldung="Das stellt der Verbund-Admin ein.",
    )
    form = VerbundForm(request.POST)
    if form.is_valid():
        services.verbund_einstellen(
            akteur=akteur_aus(request),
            vertretung_kommunenuebergreifend=form.cleaned_data["vertretung_kommunenuebergreifend"],
        )
        messages.success(request, "Einstellung des Verbunds gespeichert.")
    return redirect("geschaeftsgang:vertretung")


@login_required
@require_POST
def vertretung_beenden(request, vertretung_uuid):
    eintrag = get_object_or_404(selectors.vertretungen_fuer(request.user), uuid=vertretung_uuid)
    services.vertretung_beenden(akteur=akteur_aus(request), vertretung=eintrag)
    messages.success(request, "Abwesenheit beendet.")
    return redirect("geschaeftsgang:vertretung")


@login_required
@require_POST
def benachrichtigung(request):
    form = BenachrichtigungForm(request.POST)
    if form.is_valid():
        services.benachrichtigung_einstellen(
            akteur=akteur_aus(request), art=form.cleaned_data["art"]
        )
        messages.success(request, "Ihre Einstellung für E-Mails ist gespeichert.")
    return redirect("geschaeftsgang:postkorb")
