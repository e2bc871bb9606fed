from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from eakte.common import probelauf
from eakte.common.akteur import akteur_aus
from eakte.common.forms import fehler_ins_formular

from . import austausch, selectors, services
from .forms import (
    AenderungsfilterForm,
    EinheitForm,
    ImportForm,
    NeueEinheitForm,
    StilllegenForm,
    VerschiebenForm,
)


def _aktenplan_or_404(user):
    aktenplan = selectors.aktueller_aktenplan(user)
    if aktenplan is None:
        raise Http404("Für Ihren Verbund gibt es noch keinen Aktenplan.")
    return aktenplan


def _einheit_or_404(user, einheit_uuid):
    return get_object_or_404(
        selectors.einheiten_fuer(user).select_related("aktenplan", "parent", "nachfolger"),
        uuid=einheit_uuid,
    )


def _nur_bearbeiter(user, aktenplan) -> None:
    if not selectors.darf_bearbeiten(user, aktenplan):
        raise PermissionDenied("Nur Digitallotsen und Verbund-Admins bearbeiten den Aktenplan.")


def _kennzeichen_or_error(aktenplan, kennzeichen, feld, form):
    if not kennzeichen:
        return None
    einheit = aktenplan.einheiten.filter(kennzeichen=kennzeichen.strip()).first()
    if einheit is None:
        form.add_error(feld, f"Die Einheit „{kennzeichen}“ gibt es im Aktenplan nicht.")
    return einheit


@login_required
def baum(request):
    aktenplan = _aktenplan_or_404(request.user)
    suchtext = request.GET.get("q", "").strip()
    context = {
        "aktenplan": aktenplan,
        "wurzeln": selectors.wurzeln(aktenplan),
        "suchtext": suchtext,
        "treffer": selectors.einheiten_suchen(aktenplan, suchtext) if suchtext else None,
        "darf_bearbeiten": selectors.darf_bearbeiten(request.user, aktenplan),
    }
    return render(request, "aktenplan/baum.html", context)


@login_required
def kinder(request, einheit_uuid):
    einheit = _einheit_or_404(request.user, einheit_uuid)
    return render(
        request,
        "aktenplan/_knoten.html",
        {"einheiten": selectors.kinder(einheit), "aktenplan": einheit.aktenplan},
    )


@login_required
def suche(request):
    """htmx: units matching the filter text, for the tree page and for choosing a unit."""
    aktenplan = _aktenplan_or_404(request.user)
    suchtext = request.GET.get("q", "")
    treffer = (
        selectors.einheiten_suchen(
            aktenplan, suchtext, nur_ablagefaehig=request.GET.get("ablagefaehig") == "1"
        )
        if suchtext.strip()
        else []
    )
    # auswahl=1: buttons that take a unit over into a form (creating an Akte) instead of links
    vorlage = "_treffer_auswahl" if request.GET.get("auswahl") == "1" else "_treffer"
    return render(
        request, f"aktenplan/{vorlage}.html", {"treffer": treffer, "suchtext": suchtext.strip()}
    )


@login_required
def einheit_detail(request, einheit_uuid):
    einheit = _einheit_or_404(request.user, einheit_uuid)
    context = {
        "einheit": einheit,
        "aktenplan": einheit.aktenplan,
        "vorfahren": selectors.vorfahren(einheit),
        "kinder": selectors.kinder(einheit),
        "historie": selectors.historie(einheit)[:50],
        "darf_bearbeiten": selectors.darf_bearbeiten(request.user, einheit.aktenplan),
    }
    return render(request, "aktenplan/einheit.html", context)


def _versuchen(form, service, **kwargs):
    """Run a service; its German ValidationError ends up in the form. Returns the result or None."""
    try:
        return service(**kwargs)
    except ValidationError as fehler:
        fehler_ins_formular(form, fehler)
        return None


def _formularseite(request, form, aktenplan, einheit, titel, knopf, hinweis=""):
    context = {
        "form": form,
        "aktenplan": aktenplan,
        "einheit": einheit,
        "titel": titel,
        "knopf": knopf,
        "hinweis": hinweis,
    }
    return render(request, "aktenplan/formular.html", context)


