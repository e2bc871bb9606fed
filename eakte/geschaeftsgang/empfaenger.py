"""Receivers of the records' signals (akten.signale): akten does not import this app."""

import uuid

from django.template.loader import render_to_string

from . import selectors, services


def zda_pruefen(sender, *, akte, vorgang=None, **kwargs) -> None:
    services.offene_geschaeftsgaenge_pruefen(akte, vorgang)


def geschaeftsgangvermerk(sender, *, request, vorgang, **kwargs) -> str:
    """The Geschäftsgangvermerk and the form to start a route, on the Vorgang page."""
    from .forms import StartForm

    user = request.user
    gaenge = list(selectors.geschaeftsgaenge_des_vorgangs(vorgang))
    # "Geschäftsgang starten" on a Dokument page links here with ?dokument=<uuid>
    gewaehlt = _uuid(request.GET.get("dokument"))
    dokument = vorgang.dokumente.filter(uuid=gewaehlt).first() if gewaehlt else None
    kontext = {
        "vorgang": vorgang,
        "gaenge": gaenge,
        "start_form": StartForm(
            user=user, vorgang=vorgang, initial={"dokument": dokument.pk if dokument else None}
        ),
    }
    return render_to_string("geschaeftsgang/_vermerk.html", kontext, request=request)


def _uuid(text) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(text))
    except ValueError:
        return None
