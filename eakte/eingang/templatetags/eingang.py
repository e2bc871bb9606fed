"""`{% antrag_zum_vorgang vorgang as antrag %}`: the online application a Vorgang came from (if
the person may see it), for the Vorgang page of the records. A template of the lower app akten
loads this tag; akten's Python code does not import eingang."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def antrag_zum_vorgang(context, vorgang):
    anfrage = context.get("request")
    if anfrage is None or vorgang is None:
        return None
    return selectors.antrag_zum_vorgang(anfrage.user, vorgang)


@register.simple_tag
def antwortkennung(vorgang):
    """`{% antwortkennung vorgang as kennung %}` on the Vorgang page (shown to whoever sees it)."""
    return selectors.antwortkennung_zeigen(vorgang) if vorgang is not None else None
