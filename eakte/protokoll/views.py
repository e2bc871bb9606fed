"""Browser views of the Protokoll (being built)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def liste(request):
    return HttpResponse("Protokoll")
