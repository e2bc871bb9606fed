"""The Kommunen-Admin's page for the signing certificate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from eakte.common.akteur import akteur_aus
from eakte.common.forms import fehler_ins_formular
from eakte.common.regeln import pruefen

from . import selectors, services
from .forms import ZertifikatForm


@login_required
def zertifikat(request):
    user = request.user
    pruefen(
        user,
        "signatur.zertifikat_verwalten",
        user.kommune,
        meldung="Das Signaturzertifikat hinterlegt der Kommunen-Admin der Kommune.",
    )
    form = ZertifikatForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        datei = form.cleaned_data["pkcs12"]
        try:
            services.zertifikat_hinterlegen(
                akteur=akteur_aus(request),
                kommune=user.kommune,
                pkcs12=datei.read(services.GROESSTE_P12 + 1),
                passphrase=form.cleaned_data.get("passphrase") or "",
            )
        except ValidationError as fehler:
            fehler_ins_formular(form, fehler)
        else:
            messages.success(request, "Das Signaturzertifikat ist hinterlegt.")
            return redirect("signatur:zertifikat")
    kontext = {"zertifikat": selectors.zertifikat_fuer(user), "form": form}
    return render(request, "signatur/zertifikat.html", kontext)
