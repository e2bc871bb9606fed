"""Cockpit pages: the Verbund side by side (Verbund-Admin, aggregates only) and one Kommune per
OE (its Kommunen-Admin). Charts are SVG made on the server, each with its data table."""

import calendar
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from eakte.common.csv_export import csv_text
from eakte.common.pdf import text_pdf
from eakte.common.regeln import darf
from eakte.kommunen.models import Kommune

from . import selectors, svg
from .services import GRAMM_JE_BLATT

ANNAHME = (
    "Vermiedenes Papier: jede elektronisch abgelegte Seite zählt als ein Blatt A4 (einseitig), "
    "das nicht gedruckt, kopiert oder abgeheftet werden musste; ein Blatt wiegt "
    f"{GRAMM_JE_BLATT} g."
)


@login_required
def start(request):
    if darf(request.user, "cockpit.verbund_sehen"):
        return redirect("cockpit:verbund")
    if darf(request.user, "cockpit.kommune_sehen", request.user.kommune):
        return redirect("cockpit:kommune", slug=request.user.kommune.slug)
    raise PermissionDenied("Das Cockpit sehen Kommunen-Admins und Verbund-Admins.")


def _zeitraum(request):
    return selectors.zeitraum(
        request.GET.get("von"), request.GET.get("bis"), heute=timezone.localdate()
    )


def _verbund_daten(request):
    if not darf(request.user, "cockpit.verbund_sehen"):
        raise PermissionDenied("Die Übersicht des Verbunds sehen Verbund-Admins.")
    anfang, ende = _zeitraum(request)
    ids = list(selectors.kommunen_fuer_cockpit(request.user).values_list("pk", flat=True))
    return anfang, ende, ids


def _fehlerseite(request, fehler):
    return render(
        request, "cockpit/fehler.html", {"meldung": " ".join(fehler.messages)}, status=400
    )


@login_required
def verbund(request):
    try:
        anfang, ende, ids = _verbund_daten(request)
    except ValidationError as fehler:
        return _fehlerseite(request, fehler)
    zahlen = selectors.kennzahlen_je_kommune(ids, anfang, ende)
    reihen = selectors.wochenreihen(ids, anfang, ende, "seiten_gescannt")
    return render(
        request,
        "cockpit/verbund.html",
        {
            "anfang": anfang,
            "ende": ende,
            "zahlen": zahlen,
            "reihen": reihen,
            "wochenzeilen": [
                (w, [r[i][1] for r in reihen.values()])
                for i, (w, _) in enumerate(next(iter(reihen.values()), []))
            ],
            "linien": svg.linien(
                "Digitalisierte (gescannte und erkannte) Seiten je Woche und Kommune",
                {n: [(w.strftime("%d.%m.%Y"), v) for w, v in r] for n, r in reihen.items()},
            ),
            "balken": svg.balken(
                "Vermiedenes Papier im Zeitraum (kg) je Kommune",
                [(z.name, z.papier_kg) for z in zahlen],
            ),
            "annahme": ANNAHME,
        },
    )


