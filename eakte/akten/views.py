"""Browser views of the records (being built)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def meine(request):
    return HttpResponse("Meine Akten")
