"""API rate limits (DRF throttles): one budget per person signed in by session, one per API key.

The rates come from the settings `API_DROSSEL_PERSON` / `API_DROSSEL_SCHLUESSEL` (e.g. "600/min")
and are read for each request, not when the class is defined (DRF's default), so a change of the
settings (and override_settings in tests) applies at once. The counters live in the project's
cache (Redis), shared by all web processes.
"""

import math

from django.conf import settings
from rest_framework.exceptions import ErrorDetail, Throttled
from rest_framework.throttling import SimpleRateThrottle


def _ist_api_schluessel(request) -> bool:
    from eakte.konten.models import ApiSchluessel

    return isinstance(getattr(request, "auth", None), ApiSchluessel)


class _Drossel(SimpleRateThrottle):
    einstellung = ""

    def get_rate(self):
        return getattr(settings, self.einstellung)


class PersonDrossel(_Drossel):
    """Per person, for requests signed in by the browser session."""

    scope = "person"
    einstellung = "API_DROSSEL_PERSON"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated or _ist_api_schluessel(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class SchluesselDrossel(_Drossel):
    """Per API key (a script of a Fachverfahren gets its own budget beside the person's)."""

    scope = "api-schluessel"
    einstellung = "API_DROSSEL_SCHLUESSEL"

    def get_cache_key(self, request, view):
        if not _ist_api_schluessel(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


def gedrosselt(exc: Throttled) -> Throttled:
    """The 429 in German; DRF adds the Retry-After header from `wait`."""
    if exc.wait is None:
        text = "Zu viele Anfragen. Bitte später erneut versuchen."
    else:
        text = (
            f"Zu viele Anfragen. Bitte in {max(1, math.ceil(exc.wait))} Sekunden erneut versuchen."
        )
    exc.detail = ErrorDetail(text, code="throttled")
    return exc
