from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from eakte.common.mandantenbereich import systembereich

from . import services


@shared_task(name="eakte.cockpit.verdichten")
def verdichten(tage_zurueck: int = 1) -> int:
    """Beat job: yesterday's roll-up (and today's so far); idempotent, safe to run again."""
    heute = timezone.localdate()
    with systembereich("Cockpit: Tagesstände verdichten"):
        anzahl = 0
        for i in range(tage_zurueck, -1, -1):
            anzahl += services.tag_verdichten(tag=heute - timedelta(days=i))
        return anzahl
