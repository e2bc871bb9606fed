from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import Benutzer


def _link(benutzer: Benutzer, basis_url: str) -> str:
    pfad = reverse(
        "konten:passwort_setzen",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(benutzer.pk)),
            "token": default_token_generator.make_token(benutzer),
        },
    )
    return f"{basis_url.rstrip('/')}{pfad}"


@shared_task(name="eakte.kommunen.einladungen_senden", ignore_result=True)
def einladungen_senden(benutzer_ids: list[int], basis_url: str) -> None:
    """The welcome e-mail of new people (or an invitation sent again)."""
    tage = settings.PASSWORD_RESET_TIMEOUT // 86400
    for benutzer in Benutzer.objects.filter(pk__in=benutzer_ids, is_active=True).select_related(
        "kommune__verbund"
    ):
        if not benutzer.email:
            continue
        send_mail(
            subject=f"Willkommen bei der eAkte {benutzer.kommune.verbund.name}",
            message=(
                f"Guten Tag {benutzer.get_full_name() or benutzer.username},\n\n"
                f"die {benutzer.kommune.name} hat für Sie ein Konto in der eAkte des "
                f"{benutzer.kommune.verbund.name} eingerichtet. Damit führen Sie Ihre Akten "
                "elektronisch, finden den gemeinsamen Aktenplan und die Dienstanweisungen.\n\n"
                f"Ihr Benutzername: {benutzer.username}\n\n"
                "Bitte legen Sie über diesen Link Ihr eigenes Passwort fest:\n\n"
                f"{_link(benutzer, basis_url)}\n\n"
                f"Der Link gilt {tage} Tage und nur einmal. Danach melden Sie sich unter "
                f"{basis_url.rstrip('/')}/anmelden/ mit Ihrem Benutzernamen an; die Hilfe "
                "finden Sie dort unter „Hilfe“.\n\n"
                "Ist der Link abgelaufen, schickt Ihnen die Administration Ihrer Kommune gern "
                "eine neue Einladung.\n"
            ),
            from_email=None,
            recipient_list=[benutzer.email],
        )


@shared_task(name="eakte.kommunen.passwort_link_senden", ignore_result=True)
def passwort_link_senden(benutzer_id: int, basis_url: str) -> None:
    benutzer = Benutzer.objects.filter(pk=benutzer_id, is_active=True).first()
    if benutzer is None or not benutzer.email:
        return
    send_mail(
        subject="eAkte: Passwort festlegen",
        message=(
            f"Guten Tag {benutzer.get_full_name() or benutzer.username},\n\n"
            f"für Ihr Konto „{benutzer.username}“ bei der eAkte können Sie hier ein neues "
            f"Passwort festlegen:\n\n{_link(benutzer, basis_url)}\n\n"
            "Der Link gilt drei Tage und nur einmal. Wenn Sie ihn nicht angefordert haben, "
            "wenden Sie sich bitte an die Administration Ihrer Kommune.\n"
        ),
        from_email=None,
        recipient_list=[benutzer.email],
    )
