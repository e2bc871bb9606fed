import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from eakte.common.akteur import akteur_aus
from eakte.common.forms import fehler_ins_formular
from eakte.common.regeln import pruefen
from eakte.kommunen import selectors as kommunen_selectors
from eakte.konten.views import AnmeldenView as LokaleAnmeldung

from . import selectors, services
from .forms import CodeForm, QuelleForm, RichtlinieForm, ZuordnungForm
from .models import Quellenart
from .verzeichnis import Verzeichnisfehler, abgleichen

WIEDERHERSTELLUNGSCODES = 10


def ziel_nach_anmeldung(request, ziel: str) -> str:
    """A person without any role lands on the page that says whom to ask."""
    user = request.user
    if user.is_authenticated and not user.rollen:
        return "/anmelden/keine-rolle/"
    return ziel


class AnmeldenView(LokaleAnmeldung):
    """Login name and password (local or `name@kommune` for the Kommune's directory), and a
    button per Kommune that signs in through OpenID Connect."""

    template_name = "identitaet/anmelden.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_kommunen"] = selectors.oidc_kommunen()
        return context

    def form_invalid(self, form):
        fehler = getattr(self.request, "eakte_verzeichnisfehler", "")
        if fehler:
            form.errors.clear()
            form.add_error(
                None,
                f"Die Anmeldung über das Verzeichnis Ihrer Kommune ist gerade nicht möglich "
                f"({fehler}) Bitte versuchen Sie es später noch einmal oder wenden Sie sich an "
                f"die IT. Notfallzugänge mit lokalem Passwort funktionieren weiter.",
            )
        return super().form_invalid(form)

    def get_success_url(self):
        return ziel_nach_anmeldung(self.request, super().get_success_url())


@login_required
def keine_rolle(request):
    return render(
        request,
        "identitaet/keine_rolle.html",
        {"ansprechpersonen": selectors.ansprechpersonen(request.user)},
    )


def _kommune(request, slug):
    kommune = get_object_or_404(kommunen_selectors.kommunen_uebersicht(request.user), slug=slug)
    pruefen(
        request.user,
        "identitaet.quelle_verwalten",
        kommune,
        meldung="Nur Kommunen-Admins und Verbund-Admins richten die Anmeldung ein.",
    )
    return kommune


@login_required
def quelle_bearbeiten(request, slug):
    kommune = _kommune(request, slug)
    quelle = services.quelle_von(kommune)
    form = QuelleForm(request.POST or None, instance=quelle)
    if request.method == "POST" and form.is_valid():
        daten = {f: form.cleaned_data[f] for f in services.EINSTELLBARE_FELDER}
        try:
            services.quelle_speichern(
                akteur=akteur_aus(request),
                kommune=kommune,
                daten=daten,
                geheimnisse=form.geheimnisse(),
            )
        except ValidationError as fehler:
            fehler_ins_formular(form, fehler)
        else:
            messages.success(request, "Die Anmeldung der Kommune ist gespeichert.")
            return redirect("identitaet:quelle", slug=kommune.slug)
    context = {
        "kommune": kommune,
        "form": form,
        "quelle": quelle,
        "hat_bind_geheimnis": bool(quelle.ldap_bind_geheimnis),
        "hat_client_geheimnis": bool(quelle.oidc_client_geheimnis),
        "zuordnungen": selectors.zuordnungen_fuer(request.user, kommune),
        "zuordnung_form": ZuordnungForm(kommune=kommune),
        "notfallzugaenge": selectors.notfallzugaenge_fuer(request.user, kommune),
        "ist_ldap": quelle.art == Quellenart.LDAP,
    }
    return render(request, "identitaet/quelle.html", context)


@login_required
@require_POST
def zuordnung_neu(request, slug):
    kommune = _kommune(request, slug)
    form = ZuordnungForm(request.POST, kommune=kommune)
    if form.is_valid():
        try:
            services.zuordnung_anlegen(
                akteur=akteur_aus(request),
                kommune=kommune,
                gruppe=form.cleaned_data["gruppe"],
                rolle=form.cleaned_data["rolle"],
                organisationseinheit=form.cleaned_data["organisationseinheit"],
            )
        except ValidationError as fehler:
            for text in fehler.messages:
                messages.error(request, text)
        else:
            messages.success(request, "Die Gruppenzuordnung ist angelegt.")
    else:
        for fehlerliste in form.errors.values():
            for text in fehlerliste:
                messages.error(request, text)
    return redirect("identitaet:quelle", slug=kommune.slug)


@login_required
@require_POST
def zuordnung_loeschen(request, slug, uuid):
    kommune = _kommune(request, slug)
    zuordnung = get_object_or_404(selectors.zuordnungen_fuer(request.user, kommune), uuid=uuid)
    services.zuordnung_loeschen(akteur=akteur_aus(request), zuordnung=zuordnung)
    messages.success(request, "Die Gruppenzuordnung ist entfernt.")
    return redirect("identitaet:quelle", slug=kommune.slug)


