from celery import shared_task

from . import mitteilungen, services


@shared_task(name="schulung.anmeldung_mitteilen", ignore_result=True)
def anmeldung_mitteilen(anmeldung_id: int, anlass: str) -> None:
    """Confirmation, waiting list, moved up or cancelled: one e-mail to one person."""
    mitteilungen.mitteilen(anmeldung_id, anlass)


@shared_task(name="schulung.termine_erinnern", ignore_result=True)
def termine_erinnern() -> int:
    """Daily (beat): remind the people registered for tomorrow's Termine, once each."""
    return services.erinnerungen_senden()
