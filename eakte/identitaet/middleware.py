"""The second factor: local accounts with an admin role confirm a TOTP code (django-otp) before
they reach any page, when their Verbund asks for it. Must come after django-otp's OTPMiddleware.

The API with a token is not affected (the token is its own credential); the API used with the
browser session of a person who has not confirmed the code answers 403."""

from urllib.parse import quote

from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

FREI = ("/anmelden/", "/abmelden/", "/static/", "/konto/zweiter-faktor/")
MELDUNG = "Bitte bestätigen Sie zuerst den zweiten Faktor (Code der Authenticator-App)."


class ZweiFaktorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(FREI)
            and not user.is_verified()
        ):
            from eakte.common.mandantenbereich import systembereich

            from .services import zwei_faktor_pflicht

            with systembereich("Zweiter Faktor"):
                pflicht = zwei_faktor_pflicht(user)
            if pflicht:
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": MELDUNG}, status=403)
                if request.headers.get("HX-Request"):
                    # a part of a page (e.g. the Postkorb count in the header): htmx swaps
                    # nothing on a 403, while a redirect would put the whole code page into it
                    return HttpResponseForbidden(MELDUNG)
                ziel = quote(request.get_full_path())
                return redirect(f"{reverse('identitaet:zweiter_faktor')}?next={ziel}")
        return self.get_response(request)
