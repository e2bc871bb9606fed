"""The Celery application: queues `default` and `ocr`, configured from Django settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eakte.settings")
# One Tesseract thread per worker process: parallelism comes from worker processes.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

app = Celery("eakte")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