def _vorschlag_text(eltern: str | None, vorschlag: str | None) -> str:
    wo = f"unter {eltern}" if eltern else "auf der obersten Ebene"
    if vorschlag is None:
        return format_html("{} ist keine Nummer mehr frei. ", wo[0].upper() + wo[1:])
    return format_html("Nächstes freies Kennzeichen {}: <strong>{}</strong>. ", wo, vorschlag)


def _kennzeichen_hilfe(aktenplan, eltern: str | None, vorschlag: str | None) -> str:
    return format_html(
        '<span id="kennzeichen-vorschlag" aria-live="polite">{}</span>Nummernschema: {}.',
        _vorschlag_text(eltern, vorschlag),
        aktenplan.nummerierung.schema_text(),
    )


@login_required
def kennzeichen_vorschlag(request):
    """htmx: the next free Kennzeichen under the typed parent (moving a unit)."""
    aktenplan = _aktenplan_or_404(request.user)
    eltern = request.GET.get("neue_obereinheit", "").strip()[:100] or None
    if eltern and not aktenplan.einheiten.filter(kennzeichen=eltern).exists():
        return HttpResponse(format_html("Die Einheit „{}“ gibt es im Aktenplan nicht. ", eltern))
    return HttpResponse(_vorschlag_text(eltern, selectors.naechstes_kennzeichen(aktenplan, eltern)))


def _zur_einheit(request, einheit, meldung):
    messages.success(request, meldung)
    return redirect("aktenplan:einheit", einheit_uuid=einheit.uuid)


@login_required
def einheit_neu(request, einheit_uuid=None):
    parent = _einheit_or_404(request.user, einheit_uuid) if einheit_uuid else None
    aktenplan = parent.aktenplan if parent else _aktenplan_or_404(request.user)
    _nur_bearbeiter(request.user, aktenplan)
    eltern = parent.kennzeichen if parent else None
    vorschlag = selectors.naechstes_kennzeichen(aktenplan, eltern)
    form = NeueEinheitForm(request.POST or None, initial={"kennzeichen": vorschlag or ""})
    form.fields["kennzeichen"].help_text = _kennzeichen_hilfe(aktenplan, eltern, vorschlag)
    if request.method == "POST" and form.is_valid():
        einheit = _versuchen(
            form,
            services.einheit_anlegen,
            aktenplan=aktenplan,
            parent=parent,
            akteur=akteur_aus(request),
            **form.cleaned_data,
        )
        if einheit:
            return _zur_einheit(request, einheit, f"„{einheit}“ wurde angelegt.")
    titel = f"Neue Einheit unter {parent}" if parent else "Neue Einheit der obersten Ebene"
    return _formularseite(request, form, aktenplan, parent, titel, "Anlegen")


