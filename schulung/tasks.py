"""Celery tasks of the Schulung: thin, they call the services and the mail modules; the
services send them by name (`current_app.send_task`) and never import this module."""

from celery import shared_task

from . import kenntnisnahme_mail, mitteilungen, services


@shared_task(name="schulung.anmeldung_mitteilen", ignore_result=True)
def anmeldung_mitteilen(anmeldung_id: int, anlass: str) -> None:
    """Confirmation, waiting list, moved up or cancelled: one e-mail to one person."""
    mitteilungen.mitteilen(anmeldung_id, anlass)


@shared_task(name="schulung.termine_erinnern", ignore_result=True)
def termine_erinnern() -> int:
    """Daily (beat): remind the people registered for tomorrow's Termine, once each."""
    return services.erinnerungen_senden()


@shared_task(name="schulung.kenntnisnahme_erinnern", ignore_result=True)
def kenntnisnahme_erinnern(fassung_id: int, benutzer_ids: list[int]) -> int:
    """One reminder e-mail per person who has still not confirmed the Fassung."""
    return kenntnisnahme_mail.senden(fassung_id, benutzer_ids)
