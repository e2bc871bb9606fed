from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from eakte.common.regeln import darf

from . import selectors


@never_cache
def gesundheit(request):
    """Liveness for load balancers: says nothing but whether the database answers."""
    if selectors.datenbank_erreichbar():
        return HttpResponse("ok", content_type="text/plain")
    return HttpResponse("Datenbank nicht erreichbar", status=503, content_type="text/plain")


@never_cache
def lebt(request):
    """/health/live: the process answers (no database, nothing else)."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def bereit(request):
    """/health/ready: database, Redis and file store answer (503 if not); worker count and queue
    lengths for the operators. No names, versions or data of any Kommune."""
    ok, pruefungen = selectors.bereitschaft()
    return JsonResponse(
        {"status": "bereit" if ok else "nicht bereit", **pruefungen}, status=200 if ok else 503
    )


@login_required
def status(request):
    if not darf(request.user, "system.status_sehen"):
        raise Http404
    return render(request, "system/status.html", {"pruefungen": selectors.systemstatus()})
