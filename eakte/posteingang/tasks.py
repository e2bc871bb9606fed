"""Celery beat task (every 30 s, CELERY_BEAT_SCHEDULE): pick up the intake folders."""

from celery import shared_task

from . import abholen as abholen_


@shared_task(name="eakte.posteingang.abholen", ignore_result=True)
def abholen() -> dict:
    bericht = abholen_.abholen()
    return {
        "eingegangen": len(bericht.eingegangen),
        "abgelegt": bericht.abgelegt,
        "abgelehnt": len(bericht.abgelehnt),
    }
