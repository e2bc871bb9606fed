"""Receivers of the signals of akten and the Geschäftsgang (connected in SignaturConfig.ready)."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from . import selectors, services


def signieren(sender, *, akteur, version, person, **kwargs) -> str:
    """At Schlusszeichnung with "elektronisch signieren": sign, return the Vermerk text."""
    signierung = services.version_signieren_ungeprueft(
        akteur=akteur, version=version, person=person
    )
    am = date_format(timezone.localtime(signierung.signiert_am), "d.m.Y H:i")
    return (
        f"elektronisch signiert von {services._name(person)} am {am} "
        f"(Version {signierung.signiert.nummer}, Zertifikat {signierung.zertifikat_inhaber})"
    )


def signaturen_zeigen(sender, *, request, dokument, versionen, **kwargs) -> str:
    """The Dokument page: who signed electronically, and each PDF Version's signatures."""
    befunde = services.befunde_der_versionen(versionen)
    zeilen = [
        {"version": version, "befunde": befunde[version.pk]}
        for version in versionen
        if befunde.get(version.pk)
    ]
    signierungen = list(selectors.signierungen_von(dokument))
    if not zeilen and not signierungen:
        return ""
    return render_to_string(
        "signatur/_dokument.html",
        {"zeilen": zeilen, "signierungen": signierungen},
        request=request,
    )
