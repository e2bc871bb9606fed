from django.db import models


class WorkerHeartbeat(models.Model):
    """The last sign of life of each Celery worker, written by a periodic task from Celery beat."""

    worker = models.CharField("Worker", max_length=200, unique=True)
    zuletzt = models.DateTimeField("zuletzt gemeldet")

    class Meta:
        verbose_name = "Lebenszeichen eines Workers"
        verbose_name_plural = "Lebenszeichen der Worker"
        ordering = ["-zuletzt"]

    def __str__(self) -> str:
        return self.worker