@login_required
@require_POST
def jetzt_abgleichen(request, slug):
    kommune = _kommune(request, slug)
    quelle = services.quelle_von(kommune)
    if quelle.art != Quellenart.LDAP:
        messages.error(request, "Diese Kommune hat kein Verzeichnis zum Abgleichen.")
        return redirect("identitaet:quelle", slug=kommune.slug)
    try:
        ergebnis = abgleichen(quelle)
    except Verzeichnisfehler as fehler:
        messages.error(request, f"Der Abgleich war nicht möglich: {fehler}")
    else:
        messages.success(
            request,
            f"Abgleich fertig: {ergebnis['abgeglichen']} Personen abgeglichen, "
            f"{ergebnis['deaktiviert']} deaktiviert.",
        )
    return redirect("identitaet:quelle", slug=kommune.slug)


@login_required
def anmelderichtlinie(request):
    """The Verbund's sign-in rule: second factor for the admin roles (Verbund-Admins)."""
    pruefen(
        request.user,
        "kommunen.verbund_verwalten",
        meldung="Nur Verbund-Admins ändern die Anmelderichtlinie.",
    )
    form = RichtlinieForm(
        request.POST or None,
        initial={"zwei_faktor_fuer_admins": services.zwei_faktor_gefordert(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        services.anmelderichtlinie_setzen(
            akteur=akteur_aus(request),
            zwei_faktor_fuer_admins=form.cleaned_data["zwei_faktor_fuer_admins"],
        )
        messages.success(request, "Die Anmelderichtlinie ist gespeichert.")
        return redirect("identitaet:richtlinie")
    return render(request, "identitaet/richtlinie.html", {"form": form})


# --- second factor -----------------------------------------------------------------------------


def _weiter(request) -> str:
    ziel = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(ziel, allowed_hosts={request.get_host()}):
        return "/"
    return ziel


@login_required
def zweiter_faktor(request):
    """Asks the TOTP code (or a recovery code) after the password."""
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(f"/konto/zweiter-faktor/?next={_weiter(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        geraet = match_token(request.user, form.cleaned_data["code"].replace(" ", ""))
        if geraet is not None:
            otp_login(request, geraet)
            return redirect(_weiter(request))
        form.add_error("code", "Dieser Code stimmt nicht. Bitte versuchen Sie es noch einmal.")
    return render(
        request, "identitaet/zweiter_faktor.html", {"form": form, "next": _weiter(request)}
    )


def _unbestaetigtes_geraet(user) -> TOTPDevice:
    geraet = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return geraet or TOTPDevice.objects.create(user=user, name="Authenticator-App", confirmed=False)


@login_required
def zweiter_faktor_einrichten(request):
    """Set up the authenticator app: key (and QR code), confirm with one code, get recovery codes
    (shown once)."""
    codes = request.session.pop("eakte_wiederherstellungscodes", None)
    if codes:
        return render(request, "identitaet/wiederherstellungscodes.html", {"codes": codes})
    eingerichtet = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    if eingerichtet and not request.user.is_verified():
        return redirect(f"/anmelden/zweiter-faktor/?next={_weiter(request)}")
    geraet = None if eingerichtet else _unbestaetigtes_geraet(request.user)
    form = CodeForm(request.POST or None)
    if geraet is not None and request.method == "POST" and form.is_valid():
        if geraet.verify_token(form.cleaned_data["code"].replace(" ", "")):
            geraet.confirmed = True
            geraet.save()
            otp_login(request, geraet)
            request.session["eakte_wiederherstellungscodes"] = _neue_codes(request.user)
            messages.success(request, "Der zweite Faktor ist eingerichtet.")
            return redirect(f"/konto/zweiter-faktor/?next={_weiter(request)}")
        form.add_error("code", "Dieser Code stimmt nicht. Bitte prüfen Sie die Uhrzeit der App.")
    kontext = {
        "form": form,
        "geraet": geraet,
        "schluessel": _base32(geraet) if geraet else "",
        "eingerichtet": eingerichtet,
        "next": _weiter(request),
    }
    return render(request, "identitaet/zweiter_faktor_einrichten.html", kontext)


def _base32(geraet: TOTPDevice) -> str:
    import base64

    return base64.b32encode(geraet.bin_key).decode().rstrip("=")


def _neue_codes(user) -> list[str]:
    statisch, _ = StaticDevice.objects.get_or_create(user=user, name="Wiederherstellungscodes")
    statisch.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(WIEDERHERSTELLUNGSCODES)]
    for code in codes:
        statisch.token_set.create(token=code)
    return codes


@login_required
@require_POST
def codes_erneuern(request):
    """New recovery codes (the old ones stop working); only after the code was confirmed."""
    if not request.user.is_verified():
        return redirect("identitaet:zweiter_faktor")
    request.session["eakte_wiederherstellungscodes"] = _neue_codes(request.user)
    return redirect("identitaet:einrichten")


@login_required
def zweiter_faktor_qr(request):
    geraet = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if geraet is None:
        return HttpResponse(status=404)
    svg = segno.make(geraet.config_url, error="m").svg_inline(scale=4)
    return HttpResponse(svg, content_type="image/svg+xml")
