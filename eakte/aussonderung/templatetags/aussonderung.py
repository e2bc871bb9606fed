"""`{% load aussonderung %}{% aussonderung_hinweis akte %}`: the Löschsperre and the
Aussonderung of an Akte, shown on the pages of the records (akten templates load it by name; the
records app does not import this one)."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("aussonderung/_hinweis.html")
def aussonderung_hinweis(akte):
    return {"sperre": selectors.loeschsperre(akte), "vermerk": selectors.vermerk(akte)}
