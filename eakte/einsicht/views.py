"""Pages of the Akteneinsicht: the clerk's (grant, redact, release, revoke, see the accesses) and
the recipient's (no account: link and one-time code). Thin: selectors and services decide."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from eakte.akten import dateien
from eakte.akten import selectors as akten_selectors
from eakte.common.akteur import akteur_aus, client_adresse
from eakte.common.forms import fehler_ins_formular
from eakte.common.mandantenbereich import bereich
from eakte.common.regeln import darf, pruefen
from eakte.common.wortlaut import mit_anzahl

from . import schwaerzung, selectors, services
from .forms import CodeForm, GewaehrenForm, KastenForm, WortForm
from .models import EinsichtDokument, Schwaerzung, Status, Zugriffsart


def _einsicht_or_404(user, einsicht_uuid):
    return get_object_or_404(selectors.einsichten_fuer(user), uuid=einsicht_uuid)


def _eintrag_or_404(user, einsicht_dokument_uuid):
    eintrag = get_object_or_404(
        EinsichtDokument.objects.select_related("einsicht__akte", "dokument", "quelle"),
        uuid=einsicht_dokument_uuid,
        einsicht__in=selectors.einsichten_fuer(user),
    )
    return eintrag


@login_required
def liste(request):
    einsichten = list(selectors.einsichten_fuer(request.user)[:500])
    return render(
        request,
        "einsicht/liste.html",
        {
            "einsichten": einsichten,
            "alle_der_kommune": darf(request.user, "einsicht.alle_der_kommune_sehen"),
        },
    )


@login_required
def gewaehren(request, akte_uuid):
    akte = get_object_or_404(akten_selectors.akten_fuer(request.user), uuid=akte_uuid)
    pruefen(request.user, "einsicht.gewaehren", akte, meldung=services.NICHT_SCHREIBEN)
    dokumente = list(selectors.dokumente_zur_auswahl(request.user, akte))
    form = GewaehrenForm(request.POST or None)
    zurueck = {}
    if request.method == "POST":
        for dokument in dokumente:
            if not request.POST.get(f"dok_{dokument.uuid}"):
                zurueck[dokument.pk] = request.POST.get(f"grund_{dokument.uuid}", "")[:500]
        if form.is_valid():
            try:
                einsicht = services.einsicht_anlegen(
                    akteur=akteur_aus(request),
                    akte=akte,
                    zurueckgehalten=zurueck,
                    **form.cleaned_data,
                )
            except ValidationError as fehler:
                fehler_ins_formular(form, fehler)
            else:
                messages.success(
                    request,
                    f"Einsicht {einsicht.nummer} ist vorbereitet. Schwärzen Sie, was nicht "
                    "eingesehen werden darf, und geben Sie sie dann frei.",
                )
                return redirect("einsicht:detail", einsicht_uuid=einsicht.uuid)
    zeilen = [
        {
            "dokument": d,
            "frei": d.pk not in zurueck,
            "grund": zurueck.get(d.pk, ""),
        }
        for d in dokumente
    ]
    return render(
        request, "einsicht/gewaehren.html", {"akte": akte, "form": form, "zeilen": zeilen}
    )


@login_required
def detail(request, einsicht_uuid):
    einsicht = _einsicht_or_404(request.user, einsicht_uuid)
    eintraege = list(selectors.dokumente_der_einsicht(einsicht).prefetch_related("schwaerzungen"))
    return render(
        request,
        "einsicht/detail.html",
        {
            "einsicht": einsicht,
            "eintraege": eintraege,
            "zugriffe": list(selectors.zugriffe(einsicht)[:1000]),
            "darf_bearbeiten": darf(request.user, "einsicht.bearbeiten", einsicht),
            "wort_form": WortForm(),
            "link": services.zugangslink(einsicht) if einsicht.status != Status.ENTWURF else "",
            "code": request.session.pop(f"einsicht_code_{einsicht.uuid}", ""),
        },
    )


def _zur_einsicht(request, einsicht):
    return redirect("einsicht:detail", einsicht_uuid=einsicht.uuid)


@login_required
@require_POST
def wort(request, einsicht_uuid):
    einsicht = _einsicht_or_404(request.user, einsicht_uuid)
    form = WortForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Bitte ein Wort angeben.")
        return _zur_einsicht(request, einsicht)
    try:
        anzahl = services.wort_schwaerzen(
            akteur=akteur_aus(request), einsicht=einsicht, wort=form.cleaned_data["wort"]
        )
    except ValidationError as fehler:
        messages.error(request, " ".join(fehler.messages))
    else:
        if anzahl:
            messages.success(
                request,
                f"„{form.cleaned_data['wort']}“: {anzahl} "
                f"{ngettext('Stelle', 'Stellen', anzahl)} markiert.",
            )
        else:
            messages.warning(request, f"„{form.cleaned_data['wort']}“ kommt nicht vor.")
    return _zur_einsicht(request, einsicht)


@login_required
@require_POST
def freigeben(request, einsicht_uuid):
    einsicht = _einsicht_or_404(request.user, einsicht_uuid)
    try:
        freigabe = services.einsicht_freigeben(akteur=akteur_aus(request), einsicht=einsicht)
    except ValidationError as fehler:
        messages.error(request, "Nicht freigegeben: " + " ".join(fehler.messages))
    else:
        request.session[f"einsicht_code_{einsicht.uuid}"] = freigabe.code
        messages.success(request, f"Einsicht {einsicht.nummer} ist freigegeben.")
    return _zur_einsicht(request, einsicht)


@login_required
@require_POST
def widerrufen(request, einsicht_uuid):
    einsicht = _einsicht_or_404(request.user, einsicht_uuid)
    try:
        services.einsicht_widerrufen(akteur=akteur_aus(request), einsicht=einsicht)
    except ValidationError as fehler:
        messages.error(request, " ".join(fehler.messages))
    else:
        messages.success(request, f"Einsicht {einsicht.nummer} ist widerrufen.")
    return _zur_einsicht(request, einsicht)


@login_required
@require_POST
def code(request, einsicht_uuid):
    einsicht = _einsicht_or_404(request.user, einsicht_uuid)
    try:
        neuer = services.code_erneuern(akteur=akteur_aus(request), einsicht=einsicht)
    except ValidationError as fehler:
        messages.error(request, " ".join(fehler.messages))
    else:
        request.session[f"einsicht_code_{einsicht.uuid}"] = neuer
        messages.success(request, "Ein neuer Zugangscode wurde erzeugt; der alte gilt nicht mehr.")
    return _zur_einsicht(request, einsicht)


@login_required
def schwaerzen(request, einsicht_dokument_uuid):
    eintrag = _eintrag_or_404(request.user, einsicht_dokument_uuid)
    pruefen(request.user, "einsicht.bearbeiten", eintrag.einsicht, meldung=services.NICHT_SCHREIBEN)
    form = KastenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        kasten = schwaerzung.Kasten(
            seite=d["seite"],
            x0=d["links"] / 100,
            y0=d["oben"] / 100,
            x1=d["rechts"] / 100,
            y1=d["unten"] / 100,
        )
        try:
            services.schwaerzungen_hinzufuegen(
                akteur=akteur_aus(request), eintrag=eintrag, kaesten=[kasten]
            )
        except ValidationError as fehler:
            fehler_ins_formular(form, fehler)
        else:
            messages.success(request, f"Bereich auf Seite {kasten.seite} wird geschwärzt.")
            return redirect("einsicht:schwaerzen", einsicht_dokument_uuid=eintrag.uuid)
    seiten = eintrag.seiten
    fehler = ""
    if seiten is None and eintrag.quelle is not None:
        try:
            with dateien.oeffnen(eintrag.quelle) as inhalt:
                seiten = schwaerzung.seitenzahl(inhalt.read())
        except ValidationError as e:
            fehler = " ".join(e.messages)
    return render(
        request,
        "einsicht/schwaerzen.html",
        {
            "eintrag": eintrag,
            "einsicht": eintrag.einsicht,
            "form": form,
            "seiten": range(1, (seiten or 0) + 1),
            "schwaerzungen": list(eintrag.schwaerzungen.all()),
            "fehler": fehler,
        },
    )


@login_required
def vorschau(request, einsicht_dokument_uuid, seite):
    """The source page with the marked boxes painted black (what the release will show)."""
    eintrag = _eintrag_or_404(request.user, einsicht_dokument_uuid)
    pruefen(request.user, "einsicht.bearbeiten", eintrag.einsicht, meldung=services.NICHT_SCHREIBEN)
    if eintrag.quelle is None:
        raise Http404
    with dateien.oeffnen(eintrag.quelle) as inhalt:
        roh = inhalt.read()
    kaesten = [
        schwaerzung.Kasten(s.seite, s.x0, s.y0, s.x1, s.y1)
        for s in eintrag.schwaerzungen.filter(seite=seite)
    ]
    try:
        png = schwaerzung.vorschaubild(roh, seite, kaesten)
    except ValidationError as fehler:
        raise Http404(" ".join(fehler.messages)) from fehler
    antwort = HttpResponse(png, content_type="image/png")
    antwort["Cache-Control"] = "private, no-store"
    return antwort


@login_required
@require_POST
def entfernen(request, schwaerzung_uuid):
    eintrag_ids = EinsichtDokument.objects.filter(
        einsicht__in=selectors.einsichten_fuer(request.user)
    ).values("pk")
    schwaerzung_ = get_object_or_404(
        Schwaerzung.objects.select_related("einsicht_dokument__einsicht__akte"),
        uuid=schwaerzung_uuid,
        einsicht_dokument__in=eintrag_ids,
    )
    try:
        services.schwaerzung_entfernen(akteur=akteur_aus(request), schwaerzung_=schwaerzung_)
    except ValidationError as fehler:
        messages.error(request, " ".join(fehler.messages))
    return redirect(
        "einsicht:schwaerzen", einsicht_dokument_uuid=schwaerzung_.einsicht_dokument.uuid
    )


# --- the recipient ---------------------------------------------------------------------------

MELDUNGEN = {
    "unbekannt": "Diesen Link gibt es nicht. Bitte prüfen Sie, ob Sie ihn vollständig übernommen "
    "haben.",
    "widerrufen": "Diese Akteneinsicht wurde von der Behörde beendet. Bei Fragen wenden Sie sich "
    "bitte an die zuständige Stelle.",
    "abgelaufen": "Der Zeitraum dieser Akteneinsicht ist abgelaufen. Wenn Sie weiter Einsicht "
    "brauchen, wenden Sie sich bitte an die zuständige Stelle.",
    "gesperrt": "Nach fünf falschen Zugangscodes ist dieser Link zu Ihrem Schutz gesperrt. Die "
    "zuständige Stelle kann Ihnen einen neuen Code geben.",
}


def _sitzungsschluessel(schluessel: str) -> str:
    return f"einsicht_zugang_{schluessel}"


def empfaengerseite(view):
    """Finds the Einsicht by the link's key, answers politely if it is not open, and runs the
    view in the Bereich of that Einsicht's Kommune only."""

    @functools.wraps(view)
    def mit_einsicht(request, schluessel, *args, **kwargs):
        einsicht = selectors.per_schluessel(schluessel)
        zustand = services.zustand(einsicht)
        if zustand != "offen":
            return render(
                request,
                "einsicht/zugang_zu.html",
                {
                    "meldung": MELDUNGEN[zustand],
                    "einsicht": einsicht if zustand != "unbekannt" else None,
                },
                status=404 if zustand == "unbekannt" else 410,
            )
        with bereich([einsicht.kommune_id]):
            return view(request, einsicht, *args, **kwargs)

    return mit_einsicht


