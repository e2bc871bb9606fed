from celery import shared_task

from . import mail


@shared_task(name="geschaeftsgang.schritt_melden", ignore_result=True)
def schritt_melden(schritt_id: int) -> int:
    """A step became current: e-mail its recipients who want it at once."""
    return mail.schritt_melden(schritt_id=schritt_id)


@shared_task(name="geschaeftsgang.postkorb_zusammenfassen", ignore_result=True)
def postkorb_zusammenfassen() -> int:
    """Daily (Celery beat): one summary e-mail per person who chose the daily digest."""
    return mail.postkorb_zusammenfassen()
