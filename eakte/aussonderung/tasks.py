"""Thin Celery tasks of the Aussonderung (beat: monthly reminder; the 0503 build)."""

from celery import shared_task

from . import erinnerung, services


@shared_task(name="eakte.aussonderung.erinnern", ignore_result=True)
def erinnern() -> int:
    return erinnerung.erinnern()


@shared_task(
    name="eakte.aussonderung.abgabe_bauen",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def abgabe_bauen(prozess_id: int) -> str:
    """Build the 0503 ZIP of a Prozess into the file store (services.abgabe_erstellen sends
    this by name after its commit)."""
    return services.abgabe_bauen(prozess_id)
