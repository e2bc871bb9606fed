"""The second factor: local accounts with an admin role confirm a TOTP code (django-otp) before
they reach any page, when their Verbund asks for it. Must come after django-otp's OTPMiddleware."""

from urllib.parse import quote

from django.shortcuts import redirect
from django.urls import reverse

FREI = ("/anmelden/", "/abmelden/", "/static/", "/api/", "/konto/zweiter-faktor/")


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
                ziel = quote(request.get_full_path())
                return redirect(f"{reverse('identitaet:zweiter_faktor')}?next={ziel}")
        return self.get_response(request)
