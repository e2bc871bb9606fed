"""The Celery application: queues `default` and `ocr`, configured from Django settings."""

import os

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eakte.settings")
# One Tesseract thread per worker process: parallelism comes from worker processes.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


class Aufgabe(Task):
    """Every task runs in the system Bereich, named after the task (eakte.common.mandantenbereich).

    Tasks get ids from the code that sent them, not from a person: the sender already decided
    visibility, and a task of one Kommune (OCR, Posteingang) also writes rows that belong to it
    alone. A task that acts for a person would open that person's Bereich itself.
    """

    def __call__(self, *args, **kwargs):
        from eakte.common.mandantenbereich import systembereich

        with systembereich(f"Aufgabe {self.name}"):
            return super().__call__(*args, **kwargs)


app = Celery("eakte", task_cls=Aufgabe)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from eakte.common.anfrage import celery_anbinden  # noqa: E402 (after the app exists)

celery_anbinden()
