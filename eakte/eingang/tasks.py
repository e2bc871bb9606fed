"""Delivering the Rückmeldungen (webhooks) to the platforms, retried with exponential backoff."""

from celery import shared_task

from . import zustellung


@shared_task(
    name="eakte.eingang.rueckmeldung_zustellen",
    bind=True,
    ignore_result=True,
    max_retries=None,
)
def rueckmeldung_zustellen(self, rueckmeldung_id: int) -> None:
    erneut_in = zustellung.zustellen(rueckmeldung_id)
    if erneut_in is not None:
        raise self.retry(countdown=erneut_in)


@shared_task(name="eakte.eingang.postfaecher_abrufen", ignore_result=True)
def postfaecher_abrufen() -> dict:
    from . import mail_abruf

    return mail_abruf.alle_abrufen()


@shared_task(name="eakte.eingang.zustellpunkte_abholen", ignore_result=True)
def zustellpunkte_abholen() -> dict:
    from . import fitconnect

    return fitconnect.alle_abholen()
