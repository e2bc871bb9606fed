"""The search page and the search-as-you-type suggestions (htmx). Thin: the selector decides."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors
from .forms import SuchForm

FACETTEN_TITEL = {
    "kommune": "Kommune",
    "aktenplan": "Aktenplan",
    "oe": "Organisationseinheit",
    "typ": "Art",
    "zda": "Akte",
}


def _facettenwerte(request, name: str, werte) -> list[dict]:
    """Each value with the link that selects it (or, if selected, the link that drops it)."""
    gewaehlt = request.GET.get(name, "")
    ergebnis = []
    for wert in werte or []:
        parameter = request.GET.copy()
        parameter.pop("seite", None)
        if wert.wert == gewaehlt:
            parameter.pop(name, None)
        else:
            parameter[name] = wert.wert
        ergebnis.append(
            {
                "titel": wert.titel,
                "anzahl": wert.anzahl,
                "gewaehlt": wert.wert == gewaehlt,
                "link": parameter.urlencode(),
            }
        )
    return ergebnis


@login_required
def suche(request):
    form = SuchForm(request.GET or None)
    ergebnis = None
    if form.is_valid():
        daten = form.cleaned_data
        ergebnis = selectors.dokumente_suchen(
            request.user,
            daten["q"],
            form.filter(),
            sortierung=daten.get("sortierung") or "relevanz",
            seite=daten.get("seite") or 1,
        )
    facetten = []
    if ergebnis is not None:
        facetten = [
            {"titel": titel, "werte": _facettenwerte(request, name, ergebnis.facetten.get(name))}
            for name, titel in FACETTEN_TITEL.items()
        ]
    return render(
        request,
        "suche/ergebnisse.html",
        {
            "form": form,
            "ergebnis": ergebnis,
            "facetten": facetten,
            "suchtext": request.GET.get("q", "")[:500],
            "kopfsuche_text": request.GET.get("q", "")[:500],
        },
    )


@login_required
def vorschlaege(request):
    text = request.GET.get("q", "")
    return render(
        request,
        "suche/_vorschlaege.html",
        {"akten": selectors.akten_vorschlagen(request.user, text), "text": text.strip()},
    )
