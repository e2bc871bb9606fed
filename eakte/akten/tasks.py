from celery import shared_task
from django.utils import timezone

from .services import wiedervorlage_mail


@shared_task(name="eakte.akten.wiedervorlagen_melden", ignore_result=True)
def wiedervorlagen_melden() -> int:
    """Daily (Celery beat, 6:30): one e-mail per person about their due Wiedervorlagen."""
    return wiedervorlage_mail.wiedervorlagen_melden(stichtag=timezone.localdate())
