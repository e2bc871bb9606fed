from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from eakte.akten import dateien
from eakte.common.akteur import akteur_aus
from eakte.common.csv_export import csv_text
from eakte.common.forms import fehler_ins_formular
from eakte.common.regeln import darf

from . import darstellung, kalender, selectors, services
from .bescheinigung import bescheinigung_pdf
from .forms import (
    AnhangForm,
    DokumentForm,
    EntwurfForm,
    SchulungForm,
    TerminForm,
    VeroeffentlichenForm,
)
from .models import Anmeldestatus, Fassungsstatus


def _dokument_or_404(user, dokument_uuid):
    return get_object_or_404(selectors.schulungsdokumente_fuer(user), uuid=dokument_uuid)


def _nur_redaktion(user):
    if not selectors.ist_redaktion(user):
        raise PermissionDenied("Nur die Schulungsredaktion bearbeitet Dienstanweisungen.")


@login_required
def liste(request):
    dokumente = selectors.schulungsdokumente_fuer(request.user).prefetch_related("fassungen")
    offen = {f.dokument_id for f in selectors.zu_bestaetigen(request.user)}
    begriff = request.GET.get("q", "").strip()[:200]
    return render(
        request,
        "schulung/liste.html",
        {
            "dokumente": dokumente.order_by("art", "titel"),
            "offen": offen,
            "redaktion": selectors.ist_redaktion(request.user),
            "begriff": begriff,
            "treffer": selectors.dokumente_suchen(request.user, begriff) if begriff else None,
        },
    )


@login_required
def neu(request):
    _nur_redaktion(request.user)
    form = DokumentForm(request.POST or None, benutzer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            dokument = services.dokument_anlegen(akteur=akteur_aus(request), **form.cleaned_data)
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
            "geltung_oes": selectors.oes_des_dokuments(dok),
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
            "anhaenge": dok.anhaenge.all(),
            "anhang_form": AnhangForm() if selectors.ist_redaktion(request.user) else None,
        },
    )


@login_required
@require_POST
def anhang_hochladen(request, dokument_uuid):
    dok = _dokument_or_404(request.user, dokument_uuid)
    _nur_redaktion(request.user)
    form = AnhangForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            anhang = services.anhang_hinzufuegen(
                akteur=akteur_aus(request), dokument=dok, datei=form.cleaned_data["datei"]
            )
        except ValidationError as fehler:
            messages.error(request, " ".join(fehler.messages))
        else:
            messages.success(request, f"Der Anhang „{anhang.dateiname}“ wurde hinzugefügt.")
    else:
        messages.error(request, " ".join(e for fehler in form.errors.values() for e in fehler))
    return redirect("schulung:dokument", dokument_uuid=dok.uuid)


def _anhang_or_404(user, dokument_uuid, anhang_uuid):
    dok = _dokument_or_404(user, dokument_uuid)
    return get_object_or_404(dok.anhaenge.select_related("dokument__verbund"), uuid=anhang_uuid)


@login_required
def anhang_herunterladen(request, dokument_uuid, anhang_uuid):
    anhang = _anhang_or_404(request.user, dokument_uuid, anhang_uuid)
    antwort = FileResponse(
        dateien.speicher().open(anhang.speicherort, "rb"), content_type="application/pdf"
    )
    antwort["Content-Disposition"] = content_disposition_header(False, anhang.dateiname)
    antwort["Content-Length"] = str(anhang.groesse)
    antwort["Cache-Control"] = "private, no-store"
    antwort["X-Content-Type-Options"] = "nosniff"
    return antwort


@login_required
@require_POST
def anhang_entfernen(request, dokument_uuid, anhang_uuid):
    anhang = _anhang_or_404(request.user, dokument_uuid, anhang_uuid)
    _nur_redaktion(request.user)
    services.anhang_entfernen(akteur=akteur_aus(request), anhang=anhang)
    messages.success(request, f"Der Anhang „{anhang.dateiname}“ wurde entfernt.")
    return redirect("schulung:dokument", dokument_uuid=dokument_uuid)


