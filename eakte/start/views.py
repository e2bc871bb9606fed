from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from eakte.akten import selectors as akten_selectors
from eakte.geschaeftsgang import selectors as geschaeftsgang_selectors
from eakte.kommunen.rollen import ROLLEN_BESCHREIBUNG, Rolle
from schulung import selectors as schulung_selectors

WIEDERVORLAGEN_MAX = 20
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
        "schulungen": schulung_selectors.meine_anmeldungen(user)
        .filter(termin__ende__gte=timezone.now())
        .select_related("termin__schulung")
        .order_by("termin__beginn")[:SCHULUNGEN_MAX],
    }
    return render(request, "start/startseite.html", context)