def _offen(request, einsicht) -> bool:
    return request.session.get(_sitzungsschluessel(einsicht.zugangsschluessel)) is True


def _freigegeben_or_404(einsicht, einsicht_dokument_uuid):
    return get_object_or_404(
        selectors.freigegebene_dokumente(einsicht), uuid=einsicht_dokument_uuid
    )


@empfaengerseite
def zugang(request, einsicht):
    if _offen(request, einsicht):
        return render(
            request,
            "einsicht/zugang.html",
            {"einsicht": einsicht, "eintraege": list(selectors.freigegebene_dokumente(einsicht))},
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_adresse(request)
        if services.zu_viele_versuche(ip):
            form.add_error(
                None,
                "Zu viele Versuche von Ihrem Anschluss. Bitte versuchen Sie es in zehn Minuten "
                "erneut.",
            )
        elif services.code_pruefen(einsicht=einsicht, code=form.cleaned_data["code"], ip=ip):
            request.session.cycle_key()
            request.session[_sitzungsschluessel(einsicht.zugangsschluessel)] = True
            return redirect("einsicht:zugang", schluessel=einsicht.zugangsschluessel)
        else:
            einsicht.refresh_from_db()
            if einsicht.gesperrt_am:
                return render(
                    request,
                    "einsicht/zugang_zu.html",
                    {"meldung": MELDUNGEN["gesperrt"], "einsicht": einsicht},
                    status=410,
                )
            rest = services.MAX_FEHLVERSUCHE - einsicht.fehlversuche
            form.add_error(
                "code",
                "Der Code stimmt nicht oder wurde schon verwendet. Noch "
                f"{mit_anzahl(rest, 'Versuch', 'Versuche')}, dann wird der Link gesperrt.",
            )
    return render(request, "einsicht/code.html", {"einsicht": einsicht, "form": form})


def _nur_mit_code(view):
    @functools.wraps(view)
    def geprueft(request, einsicht, *args, **kwargs):
        if not _offen(request, einsicht):
            return redirect("einsicht:zugang", schluessel=einsicht.zugangsschluessel)
        return view(request, einsicht, *args, **kwargs)

    return geprueft


@empfaengerseite
@_nur_mit_code
def seite(request, einsicht, einsicht_dokument_uuid, seite):
    eintrag = _freigegeben_or_404(einsicht, einsicht_dokument_uuid)
    seiten = eintrag.seiten
    if seiten is None:
        with dateien.oeffnen(eintrag.freigabedatei) as inhalt:
            seiten = schwaerzung.seitenzahl(inhalt.read())
    if not 1 <= seite <= seiten:
        raise Http404
    services.zugriff_festhalten(
        einsicht=einsicht,
        eintrag=eintrag,
        art=Zugriffsart.ANSICHT,
        ip=client_adresse(request),
        seite=seite,
    )
    return render(
        request,
        "einsicht/seite.html",
        {
            "einsicht": einsicht,
            "eintrag": eintrag,
            "seite": seite,
            "seiten": seiten,
            "wasserzeichen": services.wasserzeichen_text(einsicht),
        },
    )


@empfaengerseite
@_nur_mit_code
def seitenbild(request, einsicht, einsicht_dokument_uuid, seite):
    eintrag = _freigegeben_or_404(einsicht, einsicht_dokument_uuid)
    try:
        png = schwaerzung.seitenbild(services.freigegebene_pdf(einsicht, eintrag), seite, dpi=100)
    except ValidationError as fehler:
        raise Http404 from fehler
    antwort = HttpResponse(png, content_type="image/png")
    antwort["Cache-Control"] = "private, no-store"
    return antwort


@empfaengerseite
@_nur_mit_code
def herunterladen(request, einsicht, einsicht_dokument_uuid):
    eintrag = _freigegeben_or_404(einsicht, einsicht_dokument_uuid)
    if not einsicht.download_erlaubt:
        raise PermissionDenied("Für diese Einsicht ist das Herunterladen nicht erlaubt.")
    pdf = services.freigegebene_pdf(einsicht, eintrag)
    services.zugriff_festhalten(
        einsicht=einsicht, eintrag=eintrag, art=Zugriffsart.DOWNLOAD, ip=client_adresse(request)
    )
    antwort = HttpResponse(pdf, content_type="application/pdf")
    name = f"{einsicht.nummer} {eintrag.dokument.titel}".replace("/", "_")[:150] + ".pdf"
    antwort["Content-Disposition"] = content_disposition_header(True, name)
    antwort["Cache-Control"] = "private, no-store"
    return antwort
