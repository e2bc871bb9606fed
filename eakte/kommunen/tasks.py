from celery import shared_task
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import Benutzer


@shared_task(name="eakte.kommunen.passwort_link_senden", ignore_result=True)
def passwort_link_senden(benutzer_id: int, basis_url: str) -> None:
    benutzer = Benutzer.objects.filter(pk=benutzer_id, is_active=True).first()
    if benutzer is None or not benutzer.email:
        return
    pfad = reverse(
        "konten:passwort_setzen",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(benutzer.pk)),
            "token": default_token_generator.make_token(benutzer),
        },
    )
    send_mail(
        subject="eAkte: Passwort festlegen",
        message=(
            f"Guten Tag {benutzer.get_full_name() or benutzer.username},\n\n"
            f"für Ihr Konto „{benutzer.username}“ bei der eAkte können Sie hier ein neues "
            f"Passwort festlegen:\n\n{basis_url.rstrip('/')}{pfad}\n\n"
            "Der Link gilt drei Tage und nur einmal. Wenn Sie ihn nicht angefordert haben, "
            "wenden Sie sich bitte an die Administration Ihrer Kommune.\n"
        ),
        from_email=None,
        recipient_list=[benutzer.email],
    )
