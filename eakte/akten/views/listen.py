""" "Meine Akten" and "Für mich freigegeben"."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from eakte.common.regeln import darf

from .. import selectors

SEITENGROESSE = 25


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
    alle = request.GET.get("alle") == "1" and darf(user, "akten.alle_der_kommune_sehen")
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
