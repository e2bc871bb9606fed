"""Prometheus metrics at /metrics (only with `Authorization: Bearer <METRIKEN_TOKEN>`; without a
configured token the endpoint does not exist: 404).

Counted in the web processes (with several gunicorn workers set PROMETHEUS_MULTIPROC_DIR to an
empty folder per host, so that all workers are added up):
- `eakte_anfrage_sekunden{view,methode,status}`: latency per view (histogram);
- `eakte_suche_sekunden`: latency of the search pages and API;
- `eakte_anmeldungen_total{ergebnis}`: logins (erfolgreich/fehlgeschlagen) and lockouts (gesperrt).
Read at scrape time (the same for every host; cheap queries):
- `eakte_warteschlange_laenge{queue}`: jobs waiting in Redis per Celery queue;
- `eakte_ocr_auftraege{status}`: Verarbeitungen per state (wartet/laeuft/fertig/fehler);
- `eakte_ocr_dauer_sekunden{quantil}`: duration of the jobs finished in the last hour;
- `eakte_ocr_fehler_letzte_stunde`: jobs that failed in the last hour;
- `eakte_worker_lebend`: workers with a heartbeat in the last 3 minutes;
- `eakte_aufgaben_total{aufgabe,ergebnis}` and `eakte_aufgabe_sekunden{aufgabe}`: every Celery
  job's outcome and duration, written to Redis by the workers (eakte/betrieb/aufgaben.py);
- with a read replica (`DATABASE_REPLICA_URL`): `eakte_replik_verzug_sekunden` and
  `eakte_replik_verzug_bytes` (how far it is behind the primary; NaN when it does not answer)
  and `eakte_replik_lesen` (1: within LESEREPLIK_MAX_VERZUG, so it gets reads; 0: the primary
  answers them).
"""

import hmac
import os
import time
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, F
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from . import aufgaben

STUFEN = (0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0, 5.0, 10.0)

ANFRAGE = Histogram(
    "eakte_anfrage_sekunden",
    "Antwortzeit je View",
    ["view", "methode", "status"],
    buckets=STUFEN,
)
SUCHE = Histogram("eakte_suche_sekunden", "Antwortzeit der Suche", buckets=STUFEN)
ANMELDUNGEN = Counter("eakte_anmeldungen", "Anmeldungen und Sperren", ["ergebnis"])


class MetrikenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        beginn = time.perf_counter()
        antwort = self.get_response(request)
        dauer = time.perf_counter() - beginn
        treffer = getattr(request, "resolver_match", None)
        view = treffer.view_name if treffer else "(keine Route)"
        ANFRAGE.labels(view, request.method, f"{antwort.status_code // 100}xx").observe(dauer)
        if treffer and ("suche" in treffer.namespaces or view.startswith("api:suche")):
            SUCHE.observe(dauer)
        return antwort


def anmeldung_gezaehlt(ergebnis: str):
    def empfaenger(sender, **kwargs):
        ANMELDUNGEN.labels(ergebnis).inc()

    return empfaenger


def signale_verbinden() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_login_failed

    user_logged_in.connect(anmeldung_gezaehlt("erfolgreich"), weak=False)
    user_login_failed.connect(anmeldung_gezaehlt("fehlgeschlagen"), weak=False)
    user_locked_out.connect(anmeldung_gezaehlt("gesperrt"), weak=False)
    aufgaben.signale_verbinden()


class Zustand:
    """What every host sees alike, read when Prometheus asks."""

    def collect(self):
        from eakte.common.mandantenbereich import systembereich
        from eakte.system.selectors import warteschlangen, worker_lebend

        schlangen = GaugeMetricFamily(
            "eakte_warteschlange_laenge", "Wartende Aufträge je Queue", labels=["queue"]
        )
        for queue, laenge in warteschlangen().items():
            schlangen.add_metric([queue], laenge if laenge is not None else float("nan"))
        yield schlangen
        yield from aufgaben.familien()
        yield from self._replik()
        with systembereich("Metriken"):
            yield from self._ocr()
            yield GaugeMetricFamily(
                "eakte_worker_lebend", "Worker mit Lebenszeichen (3 Minuten)", len(worker_lebend())
            )

    def _replik(self):
        from django.db import DatabaseError

        from eakte.common import lesereplik

        if not lesereplik.konfiguriert():
            return
        try:
            verzug = lesereplik.verzug_messen()
            sekunden, bytes_ = verzug.sekunden, float(verzug.bytes)
            lesen = verzug.sekunden <= settings.LESEREPLIK_MAX_VERZUG
        except DatabaseError:
            sekunden = bytes_ = float("nan")
            lesen = False
        yield GaugeMetricFamily(
            "eakte_replik_verzug_sekunden", "Rückstand der Lese-Replik in Sekunden", sekunden
        )
        yield GaugeMetricFamily(
            "eakte_replik_verzug_bytes", "Noch nicht eingespieltes WAL der Lese-Replik", bytes_
        )
        yield GaugeMetricFamily(
            "eakte_replik_lesen",
            "Die Lese-Replik bekommt Lesezugriffe (1) oder nicht (0)",
            int(lesen),
        )

    def _ocr(self):
        from eakte.ocr.models import Status, Verarbeitung

        je_status = dict(
            Verarbeitung.objects.order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        auftraege = GaugeMetricFamily(
            "eakte_ocr_auftraege", "Verarbeitungen je Status", labels=["status"]
        )
        for status in Status.values:
            auftraege.add_metric([status], je_status.get(status, 0))
        yield auftraege
        seit = timezone.now() - timedelta(hours=1)
        dauern = sorted(
            d.total_seconds()
            for d in Verarbeitung.objects.filter(
                status=Status.FERTIG, fertig_am__gte=seit, gestartet_am__isnull=False
            )
            .annotate(d=F("fertig_am") - F("gestartet_am"))
            .values_list("d", flat=True)[:10000]
        )
        dauer = GaugeMetricFamily(
            "eakte_ocr_dauer_sekunden",
            "Dauer der in der letzten Stunde fertigen Verarbeitungen",
            labels=["quantil"],
        )
        for quantil in (0.5, 0.95):
            wert = dauern[min(len(dauern) - 1, int(quantil * len(dauern)))] if dauern else 0.0
            dauer.add_metric([str(quantil)], wert)
        yield dauer
        yield GaugeMetricFamily(
            "eakte_ocr_fehler_letzte_stunde",
            "In der letzten Stunde gescheiterte Verarbeitungen",
            Verarbeitung.objects.filter(status=Status.FEHLER, fertig_am__gte=seit).count(),
        )


def _berechtigt(request) -> bool:
    token = settings.METRIKEN_TOKEN
    if not token:
        return False
    angegeben = request.headers.get("Authorization", "")
    return hmac.compare_digest(angegeben.encode(), f"Bearer {token}".encode())


@never_cache
def metriken(request):
    if not _berechtigt(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        prozesse = CollectorRegistry()
        MultiProcessCollector(prozesse)
    else:
        prozesse = REGISTRY
    zustand = CollectorRegistry(auto_describe=False)
    zustand.register(Zustand())
    inhalt = generate_latest(prozesse) + generate_latest(zustand)
    return HttpResponse(inhalt, content_type="text/plain; version=0.0.4; charset=utf-8")
