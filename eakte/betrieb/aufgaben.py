"""Duration and outcome of every Celery job, for Prometheus.

The jobs run in worker processes on other hosts than the web replicas that answer /metrics, so
each worker adds its figures to one Redis hash (a few increments in one round trip after each
job) and /metrics reads that hash when Prometheus asks: the same figures on every web replica,
as for the queues and the OCR states. Redis keeps them in memory: after a restart of Redis the
counters start at zero again, which Prometheus treats as a counter reset.

- `eakte_aufgaben_total{aufgabe,ergebnis}`: finished jobs per task name and outcome (erfolg,
  fehler, wiederholung, …);
- `eakte_aufgabe_sekunden{aufgabe}`: their duration (histogram).
"""

import functools
import logging
import time

from django.conf import settings
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily
from redis import Redis, RedisError

logger = logging.getLogger(__name__)

SCHLUESSEL = "eakte:metriken:aufgaben"
STUFEN = (0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)
ERGEBNIS = {"SUCCESS": "erfolg", "FAILURE": "fehler", "RETRY": "wiederholung"}

_begonnen: dict[str, float] = {}  # task id → start (per worker process)


def _redis() -> Redis:
    return _verbindung(settings.CELERY_BROKER_URL)


@functools.cache
def _verbindung(url: str) -> Redis:
    """One client per process and URL (its pool notices a fork and starts afresh)."""
    return Redis.from_url(url, socket_timeout=1)


def _begonnen_merken(task_id=None, **_kwargs) -> None:
    _begonnen[task_id] = time.monotonic()


def _beendet_zaehlen(task_id=None, task=None, state=None, **_kwargs) -> None:
    beginn = _begonnen.pop(task_id, None)
    if beginn is None or task is None:
        return
    dauer = time.monotonic() - beginn
    name = task.name
    stufe = next((i for i, grenze in enumerate(STUFEN) if dauer <= grenze), len(STUFEN))
    try:
        with _redis().pipeline(transaction=False) as pipe:
            pipe.hincrby(SCHLUESSEL, f"{name}|ergebnis|{ERGEBNIS.get(state, str(state).lower())}")
            pipe.hincrby(SCHLUESSEL, f"{name}|stufe|{stufe}")
            pipe.hincrbyfloat(SCHLUESSEL, f"{name}|summe|", dauer)
            pipe.execute()
    except RedisError:  # the figures are not worth failing or delaying a job for
        logger.warning("Kennzahlen des Auftrags %s nicht gespeichert: Redis antwortet nicht", name)


def signale_verbinden() -> None:
    from celery.signals import task_postrun, task_prerun

    task_prerun.connect(_begonnen_merken, weak=False)
    task_postrun.connect(_beendet_zaehlen, weak=False)


def familien():
    """The two metric families from the Redis hash (none if Redis does not answer)."""
    try:
        felder = _redis().hgetall(SCHLUESSEL)
    except RedisError:
        return
    ergebnisse: dict[tuple[str, str], int] = {}
    stufen: dict[str, list[int]] = {}
    summen: dict[str, float] = {}
    for feld, wert in felder.items():
        teile = feld.decode().rsplit("|", 2)  # name|art|rest (a name may hold "|")
        if len(teile) != 3:
            continue
        name, art, rest = teile
        if art == "ergebnis":
            ergebnisse[(name, rest)] = int(wert)
        elif art == "stufe" and rest.isdigit() and int(rest) <= len(STUFEN):
            stufen.setdefault(name, [0] * (len(STUFEN) + 1))[int(rest)] += int(wert)
        elif art == "summe":
            summen[name] = float(wert)
    anzahl = CounterMetricFamily(
        "eakte_aufgaben",
        "Beendete Celery-Aufträge je Aufgabe und Ergebnis",
        labels=["aufgabe", "ergebnis"],
    )
    for (name, ergebnis), n in sorted(ergebnisse.items()):
        anzahl.add_metric([name, ergebnis], n)
    yield anzahl
    dauer = HistogramMetricFamily(
        "eakte_aufgabe_sekunden", "Dauer der Celery-Aufträge je Aufgabe", labels=["aufgabe"]
    )
    for name, je_stufe in sorted(stufen.items()):
        kumuliert, eimer = 0, []
        for grenze, n in zip([*map(str, STUFEN), "+Inf"], je_stufe, strict=True):
            kumuliert += n
            eimer.append((grenze, kumuliert))
        dauer.add_metric([name], eimer, summen.get(name, 0.0))
    yield dauer
