import uuid as uuid_modul

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from eakte.common import probelauf
from eakte.common.akteur import akteur_aus
from eakte.common.forms import fehler_ins_formular
from eakte.common.regeln import darf, pruefen, regel_noetig

from . import personenwahl, selectors, services, signale
from .forms import (
    BenutzerForm,
    BenutzerImportForm,
    KommuneAufnehmenForm,
    NeuerBenutzerForm,
    OrganisationseinheitForm,
    ZusammenlegenForm,
)
from .models import Benutzer
from .rollen import NUR_VERBUND_ADMIN_AENDERT
from .services import aufnahme, benutzerimport


def _kommune_or_404(user, slug):
    return get_object_or_404(selectors.kommunen_uebersicht(user), slug=slug)


@login_required
def personen_suche(request):
    """The person picker's type-ahead (JSON): people the user may pick whose name, login name,
    OE or Kommune contain every typed word."""
    bereich = request.GET.get("bereich", "verbund")
    if bereich not in selectors.PERSONEN_BEREICHE:
        bereich = "verbund"
    suchtext = request.GET.get("q", "")[:100]
    personen = selectors.personen_suchen(
        selectors.personen_waehlbar_fuer(request.user, bereich), suchtext
    )
    return JsonResponse({"personen": [personenwahl.als_daten(p) for p in personen]})


@login_required
def kommune_liste(request):
    kommunen = selectors.kommunen_uebersicht(request.user).order_by("name")
    darf_aufnehmen = darf(request.user, "kommunen.verbund_verwalten")
    return render(
        request, "kommunen/liste.html", {"kommunen": kommunen, "darf_aufnehmen": darf_aufnehmen}
    )


@login_required
def kommune_detail(request, slug):
    kommune = _kommune_or_404(request.user, slug)
    context = {
        "kommune": kommune,
        "baum": selectors.oe_baum(viewer=request.user, kommune=kommune),
        "darf_benutzer_sehen": darf(request.user, "kommunen.kommune_verwalten", kommune),
        "darf_verwalten": darf(request.user, "kommunen.kommune_verwalten", kommune),
    }
    return render(request, "kommunen/detail.html", context)


@login_required
def benutzer_liste(request, slug):
    kommune = _kommune_or_404(request.user, slug)
    pruefen(
        request.user,
        "kommunen.kommune_verwalten",
        kommune,
        meldung="Nur Kommunen-Admins sehen die Benutzerliste.",
    )
    seite = Paginator(selectors.benutzer_liste(viewer=request.user, kommune=kommune), 50).get_page(
        request.GET.get("seite")
    )
    return render(
        request,
        "kommunen/benutzer_liste.html",
        {
            "kommune": kommune,
            "seite": seite,
            # people with a Verbund-wide role are changed by a Verbund-Admin only
            "aendert_verbundweite": darf(request.user, "kommunen.verbund_verwalten"),
        },
    )


@login_required
def oe_detail(request, slug, uuid):
    kommune = _kommune_or_404(request.user, slug)
    oe = get_object_or_404(
        selectors.organisationseinheiten_fuer(request.user).select_related("parent"),
        kommune=kommune,
        uuid=uuid,
    )
    context = {
        "kommune": kommune,
        "oe": oe,
        "darf_verwalten": darf(request.user, "kommunen.kommune_verwalten", kommune),
        "untereinheiten": oe.untereinheiten.order_by("name"),
        "mitglieder": selectors.benutzer_fuer(request.user)
        .filter(organisationseinheiten=oe, is_active=True)
        .order_by("last_name", "first_name"),
    }
    return render(request, "kommunen/oe_detail.html", context)


# --- user administration (Kommunen-Admins, Verbund-Admins) ----------------------------------


def _verwaltbare_kommune(user, slug):
    kommune = _kommune_or_404(user, slug)
    pruefen(
        user,
        "kommunen.kommune_verwalten",
        kommune,
        meldung="Nur Kommunen-Admins verwalten Benutzer.",
    )
    return kommune


def _benutzer_or_404(user, kommune, uuid):
    return get_object_or_404(
        selectors.benutzer_fuer(user).filter(kommune=kommune).select_related("kommune"), uuid=uuid
    )


def _bearbeitbar(user, benutzer) -> None:
    pruefen(
        user,
        "kommunen.benutzer_bearbeiten",
        benutzer,
        meldung=NUR_VERBUND_ADMIN_AENDERT,
    )