@login_required
def einheit_bearbeiten(request, einheit_uuid):
    einheit = _einheit_or_404(request.user, einheit_uuid)
    _nur_bearbeiter(request.user, einheit.aktenplan)
    form = EinheitForm.fuer(einheit, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _versuchen(
            form,
            services.einheit_aendern,
            einheit=einheit,
            akteur=akteur_aus(request),
            **form.cleaned_data,
        ):
            return _zur_einheit(request, einheit, "Die Änderungen wurden gespeichert.")
    return _formularseite(
        request, form, einheit.aktenplan, einheit, f"{einheit} bearbeiten", "Speichern"
    )


@login_required
def einheit_verschieben(request, einheit_uuid):
    einheit = _einheit_or_404(request.user, einheit_uuid)
    _nur_bearbeiter(request.user, einheit.aktenplan)
    form = VerschiebenForm(
        request.POST or None,
        initial={
            "neue_obereinheit": einheit.parent.kennzeichen if einheit.parent else "",
            "neues_kennzeichen": einheit.kennzeichen,
        },
    )
    eltern = einheit.parent.kennzeichen if einheit.parent else None
    form.fields["neues_kennzeichen"].help_text = _kennzeichen_hilfe(
        einheit.aktenplan, eltern, selectors.naechstes_kennzeichen(einheit.aktenplan, eltern)
    )
    if request.method == "POST" and form.is_valid():
        ziel = _kennzeichen_or_error(
            einheit.aktenplan, form.cleaned_data["neue_obereinheit"], "neue_obereinheit", form
        )
        if form.is_valid() and _versuchen(
            form,
            services.einheit_verschieben,
            einheit=einheit,
            neuer_parent=ziel,
            akteur=akteur_aus(request),
            neues_kennzeichen=form.cleaned_data["neues_kennzeichen"],
        ):
            return _zur_einheit(request, einheit, "Die Einheit wurde verschoben bzw. umnummeriert.")
    return _formularseite(
        request,
        form,
        einheit.aktenplan,
        einheit,
        f"{einheit} verschieben oder umnummerieren",
        "Verschieben",
        "Untereinheiten werden mit umnummeriert; zugeordnete Akten bleiben zugeordnet.",
    )


@login_required
def einheit_stilllegen(request, einheit_uuid):
    einheit = _einheit_or_404(request.user, einheit_uuid)
    _nur_bearbeiter(request.user, einheit.aktenplan)
    form = StilllegenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        nachfolger = _kennzeichen_or_error(
            einheit.aktenplan, form.cleaned_data["nachfolger"], "nachfolger", form
        )
        if form.is_valid() and _versuchen(
            form,
            services.einheit_stilllegen,
            einheit=einheit,
            akteur=akteur_aus(request),
            nachfolger=nachfolger,
        ):
            return _zur_einheit(request, einheit, f"„{einheit}“ wurde stillgelegt.")
    return _formularseite(
        request,
        form,
        einheit.aktenplan,
        einheit,
        f"{einheit} stilllegen",
        "Stilllegen",
        "Unter stillgelegten Einheiten werden keine neuen Akten angelegt; bestehende Akten "
        "bleiben unverändert. Untereinheiten werden mit stillgelegt.",
    )


@login_required
@require_POST
def einheit_aktivieren(request, einheit_uuid):
    einheit = _einheit_or_404(request.user, einheit_uuid)
    _nur_bearbeiter(request.user, einheit.aktenplan)
    try:
        services.einheit_reaktivieren(einheit=einheit, akteur=akteur_aus(request))
    except ValidationError as fehler:
        messages.error(request, " ".join(fehler.messages))
    else:
        messages.success(request, f"„{einheit}“ ist wieder aktiv.")
    return redirect("aktenplan:einheit", einheit_uuid=einheit.uuid)


@login_required
def aenderungen(request):
    aktenplan = _aktenplan_or_404(request.user)
    letzter_besuch = selectors.letzter_besuch(request.user, aktenplan)
    filter_form = AenderungsfilterForm(request.GET or None, benutzer=request.user)
    filter_daten = {}
    if filter_form.is_bound and filter_form.is_valid():
        filter_daten = {k: v for k, v in filter_form.cleaned_data.items() if v}
    seite = Paginator(
        selectors.aenderungen_gefiltert(aktenplan, **filter_daten), AENDERUNGEN_JE_SEITE
    ).get_page(request.GET.get("seite"))
    services.besuch_merken(aktenplan=aktenplan, benutzer=request.user)
    return render(
        request,
        "aktenplan/aenderungen.html",
        {
            "aktenplan": aktenplan,
            "eintraege": seite.object_list,
            "seite": seite,
            "filter_form": filter_form,
            "gefiltert": bool(filter_daten),
            "letzter_besuch": letzter_besuch,
        },
    )


AENDERUNGEN_JE_SEITE = 50


@login_required
def export(request, dateiformat):
    if dateiformat not in ("csv", "json"):
        raise Http404
    aktenplan = _aktenplan_or_404(request.user)
    inhalt = services.aktenplan_exportieren(aktenplan=aktenplan, format=dateiformat)
    typ = "text/csv; charset=utf-8" if dateiformat == "csv" else "application/json"
    antwort = HttpResponse(inhalt, content_type=typ)
    antwort["Content-Disposition"] = f'attachment; filename="aktenplan.{dateiformat}"'
    return antwort


IMPORT_SEITE = 100


@login_required
def import_hochladen(request):
    aktenplan = _aktenplan_or_404(request.user)
    _nur_bearbeiter(request.user, aktenplan)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        inhalt = form.cleaned_data["datei"].read()
        modus = form.cleaned_data["modus"]
        ergebnis = services.aktenplan_importieren(
            aktenplan=aktenplan,
            inhalt=inhalt,
            format=form.format,
            akteur=akteur_aus(request),
            probelauf=True,
            modus=modus,
        )
        if not ergebnis.ok:
            return _import_ergebnis(request, aktenplan, ergebnis, form.cleaned_data["datei"].name)
        schluessel = probelauf.vormerken(
            art="aktenplan",
            inhalt=inhalt,
            benutzer=request.user,
            bezug=aktenplan.pk,
            format=form.format,
            name=form.cleaned_data["datei"].name,
            modus=modus,
        )
        return redirect(f"{reverse('aktenplan:import_probelauf')}?schluessel={schluessel}")
    return render(request, "aktenplan/import.html", {"aktenplan": aktenplan, "form": form})


def _aenderungsliste(ergebnis) -> list[tuple[str, str, str]]:
    """Every change of a dry run as (kind, Kennzeichen, details), for one paginated table."""
    felder = austausch.FELDNAMEN
    return (
        [("neu", k, "") for k in ergebnis.neu]
        + [("geändert", k, ", ".join(felder.get(f, f) for f in f_)) for k, f_ in ergebnis.geaendert]
        + [("stillgelegt", k, "") for k in ergebnis.stillgelegt]
    )


def _import_ergebnis(request, aktenplan, ergebnis, dateiname, schluessel=None):
    seite = Paginator(_aenderungsliste(ergebnis), IMPORT_SEITE).get_page(request.GET.get("seite"))
    return render(
        request,
        "aktenplan/import_ergebnis.html",
        {
            "aktenplan": aktenplan,
            "ergebnis": ergebnis,
            "schluessel": schluessel,
            "dateiname": dateiname,
            "seite": seite,
            "ersetzen": ergebnis.modus == austausch.ERSETZEN,
            "modus_text": austausch.MODI[ergebnis.modus],
        },
    )


def _vorgemerkt_or_redirect(request, aktenplan, schluessel):
    vorgemerkt = probelauf.ansehen(
        art="aktenplan", schluessel=schluessel, benutzer=request.user, bezug=aktenplan.pk
    )
    if vorgemerkt is None:
        messages.error(request, "Der Probelauf ist abgelaufen. Bitte die Datei erneut hochladen.")
    return vorgemerkt


def _vorgemerkt_importieren(request, aktenplan, vorgemerkt, **weiteres):
    return services.aktenplan_importieren(
        aktenplan=aktenplan,
        inhalt=vorgemerkt["inhalt"],
        format=vorgemerkt["format"],
        akteur=akteur_aus(request),
        modus=vorgemerkt["modus"],
        **weiteres,
    )


@login_required
def import_probelauf(request):
    """The dry run of a kept file, with the complete list of changes in pages."""
    aktenplan = _aktenplan_or_404(request.user)
    _nur_bearbeiter(request.user, aktenplan)
    schluessel = request.GET.get("schluessel", "")
    vorgemerkt = _vorgemerkt_or_redirect(request, aktenplan, schluessel)
    if vorgemerkt is None:
        return redirect("aktenplan:import")
    ergebnis = _vorgemerkt_importieren(request, aktenplan, vorgemerkt, probelauf=True)
    return _import_ergebnis(request, aktenplan, ergebnis, vorgemerkt["name"], schluessel)


@login_required
@require_POST
def import_uebernehmen(request):
    aktenplan = _aktenplan_or_404(request.user)
    _nur_bearbeiter(request.user, aktenplan)
    schluessel = request.POST.get("schluessel", "")
    vorgemerkt = _vorgemerkt_or_redirect(request, aktenplan, schluessel)
    if vorgemerkt is None:
        return redirect("aktenplan:import")
    ergebnis = _vorgemerkt_importieren(
        request,
        aktenplan,
        vorgemerkt,
        probelauf=False,
        quelle=f"Import {vorgemerkt['name']}",
        bestaetigung=request.POST.get("bestaetigung", ""),
    )
    if not ergebnis.ok:
        if ergebnis.stillgelegt:
            # Only the typed confirmation was missing: back to the dry run, with the reason.
            messages.error(request, "; ".join(str(f) for f in ergebnis.fehler))
            return redirect(f"{reverse('aktenplan:import_probelauf')}?schluessel={schluessel}")
        return _import_ergebnis(request, aktenplan, ergebnis, vorgemerkt["name"])
    probelauf.abholen(
        art="aktenplan", schluessel=schluessel, benutzer=request.user, bezug=aktenplan.pk
    )
    messages.success(
        request,
        f"Import übernommen: {len(ergebnis.neu)} neu, {len(ergebnis.geaendert)} geändert, "
        f"{len(ergebnis.stillgelegt)} stillgelegt.",
    )
    return redirect("aktenplan:aenderungen")