def _csv(name: str, kopf, zeilen) -> HttpResponse:
    antwort = HttpResponse(csv_text(kopf, zeilen), content_type="text/csv; charset=utf-8")
    antwort["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return antwort


KENNZAHLEN_KOPF = [
    "Name",
    "Seiten gescannt",
    "Seiten digital",
    "Dokumente gescannt",
    "Dokumente digital",
    "Blatt Papier vermieden",
    "kg Papier vermieden",
    "Akten angelegt",
    "Vorgänge angelegt",
]


def _kennzahlen_zeile(z):
    s = z.summen
    return [
        z.name,
        s["seiten_gescannt"],
        s["seiten_digital"],
        s["dokumente_gescannt"],
        s["dokumente_digital"],
        z.seiten_gesamt,
        str(z.papier_kg).replace(".", ","),
        s["akten_angelegt"],
        s["vorgaenge_angelegt"],
    ]


@login_required
def verbund_csv(request, zahl):
    try:
        anfang, ende, ids = _verbund_daten(request)
    except ValidationError as fehler:
        return _fehlerseite(request, fehler)
    if zahl == "kennzahlen":
        zahlen = selectors.kennzahlen_je_kommune(ids, anfang, ende)
        kopf = KENNZAHLEN_KOPF + [
            "OEs aktiv (30 Tage) %",
            "aktive Personen (7 Tage)",
            "Kenntnisnahme %",
            "Schulungsteilnahmen",
            "OEs ohne Digitallotse",
            "Aktenplaneinheiten genutzt",
        ]
        zeilen = [
            _kennzahlen_zeile(z)
            + [
                z.oes_aktiv_prozent,
                z.stand.aktive_personen_7_tage if z.stand else "",
                z.kenntnisnahme_prozent,
                z.stand.schulung_teilnahmen if z.stand else "",
                z.stand.oes_ohne_lotse if z.stand else "",
                z.stand.aktenplaneinheiten_genutzt if z.stand else "",
            ]
            for z in zahlen
        ]
    elif zahl in ("seiten_je_woche", "papier_je_woche"):
        feld = "seiten_gescannt" if zahl == "seiten_je_woche" else "seiten_digital"
        reihen = selectors.wochenreihen(ids, anfang, ende, feld)
        kopf = ["Woche ab", *reihen]
        wochen = [w for w, _ in next(iter(reihen.values()), [])]
        zeilen = [
            [w.isoformat(), *(r[i][1] for r in reihen.values())] for i, w in enumerate(wochen)
        ]
    else:
        raise Http404
    return _csv(f"cockpit-verbund-{zahl}-{anfang}-{ende}", kopf, zeilen)


def _kommune(request, slug) -> Kommune:
    kommune = Kommune.objects.filter(slug=slug).first()
    if kommune is None or not darf(request.user, "cockpit.kommune_sehen", kommune):
        raise Http404
    return kommune


@login_required
def kommune(request, slug):
    kommune_ = _kommune(request, slug)
    try:
        anfang, ende = _zeitraum(request)
    except ValidationError as fehler:
        return _fehlerseite(request, fehler)
    oes = selectors.kennzahlen_je_oe(kommune_, anfang, ende)
    gesamt = selectors.kennzahlen_je_kommune([kommune_.pk], anfang, ende)
    reihen = selectors.wochenreihen([kommune_.pk], anfang, ende, "seiten_gescannt")
    heute = timezone.localdate()
    return render(
        request,
        "cockpit/kommune.html",
        {
            "kommune": kommune_,
            "anfang": anfang,
            "ende": ende,
            "oes": oes,
            "gesamt": gesamt[0] if gesamt else None,
            "reihe": next(iter(reihen.values()), []),
            "linien": svg.linien(
                f"Digitalisierte Seiten je Woche – {kommune_.name}",
                {n: [(w.strftime("%d.%m.%Y"), v) for w, v in r] for n, r in reihen.items()},
            ),
            "balken": svg.balken(
                "Abgelegte Seiten im Zeitraum je OE", [(z.name[:14], z.seiten_gesamt) for z in oes]
            ),
            "annahme": ANNAHME,
            "bericht_jahr": heute.year,
            "bericht_monat": heute.month,
        },
    )


@login_required
def kommune_csv(request, slug, zahl):
    kommune_ = _kommune(request, slug)
    try:
        anfang, ende = _zeitraum(request)
    except ValidationError as fehler:
        return _fehlerseite(request, fehler)
    if zahl == "oes":
        oes = selectors.kennzahlen_je_oe(kommune_, anfang, ende)
        zeilen = [_kennzahlen_zeile(z) + ["ja" if z.oes_aktiv else "nein"] for z in oes]
        kopf = KENNZAHLEN_KOPF + ["aktiv (30 Tage)"]
    elif zahl == "seiten_je_woche":
        reihe = next(
            iter(selectors.wochenreihen([kommune_.pk], anfang, ende, "seiten_gescannt").values()),
            [],
        )
        kopf, zeilen = ["Woche ab", "Seiten gescannt"], [[w.isoformat(), v] for w, v in reihe]
    else:
        raise Http404
    return _csv(f"cockpit-{kommune_.slug}-{zahl}-{anfang}-{ende}", kopf, zeilen)


MONATE = [
    "",
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]


@login_required
def bericht(request, slug, jahr, monat):
    """A one-page monthly report of the Kommune for the council (PDF)."""
    kommune_ = _kommune(request, slug)
    if not (1 <= monat <= 12 and 2000 <= jahr <= 2100):
        raise Http404
    anfang = date(jahr, monat, 1)
    ende = date(jahr, monat, calendar.monthrange(jahr, monat)[1])
    gesamt = selectors.kennzahlen_je_kommune([kommune_.pk], anfang, ende)
    z = gesamt[0]
    s, stand = z.summen, z.stand
    zeilen = [
        f"Digitalisierungsbericht {MONATE[monat]} {jahr}",
        f"{kommune_.name}",
        "",
        f"Digitalisierte Seiten (gescannt und erkannt): {s['seiten_gescannt']}",
        f"Digital entstandene Seiten: {s['seiten_digital']}",
        f"Dokumente gescannt / digital entstanden: {s['dokumente_gescannt']} / "
        f"{s['dokumente_digital']}",
        f"Vermiedenes Papier: {z.seiten_gesamt} Blatt, {str(z.papier_kg).replace('.', ',')} kg",
        f"Akten angelegt: {s['akten_angelegt']}    Vorgänge angelegt: {s['vorgaenge_angelegt']}",
    ]
    if stand:
        zeilen += [
            f"OEs mit Ablage in den letzten 30 Tagen: {z.oes_aktiv} von {stand.oes_gesamt}",
            f"Aktive Personen (7 Tage bis Monatsende): {stand.aktive_personen_7_tage}",
            f"Kenntnisnahme der Dienstanweisungen: "
            f"{z.kenntnisnahme_prozent if z.kenntnisnahme_prozent is not None else '–'} %",
            f"Schulungsteilnahmen (bisher): {stand.schulung_teilnahmen}",
            f"OEs ohne Digitallotse: {stand.oes_ohne_lotse}",
            f"Genutzte Aktenplaneinheiten: {stand.aktenplaneinheiten_genutzt}",
        ]
    zeilen += ["", ANNAHME[:95], ANNAHME[95:], "", f"Erstellt am {timezone.localdate():%d.%m.%Y}."]
    pdf = text_pdf(zeilen, titel=f"Digitalisierungsbericht {kommune_.name} {monat:02d}/{jahr}")
    antwort = HttpResponse(pdf, content_type="application/pdf")
    antwort["Content-Disposition"] = (
        f'attachment; filename="Digitalisierungsbericht-{kommune_.slug}-{jahr}-{monat:02d}.pdf"'
    )
    return antwort
