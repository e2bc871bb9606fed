"""Browser pages of Aussonderung, Löschung and DSGVO requests. Thin: selectors and services
decide; a refused step shows the service's German message and changes nothing."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from eakte.akten import dateien
from eakte.common.akteur import akteur_aus
from eakte.common.regeln import darf

from . import datenschutz, selectors, services
from .models import Anfrageart, Entscheidung


def _seite(request, regel="aussonderung.seite_sehen"):
    if not darf(request.user, regel):
        raise Http404


def _ausfuehren(request, schritt, erfolg: str) -> bool:
    try:
        schritt()
    except (ValidationError, PermissionDenied) as fehler:
        text = " ".join(getattr(fehler, "messages", None) or [str(fehler)])
        messages.error(request, text)
        return False
    messages.success(request, erfolg)
    return True


def _gewaehlte_akten(request):
    uuids = request.POST.getlist("akten")[:5000]
    try:
        return list(selectors.akten_der_kommune(request.user).filter(uuid__in=uuids))
    except ValidationError:
        return []


@login_required
def uebersicht(request):
    _seite(request)
    user = request.user
    return render(
        request,
        "aussonderung/uebersicht.html",
        {
            "faellige": list(selectors.faellige_akten_fuer(user)[:500]),
            "zu_vernichten": list(selectors.zu_vernichten_fuer(user)[:500]),
            "sperren": list(selectors.gesperrte_akten_fuer(user)[:200]),
            "prozesse": list(selectors.prozesse_fuer(user)[:50]),
            "laeufe": list(selectors.loeschlaeufe_fuer(user)[:50]),
            "archiv": selectors.archiv_fuer(user),
            "darf_verwalten": darf(user, "aussonderung.verwalten"),
            "darf_vorschlagen": darf(user, "aussonderung.loeschung_vorschlagen"),
        },
    )


@login_required
@require_POST
def anbieten(request):
    _seite(request)
    akten = _gewaehlte_akten(request)
    ergebnis = {}

    def schritt():
        ergebnis["prozess"] = services.anbietung_erstellen(akteur=akteur_aus(request), akten=akten)

    if _ausfuehren(request, schritt, "Anbieteverzeichnis (0501) erstellt."):
        return redirect("aussonderung:prozess", prozess_uuid=ergebnis["prozess"].uuid)
    return redirect("aussonderung:uebersicht")


@login_required
def archiv(request):
    _seite(request, "aussonderung.verwalten")
    vorhanden = selectors.archiv_fuer(request.user)
    if request.method == "POST":
        ok = _ausfuehren(
            request,
            lambda: services.archiv_einrichten(
                akteur=akteur_aus(request),
                kommune=request.user.kommune,
                name=request.POST.get("name", "")[:300],
                kennung=request.POST.get("kennung", "")[:100],
                kontakt=request.POST.get("kontakt", "")[:300],
                absender_kennung=request.POST.get("absender_kennung", "")[:100],
            ),
            "Archiv gespeichert.",
        )
        if ok:
            return redirect("aussonderung:uebersicht")
    return render(request, "aussonderung/archiv.html", {"archiv": vorhanden})


def _prozess(request, prozess_uuid):
    _seite(request)
    return get_object_or_404(selectors.prozesse_fuer(request.user), uuid=prozess_uuid)


@login_required
def prozess(request, prozess_uuid):
    prozess_ = _prozess(request, prozess_uuid)
    nachrichten = list(prozess_.nachrichten.all())
    return render(
        request,
        "aussonderung/prozess.html",
        {
            "prozess": prozess_,
            "zeilen": list(selectors.prozess_akten(prozess_)),
            "nachrichten": nachrichten,
            "abgabe": next((n for n in nachrichten if n.typ == "0503"), None),
            "entscheidungen": [Entscheidung.ARCHIVIEREN, Entscheidung.VERNICHTEN],
            "darf_verwalten": darf(request.user, "aussonderung.verwalten"),
        },
    )


def _zurueck(prozess_):
    return redirect("aussonderung:prozess", prozess_uuid=prozess_.uuid)


def _hochladen(request, prozess_uuid, service, *, fehlt: str, erfolg: str):
    prozess_ = _prozess(request, prozess_uuid)
    datei = request.FILES.get("datei")
    if datei is None:
        messages.error(request, fehlt)
    else:
        _ausfuehren(
            request,
            lambda: service(akteur=akteur_aus(request), prozess=prozess_, datei=datei),
            erfolg,
        )
    return _zurueck(prozess_)


@login_required
@require_POST
def bewertung_hochladen(request, prozess_uuid):
    return _hochladen(
        request,
        prozess_uuid,
        services.bewertung_importieren,
        fehlt="Bitte die Datei des Bewertungsverzeichnisses (0502) wählen.",
        erfolg="Bewertungsverzeichnis (0502) eingelesen.",
    )


@login_required
@require_POST
def bewertung_setzen(request, prozess_uuid):
    prozess_ = _prozess(request, prozess_uuid)
    akte = (
        selectors.akten_der_kommune(request.user)
        .filter(uuid__in=request.POST.getlist("akte")[:1])
        .first()
    )
    if akte is None:
        raise Http404
    _ausfuehren(
        request,
        lambda: services.bewertung_setzen(
            akteur=akteur_aus(request),
            prozess=prozess_,
            akte=akte,
            entscheidung=request.POST.get("entscheidung", ""),
        ),
        f"Bewertung für {akte.aktenzeichen} gespeichert.",
    )
    return _zurueck(prozess_)


@login_required
@require_POST
def abgabe(request, prozess_uuid):
    prozess_ = _prozess(request, prozess_uuid)
    _ausfuehren(
        request,
        lambda: services.abgabe_erstellen(akteur=akteur_aus(request), prozess=prozess_),
        "Die Aussonderung (0503) wird im Hintergrund erstellt; diese Seite zeigt, sobald die "
        "ZIP-Datei zum Herunterladen bereitsteht.",
    )
    return _zurueck(prozess_)


@login_required
@require_POST
def bestaetigung_hochladen(request, prozess_uuid):
    return _hochladen(
        request,
        prozess_uuid,
        services.bestaetigung_importieren,
        fehlt="Bitte die Datei der Bestätigung (0504–0507) wählen.",
        erfolg="Bestätigung des Archivs eingelesen.",
    )


@login_required
@require_POST
def uebernahme_manuell(request, prozess_uuid):
    prozess_ = _prozess(request, prozess_uuid)
    _ausfuehren(
        request,
        lambda: services.uebernahme_bestaetigen(
            akteur=akteur_aus(request), prozess=prozess_, nachweis=request.FILES.get("nachweis")
        ),
        "Übernahme bestätigt: die Akten sind archiviert, ihre Dateien hier gelöscht.",
    )
    return _zurueck(prozess_)


def _senden(speicherort: str, name: str) -> FileResponse:
    return FileResponse(
        dateien.speicher().open(speicherort, "rb"), as_attachment=True, filename=name
    )


@login_required
def nachricht(request, nachricht_uuid):
    _seite(request)
    eintrag = get_object_or_404(selectors.nachrichten_fuer(request.user), uuid=nachricht_uuid)
    return _senden(eintrag.speicherort, eintrag.dateiname)


# --- Löschung -------------------------------------------------------------------------------


@login_required
@require_POST
def loeschlauf_vorschlagen(request):
    _seite(request)
    akten = _gewaehlte_akten(request)
    ergebnis = {}

    def schritt():
        ergebnis["lauf"] = services.loeschlauf_vorschlagen(
            akteur=akteur_aus(request),
            akten=akten,
            betreff_schwaerzen=request.POST.get("schwaerzen") == "1",
        )

    if _ausfuehren(request, schritt, "Löschlauf vorgeschlagen; eine zweite Person genehmigt."):
        return redirect("aussonderung:loeschlauf", lauf_uuid=ergebnis["lauf"].uuid)
    return redirect("aussonderung:uebersicht")


def _lauf(request, lauf_uuid):
    _seite(request)
    return get_object_or_404(selectors.loeschlaeufe_fuer(request.user), uuid=lauf_uuid)


@login_required
def loeschlauf(request, lauf_uuid):
    lauf = _lauf(request, lauf_uuid)
    return render(
        request,
        "aussonderung/loeschlauf.html",
        {
            "lauf": lauf,
            "akten": list(selectors.lauf_akten(lauf)),
            "vermerke": list(selectors.vermerke_des_laufs(lauf)),
            "darf_genehmigen": darf(request.user, "aussonderung.loeschung_genehmigen", lauf),
        },
    )


@login_required
@require_POST
def loeschlauf_genehmigen(request, lauf_uuid):
    lauf = _lauf(request, lauf_uuid)
    _ausfuehren(
        request,
        lambda: services.loeschlauf_genehmigen(akteur=akteur_aus(request), lauf=lauf),
        "Löschlauf genehmigt und durchgeführt. Das Löschprotokoll ist abgelegt.",
    )
    return redirect("aussonderung:loeschlauf", lauf_uuid=lauf.uuid)


@login_required
def loeschprotokoll(request, lauf_uuid, art):
    lauf = _lauf(request, lauf_uuid)
    ort = lauf.protokoll_pdf if art == "pdf" else lauf.protokoll_csv
    if not ort:
        raise Http404
    return _senden(ort, f"Loeschprotokoll_{lauf.uuid}.{art}")


# --- one Akte: Löschsperre, own A/B/V mark ---------------------------------------------------


@login_required
def akte(request, akte_uuid):
    _seite(request)
    akte_ = get_object_or_404(selectors.akten_der_kommune(request.user), uuid=akte_uuid)
    if request.method == "POST":
        akteur = akteur_aus(request)
        aktion = request.POST.get("aktion")
        grund = request.POST.get("grund", "")[:1000]
        if aktion == "sperren":
            _ausfuehren(
                request,
                lambda: services.loeschsperre_setzen(akteur=akteur, akte=akte_, grund=grund),
                "Löschsperre gesetzt.",
            )
        elif aktion == "entsperren":
            sperre = selectors.loeschsperre(akte_)
            if sperre is None:
                messages.error(request, "Für diese Akte besteht keine Löschsperre.")
            else:
                _ausfuehren(
                    request,
                    lambda: services.loeschsperre_aufheben(akteur=akteur, sperre=sperre),
                    "Löschsperre aufgehoben.",
                )
        elif aktion == "bewerten":
            _ausfuehren(
                request,
                lambda: services.bewertung_vorgeben(
                    akteur=akteur, akte=akte_, art=request.POST.get("art", ""), grund=grund
                ),
                "Aussonderungsart der Akte gespeichert.",
            )
        return redirect("aussonderung:akte", akte_uuid=akte_.uuid)
    return render(
        request,
        "aussonderung/akte.html",
        {
            "akte": akte_,
            "sperre": selectors.loeschsperre(akte_),
            "vermerk": selectors.vermerk(akte_),
            "art": selectors.aussonderungsarten([akte_])[akte_.pk],
            "darf_verwalten": darf(request.user, "aussonderung.verwalten", akte_),
        },
    )


# --- DSGVO requests -------------------------------------------------------------------------


@login_required
def anfragen(request):
    _seite(request, "aussonderung.datenschutz")
    if request.method == "POST":
        ergebnis = {}

        def schritt():
            ergebnis["anfrage"] = datenschutz.anfrage_anlegen(
                akteur=akteur_aus(request),
                art=request.POST.get("art", ""),
                person=request.POST.get("person", "")[:300],
                suchbegriffe=request.POST.get("suchbegriffe", "")[:500],
                eingegangen_am=request.POST.get("eingegangen_am", ""),
            )

        if _ausfuehren(request, schritt, "Anfrage erfasst."):
            return redirect("aussonderung:anfrage", anfrage_uuid=ergebnis["anfrage"].uuid)
    return render(
        request,
        "aussonderung/anfragen.html",
        {
            "anfragen": list(selectors.anfragen_fuer(request.user)[:200]),
            "arten": Anfrageart.choices,
        },
    )


def _anfrage(request, anfrage_uuid):
    _seite(request, "aussonderung.datenschutz")
    return get_object_or_404(selectors.anfragen_fuer(request.user), uuid=anfrage_uuid)


@login_required
def anfrage(request, anfrage_uuid):
    anfrage_ = _anfrage(request, anfrage_uuid)
    treffer = datenschutz.suchen(akteur=akteur_aus(request), anfrage=anfrage_)
    return render(request, "aussonderung/anfrage.html", {"anfrage": anfrage_, "treffer": treffer})


@login_required
@require_POST
def anfrage_beantworten(request, anfrage_uuid):
    anfrage_ = _anfrage(request, anfrage_uuid)
    _ausfuehren(
        request,
        lambda: datenschutz.anfrage_beantworten(akteur=akteur_aus(request), anfrage=anfrage_),
        "Antwortdatum gespeichert.",
    )
    return redirect("aussonderung:anfrage", anfrage_uuid=anfrage_.uuid)


@login_required
@require_POST
def auskunftspaket(request, anfrage_uuid):
    anfrage_ = _anfrage(request, anfrage_uuid)
    uuids = request.POST.getlist("dokumente")[:2000]
    # Deliberately temporary: the Auskunft is not stored; an unnamed file, removed when the
    # response has been sent (tests/betrieb/test_dateien_der_apps.py: no leftovers).
    ziel = tempfile.TemporaryFile()
    try:
        datenschutz.paket_schreiben(
            ziel, akteur=akteur_aus(request), anfrage=anfrage_, dokument_uuids=uuids
        )
    except ValidationError as fehler:
        ziel.close()
        messages.error(request, " ".join(fehler.messages))
        return redirect("aussonderung:anfrage", anfrage_uuid=anfrage_.uuid)
    ziel.seek(0)
    return FileResponse(ziel, as_attachment=True, filename=f"Auskunft_{anfrage_.uuid}.zip")
