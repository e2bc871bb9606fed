from celery import shared_task
from django.utils import timezone

from .services import freigabe_mail, wiedervorlage_mail


@shared_task(name="eakte.akten.wiedervorlagen_melden", ignore_result=True)
def wiedervorlagen_melden() -> int:
    """Daily (Celery beat, 6:30): one e-mail per person about their due Wiedervorlagen."""
    return wiedervorlage_mail.wiedervorlagen_melden(stichtag=timezone.localdate())


@shared_task(name="eakte.akten.freigabe_melden", ignore_result=True)
def freigabe_melden(akte_id: int, empfaenger_id: int, von_id: int) -> bool:
    """The e-mail notice of a new share."""
    return freigabe_mail.freigabe_melden(
        akte_id=akte_id, empfaenger_id=empfaenger_id, von_id=von_id
    )
