"""The e-mail notice to a person an Akte was shared with (sent by Celery after the share)."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from eakte.kommunen.models import Benutzer

from ..models import Akte


def freigabe_melden(*, akte_id: int, empfaenger_id: int, von_id: int) -> bool:
    """Send the notice; False if the person is gone, inactive, without address, does not want
    it (preference on the Konto page) or the share was withdrawn meanwhile. Runs in the
    system's Bereich (Celery task)."""
    akte = Akte.objects.filter(pk=akte_id).select_related("kommune").first()
    empfaenger = Benutzer.objects.filter(pk=empfaenger_id, is_active=True).first()
    von = Benutzer.objects.filter(pk=von_id).first()
    if akte is None or empfaenger is None or not empfaenger.email:
        return False
    if not empfaenger.freigabe_mail:  # the person's preference (Konto page)
        return False
    if not akte.freigaben.filter(user=empfaenger).exists():
        return False
    adresse = settings.SITE_URL.rstrip("/") + reverse(
        "akten:detail", kwargs={"akte_uuid": akte.uuid}
    )
    send_mail(
        subject=f"eAkte: Akte {akte.aktenzeichen} für Sie freigegeben",
        message=(
            f"Guten Tag {empfaenger.get_full_name() or empfaenger.username},\n\n"
            f"{von.get_full_name() or von.username if von else 'Jemand'} ({akte.kommune.name}) hat "
            f"die Akte {akte.aktenzeichen} „{akte.betreff}“ für Sie freigegeben:\n\n"
            f"{adresse}\n\n"
            "Sie finden sie auch unter „Akten“ → „Für mich freigegeben“ und auf Ihrer "
            "Startseite.\n"
        ),
        from_email=None,
        recipient_list=[empfaenger.email],
    )
    return True
