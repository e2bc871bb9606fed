from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from . import selectors
from .rollen import Rolle


def _kommune_or_404(user, slug):
    return get_object_or_404(selectors.kommunen_uebersicht(user), slug=slug)


def _darf_benutzer_sehen(user) -> bool:
    return user.hat_rolle(Rolle.KOMMUNEN_ADMIN, Rolle.VERBUND_ADMIN)


@login_required
def kommune_liste(request):
    kommunen = selectors.kommunen_uebersicht(request.user).order_by("name")
    return render(request, "kommunen/liste.html", {"kommunen": kommunen})


@login_required
def kommune_detail(request, slug):
    kommune = _kommune_or_404(request.user, slug)
    context = {
        "kommune": kommune,
        "baum": selectors.oe_baum(viewer=request.user, kommune=kommune),
        "darf_benutzer_sehen": _darf_benutzer_sehen(request.user),
    }
    return render(request, "kommunen/detail.html", context)


@login_required
def benutzer_liste(request, slug):
    kommune = _kommune_or_404(request.user, slug)
    if not _darf_benutzer_sehen(request.user):
        raise PermissionDenied("Nur Kommunen-Admins sehen die Benutzerliste.")
    seite = Paginator(selectors.benutzer_liste(viewer=request.user, kommune=kommune), 50).get_page(
        request.GET.get("seite")
    )
    return render(request, "kommunen/benutzer_liste.html", {"kommune": kommune, "seite": seite})


@login_required
def oe_detail(request, slug, uuid):
    kommune = _kommune_or_404(request.user, slug)
    oe = get_object_or_404(
        selectors.organisationseinheiten_for(request.user).select_related("parent"),
        kommune=kommune,
        uuid=uuid,
    )
    context = {
        "kommune": kommune,
        "oe": oe,
        "untereinheiten": oe.untereinheiten.order_by("name"),
        "mitglieder": selectors.benutzer_for(request.user)
        .filter(organisationseinheiten=oe, is_active=True)
        .order_by("last_name", "first_name"),
    }
    return render(request, "kommunen/oe_detail.html", context)