@login_required
def entwurf(request, dokument_uuid):
    _nur_redaktion(request.user)
    dok = _dokument_or_404(request.user, dokument_uuid)
    aktuell = dok.fassungen.order_by("-nummer").first()
    form = EntwurfForm(request.POST or None, initial={"text": aktuell.text if aktuell else ""})
    if request.method == "POST" and form.is_valid():
        services.entwurf_speichern(
            akteur=akteur_aus(request), dokument=dok, text=form.cleaned_data["text"]
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
                akteur=akteur_aus(request), dokument=dok, gueltig_ab=form.cleaned_data["gueltig_ab"]
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
    services.kenntnis_nehmen(akteur=akteur_aus(request), fassung=fassung)
    messages.success(request, f"Sie haben die Kenntnisnahme von „{dok.titel}“ bestätigt.")
    return redirect("schulung:dokument", dokument_uuid=dok.uuid)


@login_required
def abschluss(request, dokument_uuid, dateiformat="html"):
    dok = _dokument_or_404(request.user, dokument_uuid)
    fassung = selectors.gueltige_fassung(dok)
    if fassung is None or not darf(request.user, "schulung.abschluss_sehen"):
        raise PermissionDenied("Den Stand der Kenntnisnahme sehen Schulung und Kommunen-Admins.")
    zeilen = selectors.abschluss(request.user, fassung)
    if dateiformat == "csv":
        inhalt = csv_text(
            ["Kommune", "Name", "Benutzername", "OE", "bestätigt am"],
            (
                [
                    z.kommune.name,
                    z.person.get_full_name(),
                    z.person.username,
                    z.oes,
                    timezone.localtime(z.bestaetigt_am).strftime("%d.%m.%Y %H:%M")
                    if z.bestaetigt_am
                    else "",
                ]
                for z in zeilen
            ),
        )
        antwort = HttpResponse(inhalt, content_type="text/csv; charset=utf-8")
        antwort["Content-Disposition"] = 'attachment; filename="kenntnisnahme.csv"'
        return antwort
    return render(
        request,
        "schulung/abschluss.html",
        {
            "dokument": dok,
            "geltung_oes": selectors.oes_des_dokuments(dok),
            "fassung": fassung,
            "zeilen": zeilen,
            "anzahl_bestaetigt": sum(1 for z in zeilen if z.bestaetigt_am),
        },
    )


@login_required
@require_POST
def abschluss_erinnern(request, dokument_uuid):
    dok = _dokument_or_404(request.user, dokument_uuid)
    fassung = selectors.gueltige_fassung(dok)
    if fassung is None:
        raise PermissionDenied("Es gibt keine gültige Fassung.")
    anzahl = services.kenntnisnahme_erinnern(akteur=akteur_aus(request), fassung=fassung)
    if anzahl:
        messages.success(
            request,
            ngettext(
                "Eine Erinnerung geht an %(n)d Person.",
                "Eine Erinnerung geht an %(n)d Personen.",
                anzahl,
            )
            % {"n": anzahl},
        )
    else:
        messages.info(
            request,
            "Niemand zu erinnern: alle haben bestätigt oder wurden heute schon erinnert.",
        )
    return redirect("schulung:abschluss", dokument_uuid=dok.uuid)


# --- Schulungen ------------------------------------------------------------------------------


def _nur_schulungsplanung(user):
    if not selectors.ist_redaktion(user):
        raise PermissionDenied("Nur die Schulungsredaktion plant Schulungen.")


def _schulung_or_404(user, schulung_uuid):
    return get_object_or_404(selectors.schulungen_fuer(user), uuid=schulung_uuid)


def _termin_or_404(user, termin_uuid):
    return get_object_or_404(selectors.termine_fuer(user), uuid=termin_uuid)


def _mit_plaetzen(termine):
    for termin in termine:
        termin.frei = selectors.freie_plaetze(termin)
    return termine


@login_required
def kurse(request):
    termine = selectors.kommende(selectors.termine_fuer(request.user))
    schulungen = selectors.schulungen_fuer(request.user).prefetch_related(
        Prefetch("termine", queryset=termine, to_attr="kommende_termine")
    )
    schulungen = list(schulungen.order_by("titel"))
    for schulung in schulungen:
        _mit_plaetzen(schulung.kommende_termine)
    return render(
        request,
        "schulung/kurse.html",
        {"schulungen": schulungen, "redaktion": selectors.ist_redaktion(request.user)},
    )


@login_required
def kurs(request, schulung_uuid):
    schulung = _schulung_or_404(request.user, schulung_uuid)
    termine = _mit_plaetzen(list(selectors.termine_fuer(request.user).filter(schulung=schulung)))
    jetzt = timezone.now()
    plaetze = {
        a.termin_id: a.platz
        for a in selectors.meine_anmeldungen(request.user).filter(termin__schulung=schulung)
    }
    for termin in termine:
        termin.platz = plaetze.get(termin.pk)
        termin.anmeldung_offen = not termin.abgesagt and jetzt <= termin.anmeldeschluss
        termin.begonnen = termin.beginn <= jetzt
    return render(
        request,
        "schulung/kurs.html",
        {
            "schulung": schulung,
            "kommende": [t for t in termine if t.ende >= jetzt],
            "vergangene": [t for t in termine if t.ende < jetzt],
            "redaktion": selectors.ist_redaktion(request.user),
        },
    )


@login_required
def kurs_neu(request):
    _nur_schulungsplanung(request.user)
    form = SchulungForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            schulung = services.schulung_anlegen(akteur=akteur_aus(request), **form.cleaned_data)
        except ValidationError as fehler:
            fehler_ins_formular(form, fehler)
        else:
            messages.success(request, f"Die Schulung „{schulung.titel}“ wurde angelegt.")
            return redirect("schulung:kurs", schulung_uuid=schulung.uuid)
    return render(request, "schulung/kurs_formular.html", {"form": form, "titel": "Neue Schulung"})


@login_required
def kurs_bearbeiten(request, schulung_uuid):
    schulung = _schulung_or_404(request.user, schulung_uuid)
    _nur_schulungsplanung(request.user)
    form = SchulungForm(
        request.POST or None,
        initial={
            "titel": schulung.titel,
            "beschreibung": schulung.beschreibung,
            "rollen": schulung.rollen,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.schulung_aendern(
                akteur=akteur_aus(request), schulung=schulung, **form.cleaned_data
            )
        except ValidationError as fehler:
            fehler_ins_formular(form, fehler)
        else:
            messages.success(request, "Die Schulung wurde gespeichert.")
            return redirect("schulung:kurs", schulung_uuid=schulung.uuid)
    return render(
        request,
        "schulung/kurs_formular.html",
        {"form": form, "titel": f"{schulung.titel} bearbeiten", "schulung": schulung},
    )


@login_required
def termin_neu(request, schulung_uuid):
    schulung = _schulung_or_404(request.user, schulung_uuid)
    _nur_schulungsplanung(request.user)
    form = TerminForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            termin = services.termin_anlegen(
                akteur=akteur_aus(request), schulung=schulung, **form.termin_daten()
            )
        except ValidationError as fehler:
            fehler_ins_formular(form, fehler)
        else:
            messages.success(
                request,
                f"Der Termin am {timezone.localtime(termin.beginn):%d.%m.%Y} wurde angelegt.",
            )
            return redirect("schulung:kurs", schulung_uuid=schulung.uuid)
    return render(
        request,
        "schulung/kurs_formular.html",
        {"form": form, "titel": f"Neuer Termin: {schulung.titel}", "schulung": schulung},
    )


@login_required
def termin_bearbeiten(request, termin_uuid):
    termin = _termin_or_404(request.user, termin_uuid)
    _nur_schulungsplanung(request.user)
    form = TerminForm(request.POST or None, initial=TerminForm.aus_termin(termin))
    if request.method == "POST" and form.is_valid():
        try:
            services.termin_aendern(
                akteur=akteur_aus(request), termin=termin, **form.termin_daten()
            )
        except ValidationError as fehler:
            fehler_ins_formular(form, fehler)
        else:
            messages.success(request, "Der Termin wurde gespeichert.")
            return redirect("schulung:kurs", schulung_uuid=termin.schulung.uuid)
    return render(
        request,
        "schulung/kurs_formular.html",
        {
            "form": form,
            "titel": f"Termin am {timezone.localtime(termin.beginn):%d.%m.%Y} bearbeiten",
            "schulung": termin.schulung,
        },
    )


@login_required
@require_POST
def termin_absagen(request, termin_uuid):
    termin = _termin_or_404(request.user, termin_uuid)
    _nur_schulungsplanung(request.user)
    services.termin_absagen(akteur=akteur_aus(request), termin=termin)
    messages.success(request, "Der Termin wurde abgesagt; alle Angemeldeten werden benachrichtigt.")
    return redirect("schulung:kurs", schulung_uuid=termin.schulung.uuid)


@login_required
@require_POST
def termin_anmelden(request, termin_uuid):
    termin = _termin_or_404(request.user, termin_uuid)
    try:
        anmeldung = services.termin_anmelden(akteur=akteur_aus(request), termin=termin)
    except ValidationError as fehler:
        messages.error(request, " ".join(fehler.messages))
    else:
        if anmeldung.platz:
            messages.success(
                request,
                f"Der Termin ist ausgebucht. Sie stehen auf der Warteliste, auf Platz "
                f"{anmeldung.platz}, und rücken automatisch nach, sobald ein Platz frei wird.",
            )
        else:
            messages.success(request, "Sie sind angemeldet. Eine Bestätigung kommt per E-Mail.")
    return redirect("schulung:kurs", schulung_uuid=termin.schulung.uuid)


@login_required
@require_POST
def termin_abmelden(request, termin_uuid):
    termin = _termin_or_404(request.user, termin_uuid)
    try:
        services.termin_abmelden(akteur=akteur_aus(request), termin=termin)
    except ValidationError as fehler:
        messages.error(request, " ".join(fehler.messages))
    else:
        messages.success(request, "Sie sind abgemeldet.")
    ziel = request.POST.get("weiter")
    if ziel == "meine":
        return redirect("schulung:meine")
    return redirect("schulung:kurs", schulung_uuid=termin.schulung.uuid)


@login_required
def termin_ics(request, termin_uuid):
    termin = _termin_or_404(request.user, termin_uuid)
    url = request.build_absolute_uri(
        reverse("schulung:kurs", kwargs={"schulung_uuid": termin.schulung.uuid})
    )
    antwort = HttpResponse(
        kalender.termin_als_ics(termin, url=url), content_type="text/calendar; charset=utf-8"
    )
    antwort["Content-Disposition"] = f'attachment; filename="{kalender.dateiname(termin)}"'
    return antwort


@login_required
def teilnehmer(request, termin_uuid):
    termin = _termin_or_404(request.user, termin_uuid)
    _nur_schulungsplanung(request.user)
    anmeldungen = list(selectors.teilnehmerliste(request.user, termin))
    angemeldet = [a for a in anmeldungen if a.status == Anmeldestatus.ANGEMELDET]
    wartend = [a for a in anmeldungen if a.status == Anmeldestatus.WARTELISTE]
    begonnen = termin.beginn <= timezone.now()
    if request.method == "POST":
        try:
            services.anwesenheit_erfassen(
                akteur=akteur_aus(request), termin=termin, anwesend=request.POST.getlist("anwesend")
            )
        except ValidationError as fehler:
            messages.error(request, " ".join(fehler.messages))
        else:
            messages.success(request, "Die Anwesenheit wurde gespeichert.")
        return redirect("schulung:teilnehmer", termin_uuid=termin.uuid)
    return render(
        request,
        "schulung/teilnehmer.html",
        {
            "termin": termin,
            "schulung": termin.schulung,
            "angemeldet": angemeldet,
            "wartend": wartend,
            "begonnen": begonnen and not termin.abgesagt,
            "frei": selectors.freie_plaetze(termin),
        },
    )


@login_required
def meine(request):
    anmeldungen = list(selectors.meine_anmeldungen(request.user))
    jetzt = timezone.now()
    for anmeldung in anmeldungen:
        anmeldung.vorbei = anmeldung.termin.ende < jetzt
        anmeldung.abmeldbar = not anmeldung.termin.abgesagt and anmeldung.termin.beginn > jetzt
    return render(request, "schulung/meine.html", {"anmeldungen": anmeldungen})


@login_required
def bescheinigung(request, anmeldung_uuid):
    anmeldung = get_object_or_404(
        selectors.bescheinigungen_fuer(request.user).select_related(
            "benutzer__kommune", "termin__schulung__verbund"
        ),
        uuid=anmeldung_uuid,
    )
    antwort = HttpResponse(bescheinigung_pdf(anmeldung), content_type="application/pdf")
    antwort["Content-Disposition"] = (
        f'attachment; filename="Teilnahmebescheinigung-{anmeldung.bescheinigungsnummer}.pdf"'
    )
    return antwort