@login_required
def benutzer_neu(request, slug):
    kommune = _verwaltbare_kommune(request.user, slug)
    form = NeuerBenutzerForm(
        request.POST or None, kommune=kommune, rollen=selectors.vergebbare_rollen(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            benutzer = services.benutzer_anlegen(
                akteur=akteur_aus(request),
                kommune=kommune,
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                rollen=form.cleaned_data["rollen"],
                organisationseinheiten=form.cleaned_data["organisationseinheiten"],
            )
        except ValidationError as fehler:
            fehler_ins_formular(form, fehler)
        else:
            messages.success(request, f"{benutzer.username} wurde angelegt.")
            return redirect("kommunen:benutzer_bearbeiten", slug=slug, uuid=benutzer.uuid)
    return render(
        request,
        "kommunen/benutzer_formular.html",
        {
            "kommune": kommune,
            "form": form,
            "titel": "Neue Person anlegen",
        },
    )


@login_required
def benutzer_bearbeiten(request, slug, uuid):
    kommune = _verwaltbare_kommune(request.user, slug)
    benutzer = _benutzer_or_404(request.user, kommune, uuid)
    _bearbeitbar(request.user, benutzer)
    vergebbar = selectors.vergebbare_rollen(request.user)
    form = BenutzerForm.fuer(
        benutzer,
        data=request.POST or None,
        kommune=kommune,
        rollen=vergebbar,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.benutzer_aendern(
                akteur=akteur_aus(request), benutzer=benutzer, **form.cleaned_data
            )
        except ValidationError as fehler:
            fehler_ins_formular(form, fehler)
        else:
            messages.success(request, "Die Änderungen wurden gespeichert.")
            return redirect("kommunen:benutzer_bearbeiten", slug=slug, uuid=benutzer.uuid)
    return render(
        request,
        "kommunen/benutzer_formular.html",
        {
            "kommune": kommune,
            "form": form,
            "person": benutzer,
            "titel": f"{benutzer} ({benutzer.username})",
            "abschnitte": _abschnitte(request, benutzer),
        },
    )


def _abschnitte(request, benutzer) -> list[str]:
    """Sections the apps above add to a person's page (e.g. akten: the handover)."""
    antworten = signale.benutzer_seite.send(sender=Benutzer, request=request, benutzer=benutzer)
    return [html for _, html in antworten if html]


@login_required
@require_POST
def benutzer_status(request, slug, uuid):
    kommune = _verwaltbare_kommune(request.user, slug)
    benutzer = _benutzer_or_404(request.user, kommune, uuid)
    _bearbeitbar(request.user, benutzer)
    try:
        if request.POST.get("aktion") == "aktivieren":
            services.benutzer_reaktivieren(akteur=akteur_aus(request), benutzer=benutzer)
            messages.success(request, f"{benutzer.username} kann sich wieder anmelden.")
        else:
            services.benutzer_deaktivieren(akteur=akteur_aus(request), benutzer=benutzer)
            messages.success(request, f"{benutzer.username} wurde deaktiviert.")
    except ValidationError as fehler:
        messages.error(request, " ".join(fehler.messages))
    return redirect("kommunen:benutzer_bearbeiten", slug=slug, uuid=benutzer.uuid)


@login_required
@require_POST
def benutzer_passwort_link(request, slug, uuid):
    kommune = _verwaltbare_kommune(request.user, slug)
    benutzer = _benutzer_or_404(request.user, kommune, uuid)
    _bearbeitbar(request.user, benutzer)
    try:
        services.passwort_link_anfordern(
            akteur=akteur_aus(request), benutzer=benutzer, basis_url=request.build_absolute_uri("/")
        )
    except ValidationError as fehler:
        messages.error(request, " ".join(fehler.messages))
    else:
        messages.success(request, f"Ein Link zum Festlegen des Passworts geht an {benutzer.email}.")
    return redirect("kommunen:benutzer_bearbeiten", slug=slug, uuid=benutzer.uuid)


@login_required
def benutzer_import(request, slug):
    kommune = _verwaltbare_kommune(request.user, slug)
    form = BenutzerImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        inhalt = form.cleaned_data["datei"].read()
        ergebnis = benutzerimport.benutzer_importieren(
            akteur=akteur_aus(request), kommune=kommune, inhalt=inhalt, probelauf=True
        )
        schluessel = None
        if ergebnis.ok:
            schluessel = probelauf.vormerken(
                art="benutzer", inhalt=inhalt, benutzer=request.user, bezug=kommune.pk
            )
        return render(
            request,
            "kommunen/benutzer_import_ergebnis.html",
            {
                "kommune": kommune,
                "ergebnis": ergebnis,
                "schluessel": schluessel,
            },
        )
    return render(request, "kommunen/benutzer_import.html", {"kommune": kommune, "form": form})


@login_required
@require_POST
def benutzer_import_uebernehmen(request, slug):
    kommune = _verwaltbare_kommune(request.user, slug)
    vorgemerkt = probelauf.abholen(
        art="benutzer",
        schluessel=request.POST.get("schluessel", ""),
        benutzer=request.user,
        bezug=kommune.pk,
    )
    if vorgemerkt is None:
        messages.error(request, "Der Probelauf ist abgelaufen. Bitte die Datei erneut hochladen.")
        return redirect("kommunen:benutzer_import", slug=slug)
    ergebnis = benutzerimport.benutzer_importieren(
        akteur=akteur_aus(request), kommune=kommune, inhalt=vorgemerkt["inhalt"], probelauf=False
    )
    if not ergebnis.ok:
        return render(
            request,
            "kommunen/benutzer_import_ergebnis.html",
            {
                "kommune": kommune,
                "ergebnis": ergebnis,
            },
        )
    messages.success(
        request,
        ngettext(
            "%(n)d Person wurde angelegt.", "%(n)d Personen wurden angelegt.", len(ergebnis.neu)
        )
        % {"n": len(ergebnis.neu)},
    )
    if request.POST.get("einladen"):
        neue = selectors.benutzer_fuer(request.user).filter(
            kommune=kommune, username__in=ergebnis.neu
        )
        _einladen(request, neue)
    return redirect("kommunen:benutzer", slug=slug)


def _einladen(request, personen) -> None:
    """Send invitations and say what happened (also who could not be invited, and why)."""
    try:
        ergebnis = services.einladungen_senden(
            akteur=akteur_aus(request),
            personen=personen,
            basis_url=request.build_absolute_uri("/"),
        )
    except PermissionDenied as fehler:
        messages.error(request, str(fehler))
        return
    n = len(ergebnis.gesendet)
    if n:
        messages.success(
            request,
            ngettext(
                "Eine Einladung wurde an %(n)d Person gesendet.",
                "Einladungen wurden an %(n)d Personen gesendet.",
                n,
            )
            % {"n": n},
        )
    if ergebnis.ohne_email:
        namen = ", ".join(p.username for p in ergebnis.ohne_email[:20])
        messages.warning(
            request,
            f"Ohne E-Mail-Adresse, daher nicht eingeladen: {namen}"
            + (" …" if len(ergebnis.ohne_email) > 20 else "")
            + ". Bitte die Adresse ergänzen.",
        )
    if ergebnis.inaktiv:
        messages.warning(
            request,
            "Deaktivierte Personen werden nicht eingeladen: "
            + ", ".join(p.username for p in ergebnis.inaktiv[:20])
            + ".",
        )
    if not (n or ergebnis.ohne_email or ergebnis.inaktiv):
        messages.info(request, "Es war niemand zum Einladen ausgewählt.")


@login_required
@require_POST
def benutzer_einladen(request, slug):
    """Invite (again) the chosen people of the list, or everyone whose invitation is open."""
    kommune = _verwaltbare_kommune(request.user, slug)
    personen = selectors.benutzer_fuer(request.user).filter(kommune=kommune)
    if request.POST.get("alle_offenen"):
        gewaehlt = [p for p in personen if p.einladung_offen]
    else:
        uuids = [u for u in request.POST.getlist("personen") if _ist_uuid(u)][:1000]
        gewaehlt = list(personen.filter(uuid__in=uuids))
    _einladen(
        request, [p for p in gewaehlt if darf(request.user, "kommunen.benutzer_bearbeiten", p)]
    )
    zurueck = request.POST.get("zurueck", "")
    if zurueck.startswith(f"/kommunen/{kommune.slug}/") and "//" not in zurueck:
        return redirect(zurueck)
    return redirect("kommunen:benutzer", slug=slug)


def _ist_uuid(text: str) -> bool:
    try:
        uuid_modul.UUID(text)
    except ValueError:
        return False
    return True


# --- bringing a new Kommune into the Verbund (Verbund-Admins) ---------------------------------


@login_required
@regel_noetig("kommunen.verbund_verwalten", meldung="Nur Verbund-Admins nehmen Kommunen auf.")
def kommune_aufnehmen(request):
    """Step 1: the form; step 2: the summary of what would be written; step 3: write it."""
    verbund = request.user.kommune.verbund
    form = KommuneAufnehmenForm(request.POST or None, verbund=verbund)
    if request.method == "POST" and form.is_valid():
        try:
            beschreibung = aufnahme.aus_daten(form.beschreibung())
            bericht = aufnahme.abgleichen(beschreibung, akteur=akteur_aus(request), probelauf=True)
        except aufnahme.Beschreibungsfehler as fehler:
            for meldung in fehler.fehler:
                form.add_error(None, meldung.split(": ", 1)[-1])
        else:
            if request.POST.get("schritt") == "aufnehmen":
                aufnahme.abgleichen(beschreibung, akteur=akteur_aus(request))
                messages.success(
                    request, f"{form.cleaned_data['name']} ist jetzt Mitglied im {verbund.name}."
                )
                if request.POST.get("einladen"):
                    neue = selectors.benutzer_fuer(request.user).filter(
                        kommune__slug=form.cleaned_data["slug"]
                    )
                    _einladen(request, [p for p in neue if p.einladung_offen])
                return redirect("kommunen:detail", slug=form.cleaned_data["slug"])
            return render(
                request,
                "kommunen/aufnehmen_uebersicht.html",
                {
                    "form": form,
                    "bericht": bericht,
                    "verbund": verbund,
                },
            )
    return render(request, "kommunen/aufnehmen.html", {"form": form, "verbund": verbund})


# --- the OE tree (Kommunen-Admins) -----------------------------------------------------------


@login_required
def oe_neu(request, slug):
    kommune = _verwaltbare_kommune(request.user, slug)
    form = OrganisationseinheitForm(request.POST or None, kommune=kommune)
    if request.method == "POST" and form.is_valid():
        try:
            oe = services.organisationseinheit_anlegen(
                akteur=akteur_aus(request), kommune=kommune, **form.cleaned_data
            )
        except ValidationError as fehler:
            fehler_ins_formular(form, fehler)
        else:
            messages.success(request, f"{oe} wurde angelegt.")
            return redirect("kommunen:oe", slug=slug, uuid=oe.uuid)
    return render(
        request,
        "kommunen/oe_formular.html",
        {
            "kommune": kommune,
            "form": form,
            "titel": "Neue Organisationseinheit",
        },
    )


@login_required
def oe_bearbeiten(request, slug, uuid):
    kommune = _verwaltbare_kommune(request.user, slug)
    oe = get_object_or_404(
        selectors.organisationseinheiten_fuer(request.user).filter(kommune=kommune), uuid=uuid
    )
    initial = {"name": oe.name, "kuerzel": oe.kuerzel, "parent": oe.parent}
    form = OrganisationseinheitForm(request.POST or None, initial=initial, kommune=kommune, ohne=oe)
    zusammenlegen = ZusammenlegenForm(kommune=kommune, ohne=oe)
    if request.method == "POST" and request.POST.get("aktion") == "zusammenlegen":
        zusammenlegen = ZusammenlegenForm(request.POST, kommune=kommune, ohne=oe)
        form = OrganisationseinheitForm(initial=initial, kommune=kommune, ohne=oe)
        if zusammenlegen.is_valid():
            try:
                ziel = services.organisationseinheiten_zusammenlegen(
                    akteur=akteur_aus(request), quelle=oe, ziel=zusammenlegen.cleaned_data["ziel"]
                )
            except ValidationError as fehler:
                fehler_ins_formular(zusammenlegen, fehler)
            else:
                messages.success(request, f"{oe.name} wurde mit {ziel.name} zusammengelegt.")
                return redirect("kommunen:oe", slug=slug, uuid=ziel.uuid)
    elif request.method == "POST" and form.is_valid():
        try:
            services.organisationseinheit_aendern(
                akteur=akteur_aus(request), oe=oe, **form.cleaned_data
            )
        except ValidationError as fehler:
            fehler_ins_formular(form, fehler)
        else:
            messages.success(request, "Die Änderungen wurden gespeichert.")
            return redirect("kommunen:oe", slug=slug, uuid=oe.uuid)
    return render(
        request,
        "kommunen/oe_formular.html",
        {
            "kommune": kommune,
            "form": form,
            "zusammenlegen": zusammenlegen,
            "oe": oe,
            "titel": f"{oe.name} bearbeiten",
        },
    )
