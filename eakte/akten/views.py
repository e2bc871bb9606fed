"""Browser pages of the records: the lists, Akte, Vorgang and Dokument pages, upload, download
and preview, zdA, sharing and Wiedervorlagen.

Thin: every read goes through selectors.py (objects outside it answer 404), every write through
services.py (which checks the permission again and writes the Protokoll).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from eakte.common.forms import fehler_ins_formular
from eakte.kommunen.rollen import Rolle
from eakte.protokoll.services import ip_aus_anfrage

from . import auslieferung, selectors, services
from .forms import (
    AkteBearbeitenForm,
    AkteForm,
    DokumentForm,
    FreigabeForm,
    HochladenForm,
    OeFreigabeForm,
    VerschiebenForm,
    VersionForm,
    VorgangForm,
    WiedereroeffnenForm,
    WiedervorlageForm,
)
from .models import Dokumenttyp

SEITENGROESSE = 25
DOKUMENTE_JE_SEITE = 50  # the Vorgang page
VORSCHAU_TYPEN = auslieferung.VORSCHAU_TYPEN
NUR_LESEN = "Sie dürfen diese Akte nur lesen."


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
    if not selectors.darf_schreiben(request.user, akte):
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


# --- lists -----------------------------------------------------------------------------------

SPALTEN = [
    ("Aktenzeichen", "aktenzeichen"),
    ("Betreff", "betreff"),
    ("Aktenplaneinheit", ""),
    ("Federführung", ""),
    ("Angelegt", "angelegt"),
    ("Status", ""),
]


def _spalten(sortierung: str, mit_kommune: bool) -> list[dict]:
    spalten = []
    for titel, schluessel in SPALTEN:
        eintrag = {"titel": titel, "schluessel": schluessel, "aria_sort": "", "naechste": ""}
        if schluessel:
            if sortierung == schluessel:
                eintrag["aria_sort"], eintrag["naechste"] = "ascending", f"-{schluessel}"
            elif sortierung == f"-{schluessel}":
                eintrag["aria_sort"], eintrag["naechste"] = "descending", schluessel
            else:
                eintrag["naechste"] = schluessel
        spalten.append(eintrag)
    if mit_kommune:
        spalten.insert(3, {"titel": "Kommune", "schluessel": "", "aria_sort": "", "naechste": ""})
    return spalten


def _aktenliste(request, queryset, *, titel, bereich, alle=False):
    sortierung = request.GET.get("sortierung", "")
    if sortierung not in selectors.AKTEN_SORTIERUNGEN:
        sortierung = selectors.AKTEN_SORTIERUNG_STANDARD
    suchtext = request.GET.get("q", "")[:200].strip()
    mit_zda = request.GET.get("zda") == "1"
    akten = selectors.akten_liste(
        selectors.akten_filtern(queryset, suchtext=suchtext, mit_zda=mit_zda, sortierung=sortierung)
    )
    seite = Paginator(akten, SEITENGROESSE).get_page(request.GET.get("seite"))
    mit_kommune = bereich == "freigegeben"
    context = {
        "titel": titel,
        "bereich": bereich,
        "alle": alle,
        "ist_admin": request.user.hat_rolle(Rolle.KOMMUNEN_ADMIN),
        "seite": seite,
        "suchtext": suchtext,
        "mit_zda": mit_zda,
        "sortierung": sortierung,
        "spalten": _spalten(sortierung, mit_kommune),
        "mit_kommune": mit_kommune,
    }
    return render(request, "akten/liste.html", context)


@login_required
def meine(request):
    user = request.user
    alle = user.hat_rolle(Rolle.KOMMUNEN_ADMIN) and request.GET.get("alle") == "1"
    if alle:
        queryset = selectors.akten_fuer(user).filter(kommune_id=user.kommune_id)
        titel = f"Alle Akten der Kommune {user.kommune.name}"
    else:
        queryset, titel = selectors.akten_meiner_oe(user), "Meine Akten"
    return _aktenliste(request, queryset, titel=titel, bereich="meine", alle=alle)


@login_required
def freigegeben(request):
    return _aktenliste(
        request,
        selectors.freigegebene_akten(request.user),
        titel="Für mich freigegeben",
        bereich="freigegeben",
    )


# --- Akte ------------------------------------------------------------------------------------


@login_required
def akte_neu(request):
    form = AkteForm(request.POST or None, benutzer=request.user)
    if request.method == "POST" and form.is_valid():
        daten = form.cleaned_data
        akte = _versuchen(
            form,
            services.akte_anlegen,
            benutzer=request.user,
            aktenplaneinheit=daten["aktenplaneinheit"],
            betreff=daten["betreff"],
            federfuehrende_oe=daten["federfuehrende_oe"],
            aktenfuehrende_oe=daten["aktenfuehrende_oe"],
            vertraulichkeit=daten["vertraulichkeit"],
            ip=ip_aus_anfrage(request),
        )
        if akte:
            messages.success(request, f"Die Akte {akte.aktenzeichen} wurde angelegt.")
            return redirect("akten:detail", akte_uuid=akte.uuid)
    return render(request, "akten/akte_neu.html", {"form": form})


@login_required
def akte_detail(request, akte_uuid):
    user = request.user
    akte = _akte_or_404(user, akte_uuid)
    darf_schreiben = selectors.darf_schreiben(user, akte)
    darf_freigeben = selectors.darf_freigeben(user, akte)
    vorgaenge = list(
        akte.vorgaenge.annotate(anzahl_dokumente=Count("dokumente")).order_by("nummer")
    )
    je_vorgang = defaultdict(list)
    for dokument in selectors.dokumente_der_akte(akte):
        je_vorgang[dokument.vorgang_id].append(dokument)
    for vorgang in vorgaenge:
        vorgang.dokumente_liste = je_vorgang[vorgang.pk]
    context = {
        "akte": akte,
        "einheit": akte.aktenplaneinheit,
        "vorgaenge": vorgaenge,
        "darf_schreiben": darf_schreiben,
        "aenderbar": darf_schreiben and not akte.ist_zda,
        "darf_freigeben": darf_freigeben,
        "darf_wiedereroeffnen": akte.ist_zda and selectors.darf_wiedereroeffnen(user, akte),
        "freigaben": selectors.freigaben(akte) if darf_freigeben else [],
        "wiedervorlagen": list(selectors.wiedervorlagen_fuer(user).filter(akte=akte)),
        "wiedervorlage_form": WiedervorlageForm(akte=akte, auto_id="wv_%s"),
    }
    return render(request, "akten/akte.html", context)


@login_required
def akte_bearbeiten(request, akte_uuid):
    akte = _akte_or_404(request.user, akte_uuid)
    if sperre := _gesperrt(request, akte):
        return sperre
    form = AkteBearbeitenForm(request.POST or None, benutzer=request.user, akte=akte)
    if request.method == "POST" and form.is_valid():
        if _versuchen(
            form,
            services.akte_aendern,
            benutzer=request.user,
            akte=akte,
            ip=ip_aus_anfrage(request),
            **form.aenderungen(),
        ):
            messages.success(request, "Die Änderungen wurden gespeichert.")
            if selectors.akten_fuer(request.user).filter(pk=akte.pk).exists():
                return redirect("akten:detail", akte_uuid=akte.uuid)
            return redirect("akten:meine")
    return _formularseite(
        request,
        form,
        titel=f"Akte {akte.aktenzeichen} bearbeiten",
        knopf="Speichern",
        zurueck=_zur_akte(akte),
    )


@login_required
def akte_zda(request, akte_uuid):
    akte = _akte_or_404(request.user, akte_uuid)
    if sperre := _gesperrt(request, akte):
        return sperre
    if request.method == "POST":
        try:
            akte = services.akte_zda(benutzer=request.user, akte=akte, ip=ip_aus_anfrage(request))
        except ValidationError as fehler:
            messages.error(request, " ".join(fehler.messages))
        else:
            bis = akte.aufbewahrung_bis
            messages.success(
                request,
                "Die Akte ist zu den Akten verfügt (zdA)"
                + (f" und aufzubewahren bis {bis:%d.%m.%Y}." if bis else ", unbefristet."),
            )
        return redirect("akten:detail", akte_uuid=akte.uuid)
    bis = services.aufbewahrung_bis(akte, timezone.localdate())
    return render(
        request,
        "akten/bestaetigen.html",
        {
            "titel": f"Akte {akte.aktenzeichen} zu den Akten verfügen (zdA)",
            "text": [
                f"„{akte.betreff}“ wird abgeschlossen: danach kann niemand mehr Dokumente "
                "hochladen, ändern oder verschieben, und die Akte kann nicht mehr freigegeben "
                "werden. Nur Kommunen-Admins können sie wieder eröffnen.",
                "Die Aufbewahrungsfrist beginnt: aufzubewahren "
                + (f"bis {bis:%d.%m.%Y}." if bis else "unbefristet."),
            ],
            "knopf": "zdA verfügen",
            "zurueck": _zur_akte(akte),
        },
    )


@login_required
def akte_wiedereroeffnen(request, akte_uuid):
    akte = _akte_or_404(request.user, akte_uuid)
    if not selectors.darf_wiedereroeffnen(request.user, akte):
        raise PermissionDenied("Nur Kommunen-Admins können Akten wieder eröffnen.")
    if not akte.ist_zda:
        messages.info(request, "Die Akte ist offen.")
        return redirect("akten:detail", akte_uuid=akte.uuid)
    form = WiedereroeffnenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _versuchen(
            form,
            services.akte_wiedereroeffnen,
            benutzer=request.user,
            akte=akte,
            grund=form.cleaned_data["grund"],
            ip=ip_aus_anfrage(request),
        ):
            messages.success(request, "Die Akte ist wieder eröffnet.")
            return redirect("akten:detail", akte_uuid=akte.uuid)
    return _formularseite(
        request,
        form,
        titel=f"Akte {akte.aktenzeichen} wieder eröffnen",
        knopf="Wieder eröffnen",
        zurueck=_zur_akte(akte),
        hinweis="Die Aufbewahrungsfrist endet damit; sie beginnt bei der nächsten zdA neu.",
    )


# --- Freigaben -------------------------------------------------------------------------------


def _nur_freigebende(user, akte):
    if not selectors.darf_freigeben(user, akte):
        raise PermissionDenied("Nur die federführende Organisationseinheit gibt Akten frei.")


@login_required
def freigaben(request, akte_uuid):
    """Share with a person (form `person`) or with a whole OE (form `oe`) of the Verbund."""
    akte = _akte_or_404(request.user, akte_uuid)
    _nur_freigebende(request.user, akte)
    if request.method == "POST" and akte.ist_zda:
        messages.error(request, services.ZDA_MELDUNG)
        return redirect("akten:freigaben", akte_uuid=akte.uuid)
    art = request.POST.get("art", "person") if request.method == "POST" else None
    form = FreigabeForm(request.POST if art == "person" else None, benutzer=request.user)
    oe_form = OeFreigabeForm(
        request.POST if art == "oe" else None, benutzer=request.user, prefix="oe"
    )
    gebunden = form if art == "person" else oe_form if art == "oe" else None
    if gebunden is not None and gebunden.is_valid():
        if erledigt := _freigabe_speichern(request, akte, gebunden, art):
            messages.success(request, erledigt)
            return redirect("akten:freigaben", akte_uuid=akte.uuid)
    return render(
        request,
        "akten/freigaben.html",
        {
            "akte": akte,
            "form": form,
            "oe_form": oe_form,
            "freigaben": selectors.freigaben(akte),
            "oe_freigaben": selectors.oe_freigaben(akte),
        },
    )


def _freigabe_speichern(request, akte, form, art) -> str | None:
    """Run the sharing service; its error goes into the form. Returns the success message."""
    schreiben = form.cleaned_data["recht"] == "schreiben"
    if art == "person":
        person = form.cleaned_data["benutzername"]
        service, ziel = services.akte_freigeben, {"empfaenger": person}
        name = f"{person} ({person.kommune.name})"
    else:
        oe = form.cleaned_data["oe"]
        service, ziel = services.akte_fuer_oe_freigeben, {"oe": oe}
        name = f"die Organisationseinheit {oe.name} ({oe.kommune.name})"
    try:
        service(
            benutzer=request.user,
            akte=akte,
            schreiben=schreiben,
            ip=ip_aus_anfrage(request),
            **ziel,
        )
    except ValidationError as fehler:
        fehler_ins_formular(form, fehler)
        return None
    recht = "lesen und bearbeiten" if schreiben else "nur lesen"
    return f"Die Akte ist für {name} freigegeben: {recht}."


@login_required
@require_POST
def freigabe_entziehen(request, akte_uuid, benutzer_uuid):
    akte = _akte_or_404(request.user, akte_uuid)
    _nur_freigebende(request.user, akte)
    eintrag = next(
        (e for e in selectors.freigaben(akte) if e["benutzer"].uuid == benutzer_uuid), None
    )
    if eintrag is None:
        raise Http404("Diese Freigabe gibt es nicht.")
    services.freigabe_entziehen(
        benutzer=request.user, akte=akte, empfaenger=eintrag["benutzer"], ip=ip_aus_anfrage(request)
    )
    messages.success(request, f"Die Freigabe für {eintrag['benutzer']} ist entzogen.")
    return redirect("akten:freigaben", akte_uuid=akte.uuid)


@login_required
@require_POST
def oe_freigabe_entziehen(request, akte_uuid, oe_uuid):
    akte = _akte_or_404(request.user, akte_uuid)
    _nur_freigebende(request.user, akte)
    eintrag = next((e for e in selectors.oe_freigaben(akte) if e["oe"].uuid == oe_uuid), None)
    if eintrag is None:
        raise Http404("Diese Freigabe gibt es nicht.")
    services.oe_freigabe_entziehen(
        benutzer=request.user, akte=akte, oe=eintrag["oe"], ip=ip_aus_anfrage(request)
    )
    messages.success(request, f"Die Freigabe für {eintrag['oe'].name} ist entzogen.")
    return redirect("akten:freigaben", akte_uuid=akte.uuid)


# --- Wiedervorlagen --------------------------------------------------------------------------


@login_required
def wiedervorlage(request, akte_uuid):
    akte = _akte_or_404(request.user, akte_uuid)
    form = WiedervorlageForm(request.POST or None, akte=akte)
    if request.method == "POST" and form.is_valid():
        if _versuchen(
            form,
            services.wiedervorlage_setzen,
            benutzer=request.user,
            akte=akte,
            datum=form.cleaned_data["datum"],
            notiz=form.cleaned_data["notiz"],
            vorgang=form.cleaned_data["vorgang"],
            ip=ip_aus_anfrage(request),
        ):
            datum = form.cleaned_data["datum"]
            messages.success(request, f"Wiedervorlage zum {datum:%d.%m.%Y} gesetzt.")
            return redirect("akten:detail", akte_uuid=akte.uuid)
    return _formularseite(
        request,
        form,
        titel=f"Wiedervorlage für {akte.aktenzeichen}",
        knopf="Wiedervorlage setzen",
        zurueck=_zur_akte(akte),
    )


@login_required
@require_POST
def wiedervorlage_erledigt(request, wiedervorlage_uuid):
    eintrag = get_object_or_404(
        selectors.wiedervorlagen_fuer(request.user), uuid=wiedervorlage_uuid
    )
    services.wiedervorlage_erledigen(benutzer=request.user, wiedervorlage=eintrag)
    messages.success(
        request, f"Wiedervorlage {eintrag.akte.aktenzeichen} vom {eintrag.datum:%d.%m.%Y} erledigt."
    )
    weiter = request.POST.get("weiter", "")
    if url_has_allowed_host_and_scheme(
        weiter, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(weiter)
    return redirect("start:startseite")


# --- Vorgang ---------------------------------------------------------------------------------


@login_required
def vorgang_neu(request, akte_uuid):
    akte = _akte_or_404(request.user, akte_uuid)
    if sperre := _gesperrt(request, akte):
        return sperre
    form = VorgangForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        vorgang = _versuchen(
            form,
            services.vorgang_anlegen,
            benutzer=request.user,
            akte=akte,
            betreff=form.cleaned_data["betreff"],
            ip=ip_aus_anfrage(request),
        )
        if vorgang:
            messages.success(request, f"Vorgang {vorgang.vorgangszeichen} angelegt.")
            return redirect("akten:vorgang", vorgang_uuid=vorgang.uuid)
    return _formularseite(
        request,
        form,
        titel=f"Neuer Vorgang in {akte.aktenzeichen}",
        knopf="Vorgang anlegen",
        zurueck=_zur_akte(akte),
    )


@login_required
def vorgang_detail(request, vorgang_uuid):
    vorgang = _vorgang_or_404(request.user, vorgang_uuid)
    akte = vorgang.akte
    darf_schreiben = selectors.darf_schreiben(request.user, akte)
    seite = Paginator(
        selectors.dokumente_mit_letzter_version(vorgang.dokumente.order_by("-angelegt_am", "-id")),
        DOKUMENTE_JE_SEITE,
    ).get_page(request.GET.get("seite"))
    context = {
        "vorgang": vorgang,
        "akte": akte,
        "dokumente": seite.object_list,
        "seite": seite,
        "darf_schreiben": darf_schreiben,
        "aenderbar": darf_schreiben and not akte.ist_zda and not vorgang.ist_zda,
        "form": HochladenForm(),
        "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
        "max_bytes": settings.UPLOAD_MAX_BYTES,
        "max_dateien": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
    }
    return render(request, "akten/vorgang.html", context)


@login_required
def vorgang_zda(request, vorgang_uuid):
    vorgang = _vorgang_or_404(request.user, vorgang_uuid)
    if sperre := _gesperrt(request, vorgang.akte, vorgang):
        return sperre
    if request.method == "POST":
        try:
            services.vorgang_zda(benutzer=request.user, vorgang=vorgang, ip=ip_aus_anfrage(request))
        except ValidationError as fehler:
            messages.error(request, " ".join(fehler.messages))
        else:
            messages.success(
                request, f"Vorgang {vorgang.vorgangszeichen} ist zu den Akten verfügt."
            )
        return redirect("akten:vorgang", vorgang_uuid=vorgang.uuid)
    return render(
        request,
        "akten/bestaetigen.html",
        {
            "titel": f"Vorgang {vorgang.vorgangszeichen} zu den Akten verfügen (zdA)",
            "text": [
                f"„{vorgang.betreff}“ wird abgeschlossen: danach kann niemand mehr Dokumente "
                "in diesen Vorgang hochladen, ändern oder verschieben. Die Akte bleibt offen."
            ],
            "knopf": "zdA verfügen",
            "zurueck": reverse("akten:vorgang", kwargs={"vorgang_uuid": vorgang.uuid}),
        },
    )


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
            benutzer=request.user, vorgang=vorgang, datei=datei, typ=typ, ip=ip_aus_anfrage(request)
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
    if not selectors.darf_schreiben(request.user, akte):
        return JsonResponse({"ok": False, "dateiname": name, "fehler": NUR_LESEN}, status=403)
    if akte.ist_zda or vorgang.ist_zda:
        meldung = services.ZDA_MELDUNG if akte.ist_zda else "Der Vorgang ist zdA verfügt."
        return JsonResponse({"ok": False, "dateiname": name, "fehler": meldung}, status=400)
    if len(dateiliste) != 1:
        return JsonResponse(
            {"ok": False, "dateiname": name, "fehler": "Bitte genau eine Datei je Anfrage senden."},
            status=400,
        )
    ergebnis = _datei_hochladen(request, vorgang, dateiliste[0], _typ(request))
    return JsonResponse(ergebnis.als_dict(), status=200 if ergebnis.ok else 400)


# --- Dokument --------------------------------------------------------------------------------


@login_required
def dokument_detail(request, dokument_uuid):
    user = request.user
    dokument = _dokument_or_404(user, dokument_uuid)
    akte = dokument.akte
    versionen = list(
        dokument.versionen.select_related(
            "datei__verarbeitung", "hochgeladen_von", "dokument__akte"
        ).order_by("-nummer")
    )
    services.dokument_angesehen(benutzer=user, dokument=dokument, ip=ip_aus_anfrage(request))
    letzte = versionen[0] if versionen else None
    doppelt = []
    if letzte is not None:
        doppelt = list(
            selectors.gleicher_inhalt_in_akte(akte, letzte.datei.sha256)
            .exclude(dokument=dokument)
            .select_related("dokument__vorgang")[:3]
        )
    darf_schreiben = selectors.darf_schreiben(user, akte)
    context = {
        "dokument": dokument,
        "akte": akte,
        "vorgang": dokument.vorgang,
        "versionen": versionen,
        "letzte": letzte,
        "vorschau": letzte is not None and letzte.datei.mime_typ in VORSCHAU_TYPEN,
        "vorschau_pdf": letzte is not None and letzte.datei.mime_typ == "application/pdf",
        "vorschau_typen": VORSCHAU_TYPEN,
        "doppelt": doppelt,
        "aenderbar": darf_schreiben and not akte.ist_zda and not dokument.vorgang.ist_zda,
        "version_form": VersionForm(),
    }
    return render(request, "akten/dokument.html", context)


def _zum_dokument(dokument):
    return reverse("akten:dokument", kwargs={"dokument_uuid": dokument.uuid})


@login_required
def dokument_bearbeiten(request, dokument_uuid):
    dokument = _dokument_or_404(request.user, dokument_uuid)
    if sperre := _gesperrt(request, dokument.akte, dokument.vorgang):
        return sperre
    form = DokumentForm(request.POST or None, dokument=dokument)
    if request.method == "POST" and form.is_valid():
        if _versuchen(
            form,
            services.dokument_aendern,
            benutzer=request.user,
            dokument=dokument,
            ip=ip_aus_anfrage(request),
            **form.cleaned_data,
        ):
            messages.success(request, "Die Angaben wurden gespeichert.")
            return redirect("akten:dokument", dokument_uuid=dokument.uuid)
    return _formularseite(
        request,
        form,
        titel=f"Dokument „{dokument.titel}“ bearbeiten",
        knopf="Speichern",
        zurueck=_zum_dokument(dokument),
    )


@login_required
def dokument_verschieben(request, dokument_uuid):
    dokument = _dokument_or_404(request.user, dokument_uuid)
    if sperre := _gesperrt(request, dokument.akte, dokument.vorgang):
        return sperre
    form = VerschiebenForm(
        request.POST or None,
        ziele=selectors.verschiebeziele(request.user, dokument),
        akte=dokument.akte,
    )
    if request.method == "POST" and form.is_valid():
        ziel = form.cleaned_data["ziel"]
        if _versuchen(
            form,
            services.dokument_verschieben,
            benutzer=request.user,
            dokument=dokument,
            ziel=ziel,
            ip=ip_aus_anfrage(request),
        ):
            messages.success(
                request, f"Das Dokument liegt jetzt im Vorgang {ziel.vorgangszeichen}."
            )
            return redirect("akten:dokument", dokument_uuid=dokument.uuid)
    return _formularseite(
        request,
        form,
        titel=f"Dokument „{dokument.titel}“ verschieben",
        knopf="Verschieben",
        zurueck=_zum_dokument(dokument),
        hinweis=f"Liegt jetzt im Vorgang {dokument.vorgang.vorgangszeichen}.",
    )


@login_required
@require_POST
def version_neu(request, dokument_uuid):
    dokument = _dokument_or_404(request.user, dokument_uuid)
    if sperre := _gesperrt(request, dokument.akte, dokument.vorgang):
        return sperre
    form = VersionForm(request.POST, request.FILES)
    if not form.is_valid():
        for fehler in form.errors.values():
            messages.error(request, " ".join(fehler))
        return redirect("akten:dokument", dokument_uuid=dokument.uuid)
    try:
        version = services.version_hochladen(
            benutzer=request.user,
            dokument=dokument,
            datei=form.cleaned_data["datei"],
            kommentar=form.cleaned_data["kommentar"],
            ip=ip_aus_anfrage(request),
        )
    except ValidationError as fehler:
        messages.error(request, " ".join(fehler.messages))
    else:
        messages.success(request, f"Version {version.nummer} ({version.dateiname}) gespeichert.")
    return redirect("akten:dokument", dokument_uuid=dokument.uuid)


# --- download and preview --------------------------------------------------------------------


def _datei_senden(request, version_uuid, *, vorschau: bool):
    version = get_object_or_404(
        selectors.versionen_fuer(request.user).select_related("datei", "dokument__akte"),
        uuid=version_uuid,
    )
    return auslieferung.ausliefern(request, version, vorschau=vorschau)


@login_required
@auslieferung.seite_bei_fehlender_datei
def version_datei(request, version_uuid):
    return _datei_senden(request, version_uuid, vorschau=False)


@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
@login_required
@auslieferung.seite_bei_fehlender_datei
def version_vorschau(request, version_uuid):
    """Inline for PDFs and images, framed by our own pages only (the Dokument page)."""
    return _datei_senden(request, version_uuid, vorschau=True)
