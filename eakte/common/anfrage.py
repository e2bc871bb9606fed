"""A request id that follows a request through the logs and into the Celery tasks it sends, and
structured (JSON) log lines when `LOG_FORMAT=json`.

- `AnfrageIdMiddleware` takes a well-formed `X-Request-ID` from the reverse proxy or makes one,
  answers it in the response header and keeps it in a context variable for the request.
- Every log record gets `request_id` (`AnfrageIdFilter`), in the web and in the worker.
- A task sent while a request id is set carries it in the message header `eakte_request_id`
  (Celery's `before_task_publish`); the worker sets it for the task's run (`task_prerun`), so
  the OCR of an upload logs under the id of the upload's request.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

KOPF = "eakte_request_id"
GUELTIG = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

anfrage_id: contextvars.ContextVar[str] = contextvars.ContextVar("anfrage_id", default="")


def aktuelle() -> str:
    return anfrage_id.get()


class AnfrageIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        angegeben = request.headers.get("X-Request-ID", "")
        wert = angegeben if GUELTIG.match(angegeben) else uuid.uuid4().hex
        request.anfrage_id = wert
        marke = anfrage_id.set(wert)
        try:
            antwort = self.get_response(request)
        finally:
            anfrage_id.reset(marke)
        antwort["X-Request-ID"] = wert
        return antwort


class AnfrageIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = anfrage_id.get() or "-"
        return True


class JsonFormat(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, exception."""

    def format(self, record: logging.LogRecord) -> str:
        daten = {
            "zeit": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "stufe": record.levelname,
            "logger": record.name,
            "meldung": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "prozess": record.process,
        }
        if record.exc_info:
            daten["ausnahme"] = self.formatException(record.exc_info)
        return json.dumps(daten, ensure_ascii=False)


def celery_anbinden() -> None:
    """Connect the Celery signals (called once from eakte/celery.py)."""
    from celery.signals import (
        after_setup_logger,
        after_setup_task_logger,
        before_task_publish,
        task_postrun,
        task_prerun,
    )

    @after_setup_logger.connect(weak=False)
    @after_setup_task_logger.connect(weak=False)
    def _worker_logs(logger=None, **kwargs):
        """Celery sets up the worker's handlers itself; they get the request id and, with
        LOG_FORMAT=json, the JSON lines."""
        from django.conf import settings

        for handler in getattr(logger, "handlers", []):
            handler.addFilter(AnfrageIdFilter())
            if settings.LOG_FORMAT == "json":
                handler.setFormatter(JsonFormat())

    @before_task_publish.connect(weak=False)
    def _mitgeben(headers=None, **kwargs):
        wert = anfrage_id.get()
        if wert and headers is not None and KOPF not in headers:
            headers[KOPF] = wert

    @task_prerun.connect(weak=False)
    def _uebernehmen(task=None, **kwargs):
        wert = getattr(task.request, KOPF, None) if task is not None else None
        task.request._eakte_marke = anfrage_id.set(
            wert if isinstance(wert, str) and GUELTIG.match(wert) else ""
        )

    @task_postrun.connect(weak=False)
    def _zuruecksetzen(task=None, **kwargs):
        marke = getattr(task.request, "_eakte_marke", None) if task is not None else None
        if marke is not None:
            try:
                anfrage_id.reset(marke)
            except ValueError:  # set in another context (e.g. a retried task); just clear
                anfrage_id.set("")
