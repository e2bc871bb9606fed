"""Thin Celery tasks of the Aussonderung (beat: monthly reminder)."""

from celery import shared_task

from . import erinnerung


@shared_task(name="eakte.aussonderung.erinnern", ignore_result=True)
def erinnern() -> int:
    return erinnerung.erinnern()
