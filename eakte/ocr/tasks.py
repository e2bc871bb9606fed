"""Celery tasks of the OCR pipeline (queue `ocr`, routed by name in settings)."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_ready
from django.db import DatabaseError

from . import services

# Errors worth another try: the database or the file store was briefly unavailable.
VORUEBERGEHEND = (DatabaseError, OSError)


@shared_task(
    name="eakte.ocr.verarbeiten",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=4,
)
def verarbeiten(self, verarbeitung_id: int) -> str:
    try:
        return services.verarbeiten(verarbeitung_id)
    except SoftTimeLimitExceeded:
        services.endgueltig_fehlgeschlagen(verarbeitung_id)
        return "fehler"
    except VORUEBERGEHEND as fehler:
        if self.request.retries >= self.max_retries:
            services.endgueltig_fehlgeschlagen(verarbeitung_id)
            raise
        raise self.retry(exc=fehler, countdown=10 * 2**self.request.retries) from fehler
    except Exception:
        services.endgueltig_fehlgeschlagen(verarbeitung_id)
        raise


@shared_task(
    name="eakte.ocr.anlagen_ablegen",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=4,
)
def anlagen_ablegen(self, verarbeitung_id: int) -> int:
    """File the attachments of a processed e-mail as Dokumente (idempotent, so a retry or a
    delivery after a lost worker files nothing twice)."""
    try:
        return services.anlagen_ablegen(verarbeitung_id)
    except VORUEBERGEHEND as fehler:
        raise self.retry(exc=fehler, countdown=10 * 2**self.request.retries) from fehler


@shared_task(name="eakte.ocr.verwaiste_aufnehmen", ignore_result=True)
def verwaiste_aufnehmen() -> int:
    """Beat, every minute: jobs whose worker is gone are queued again; working folders of
    killed jobs on this machine are removed."""
    services.arbeitsordner_aufraeumen()
    return services.verwaiste_aufnehmen()


@worker_ready.connect
def _beim_start_aufraeumen(**kwargs) -> None:
    """A worker that starts (again, e.g. after being killed) removes what killed jobs left in
    this machine's temporary folder."""
    services.arbeitsordner_aufraeumen()


@shared_task(name="eakte.ocr.liegengebliebene_einreihen")
def liegengebliebene_einreihen() -> int:
    """Beat, every 5 minutes: jobs whose message was never sent or was lost (Redis down)."""
    return services.liegengebliebene_einreihen()
