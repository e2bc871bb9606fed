"""`{% load aussonderung %}{% aussonderung_hinweis akte %}`: the Löschsperre (who set it, when)
and the Aussonderung of an Akte (Akte.verbleib_text), shown on the pages of the records (akten
templates load it by name; the records app does not import this one). One query, only for
an Akte under Löschsperre."""

from types import SimpleNamespace

from django import template
from django.db.models import OuterRef, Subquery

from eakte.akten.models import Akte

from ..models import Loeschsperre

register = template.Library()


@register.inclusion_tag("aussonderung/_hinweis.html")
def aussonderung_hinweis(akte):
    if not akte.loeschsperre_grund:
        # the Akte carries the reason of an active hold (kept in step by the services): no
        # query for the many Akten without one
        return {"sperre": None, "akte": akte}
    sperre = Loeschsperre.objects.filter(akte=OuterRef("pk"), aufgehoben_am__isnull=True)
    zeile = (
        Akte.objects.filter(pk=akte.pk)
        .annotate(
            sperre_grund=Subquery(sperre.values("grund")[:1]),
            sperre_am=Subquery(sperre.values("gesetzt_am")[:1]),
            sperre_von=Subquery(sperre.values("gesetzt_von__username")[:1]),
        )
        .values("sperre_grund", "sperre_am", "sperre_von")
        .first()
    ) or {}
    return {
        "sperre": zeile.get("sperre_grund")
        and SimpleNamespace(
            grund=zeile["sperre_grund"],
            gesetzt_am=zeile["sperre_am"],
            gesetzt_von=zeile["sperre_von"],
        ),
        "akte": akte,  # its Verbleib ("archiviert am … (an …)") is on the Akte itself
    }
