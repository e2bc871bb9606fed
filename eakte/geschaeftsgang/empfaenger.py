"""Receivers of the records' signals (akten.signale): akten does not import this app."""

from django.template.loader import render_to_string

from . import selectors, services


def zda_pruefen(sender, *, akte, vorgang=None, **kwargs) -> None:
    services.offene_geschaeftsgaenge_pruefen(akte, vorgang)


def geschaeftsgangvermerk(sender, *, request, vorgang, **kwargs) -> str:
    """The Geschäftsgangvermerk and the link to start a route (its own page), on the Vorgang
    page."""
    kontext = {
        "vorgang": vorgang,
        "gaenge": list(selectors.geschaeftsgaenge_des_vorgangs(vorgang)),
    }
    return render_to_string("geschaeftsgang/_vermerk.html", kontext, request=request)
