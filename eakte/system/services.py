from django.utils import timezone

from .models import WorkerHeartbeat


def heartbeat_speichern(*, worker: str) -> WorkerHeartbeat:
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        worker=worker, defaults={"zuletzt": timezone.now()}
    )
    return heartbeat
