from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from eakte.akten import selectors as akten_selectors
from eakte.geschaeftsgang import selectors as geschaeftsgang_selectors
from eakte.kommunen.rollen import ROLLEN_BESCHREIBUNG, Rolle
from schulung import selectors as schulung_selectors

WIEDERVORLAGEN_MAX = 20
DEMNAECHST_TAGE = 14
SCHULUNGEN_MAX = 5
POSTKORB_MAX = 10


@login_required
def startseite(request):
    user = request.user
    context = {
        "rollen": [(rolle, ROLLEN_BESCHREIBUNG[rolle]) for rolle in Rolle if rolle in user.rollen],
        "zu_bestaetigen": schulung_selectors.zu_bestaetigen(user),
        "wiedervorlagen": akten_selectors.faellige_wiedervorlagen(
            user, stichtag=timezone.localdate()
        )[:WIEDERVORLAGEN_MAX],
        "postkorb": list(geschaeftsgang_selectors.postkorb_liste(user)[:POSTKORB_MAX]),
        "postkorb_anzahl": geschaeftsgang_selectors.postkorb_anzahl(user),
        # the next 14 days, so that nothing comes as a surprise
        "demnaechst": akten_selectors.wiedervorlagen_fuer(user)
        .filter(
            datum__gt=timezone.localdate(),
            datum__lte=timezone.localdate() + timedelta(days=DEMNAECHST_TAGE),
        )
        .order_by("datum", "id")[:WIEDERVORLAGEN_MAX],
        "demnaechst_tage": DEMNAECHST_TAGE,
        "neu_freigegeben": akten_selectors.neu_freigegeben(
            user, seit=timezone.now() - timedelta(days=DEMNAECHST_TAGE)
        )[:WIEDERVORLAGEN_MAX],
        "schulungen": schulung_selectors.meine_anmeldungen(user)
        .filter(termin__ende__gte=timezone.now())
        .select_related("termin__schulung")
        .order_by("termin__beginn")[:SCHULUNGEN_MAX],
    }
    return render(request, "start/startseite.html", context)


def hilfe(request):
    """Short guides per role and per area; each page links to its area (#akten, #aktenplan …)."""
    eigene = set(request.user.rollen) if request.user.is_authenticated else set()
    return render(
        request,
        "start/hilfe.html",
        {"rollen": [(rolle, ROLLEN_BESCHREIBUNG[rolle], rolle in eigene) for rolle in Rolle]},
    )


def barrierefreiheit(request):
    """The Barrierefreiheitserklärung (BITV 2.0), public like the login page."""
    return render(
        request,
        "start/barrierefreiheit.html",
        {"kontakt": settings.BARRIEREFREIHEIT_KONTAKT},
    )
