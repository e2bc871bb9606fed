"""The monthly reminder to the Kommunen-Admins: how many Akten are due for Anbietung or
destruction (beat task `eakte.aussonderung.erinnern`, command `aussonderung_faellig --mail`)."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from eakte.common.wortlaut import mit_anzahl
from eakte.kommunen.models import Benutzer, Kommune
from eakte.kommunen.rollen import Rolle

from . import selectors


class _Stellvertretung:
    """Reads the lists of one Kommune the way its admin would (selectors take a person)."""

    def __init__(self, kommune_id: int):
        self.kommune_id = kommune_id


def faellige_je_kommune():
    """[(Kommune, zur Anbietung fällig, zur Vernichtung fällig)] of every Kommune."""
    ergebnis = []
    for kommune in Kommune.objects.order_by("name"):
        person = _Stellvertretung(kommune.pk)
        ergebnis.append(
            (
                kommune,
                selectors.faellige_akten_fuer(person).count(),
                selectors.zu_vernichten_fuer(person).count(),
            )
        )
    return ergebnis


def erinnern() -> int:
    """One mail per Kommune with due Akten to its active Kommunen-Admins; returns mails sent."""
    gesendet = 0
    basis = getattr(settings, "BASIS_URL", "").rstrip("/")
    for kommune, anbieten, vernichten in faellige_je_kommune():
        if not anbieten and not vernichten:
            continue
        empfaenger = list(
            Benutzer.objects.filter(
                kommune=kommune, is_active=True, groups__name=Rolle.KOMMUNEN_ADMIN
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if not empfaenger:
            continue
        send_mail(
            subject=f"eAkte: Aussonderung fällig ({kommune.name})",
            message=(
                f"Guten Tag,\n\nin der E-Akte der {kommune.name} sind "
                f"{mit_anzahl(anbieten, 'Akte', 'Akten')} zur Anbietung an das Archiv und "
                f"{mit_anzahl(vernichten, 'Akte', 'Akten')} zur Vernichtung "
                "fällig.\n\n"
                f"Übersicht: {basis}{reverse('aussonderung:uebersicht')}\n"
            ),
            from_email=None,
            recipient_list=empfaenger,
        )
        gesendet += 1
    return gesendet
