"""Responses to signed-in people are never stored by a browser or proxy cache.

Town halls share office PCs: after the logout, the back button or the browser cache must not show
an Akte, a download or an API answer of the person before. Static files are served by WhiteNoise
before this middleware and keep their long cache lifetime.
"""

from django.utils.cache import add_never_cache_headers


class KeinCacheFuerAngemeldeteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # DRF sets request.user on the Django request once it has authenticated an API key.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
