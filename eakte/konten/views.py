from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from eakte.common.akteur import Akteur, akteur_aus, client_adresse
from eakte.kommunen.selectors import benutzer_profil

from . import services
from .models import ApiSchluessel


class AnmeldenView(auth_views.LoginView):
    template_name = "konten/anmelden.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_hinweis"] = settings.DEBUG
        return context


class PasswortAendernView(auth_views.PasswordChangeView):
    template_name = "konten/passwort_aendern.html"
    success_url = reverse_lazy("konten:konto")

    def form_valid(self, form):
        antwort = super().form_valid(form)
        schluessel_weg = services.passwort_geaendert(akteur=akteur_aus(self.request))
        messages.success(
            self.request, "Ihr Passwort wurde geändert." + _SCHLUESSEL_WEG * schluessel_weg
        )
        return antwort


_SCHLUESSEL_WEG = " Ihr API-Schlüssel wurde dabei gelöscht; bei Bedarf erzeugen Sie einen neuen."


class PasswortSetzenView(auth_views.PasswordResetConfirmView):
    """The link from the administrator's e-mail: the person sets their password (not signed in)."""

    template_name = "konten/passwort_setzen.html"
    success_url = "/anmelden/"
    post_reset_login = False

    def form_valid(self, form):
        antwort = super().form_valid(form)
        akteur = Akteur.person(form.user, ip=client_adresse(self.request))
        schluessel_weg = services.passwort_geaendert(akteur=akteur)
        messages.success(
            self.request,
            "Ihr Passwort ist festgelegt. Bitte melden Sie sich an."
            + _SCHLUESSEL_WEG * schluessel_weg,
        )
        return antwort


@login_required
def konto(request):
    context = {
        "profil": benutzer_profil(request.user),
        "hat_token": ApiSchluessel.objects.filter(benutzer=request.user).exists(),
        "neuer_token": request.session.pop("neuer_api_token", None),
    }
    return render(request, "konten/konto.html", context)


@login_required
@require_POST
def api_token_erneuern(request):
    # The token is shown exactly once, on the page we redirect to.
    request.session["neuer_api_token"] = services.api_schluessel_erneuern(
        akteur=akteur_aus(request)
    )
    messages.success(request, "Ein neuer API-Schlüssel wurde erzeugt. Der alte gilt nicht mehr.")
    return redirect("konten:konto")


@login_required
@require_POST
def api_token_loeschen(request):
    services.api_schluessel_loeschen(akteur=akteur_aus(request))
    messages.success(request, "Ihr API-Schlüssel wurde gelöscht.")
    return redirect("konten:konto")
