from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST

from eakte.common.akteur import Akteur, akteur_aus, client_adresse
from eakte.kommunen.selectors import benutzer_profil

from . import services
from .models import ApiSchluessel


class AnmeldeForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Benutzername oder Passwort stimmt nicht. Bitte prüfen Sie beides "
        "(auch die Groß- und Kleinschreibung des Passworts).",
        "inactive": "Dieses Konto ist deaktiviert. Bitte wenden Sie sich an die Administration "
        "Ihrer Kommune.",
    }


class AnmeldenView(auth_views.LoginView):
    template_name = "konten/anmelden.html"
    redirect_authenticated_user = True
    authentication_form = AnmeldeForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # After setting the password (?benutzername=…): the user name is filled in, the cursor
        # waits in the password field.
        benutzername = self.request.GET.get("benutzername", "").strip()[:150]
        if benutzername and not form.is_bound:
            form.initial["username"] = benutzername
            form.fields["username"].widget.attrs.pop("autofocus", None)
            form.fields["password"].widget.attrs["autofocus"] = True
        return form

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
    post_reset_login = False

    def get_success_url(self):
        return reverse("konten:anmelden") + "?" + urlencode({"benutzername": self.user.username})

    def form_valid(self, form):
        antwort = super().form_valid(form)
        akteur = Akteur.person(form.user, ip=client_adresse(self.request))
        schluessel_weg = services.passwort_geaendert(akteur=akteur)
        messages.success(
            self.request,
            f"Ihr Passwort ist festgelegt. Melden Sie sich jetzt als „{form.user.username}“ "
            "mit dem neuen Passwort an." + _SCHLUESSEL_WEG * schluessel_weg,
        )
        return antwort


@login_required
def konto(request):
    context = {
        "profil": benutzer_profil(request.user),
        "hat_token": ApiSchluessel.objects.filter(benutzer=request.user).exists(),
        "neuer_token": request.session.pop("neuer_api_token", None),
        "mitteilungen_form": MitteilungenForm(
            initial={"freigabe_mail": request.user.freigabe_mail}
        ),
    }
    return render(request, "konten/konto.html", context)


class MitteilungenForm(forms.Form):
    freigabe_mail = forms.BooleanField(
        label="E-Mail, wenn eine Akte für mich freigegeben wird", required=False
    )


@login_required
@require_POST
def mitteilungen(request):
    form = MitteilungenForm(request.POST)
    form.is_valid()  # a checkbox: always valid
    services.mitteilungen_einstellen(
        akteur=akteur_aus(request), freigabe_mail=form.cleaned_data["freigabe_mail"]
    )
    messages.success(request, "Ihre Einstellung für E-Mails wurde gespeichert.")
    return redirect("konten:konto")


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
