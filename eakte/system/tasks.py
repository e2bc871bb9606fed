from celery import shared_task

from . import services


@shared_task(name="eakte.system.heartbeat", bind=True, ignore_result=True)
def heartbeat(self) -> None:
    services.heartbeat_speichern(worker=self.request.hostname or "unbekannt")
