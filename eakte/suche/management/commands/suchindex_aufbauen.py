"""manage.py suchindex_aufbauen: (re)build the search index of all Dokumente, with progress.

    manage.py suchindex_aufbauen [--schub 2000] [--kommune erbach] [--prozesse 2]

Runs in batches, each in its own short transaction, so that the application keeps working and
an interrupted run can simply be started again (every row is recomputed, never patched). With
`--prozesse N` the batches are spread over N processes (one per core is enough). At the end the
vocabulary counts are recomputed, the GIN pending lists merged and the tables analysed.
"""

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction

from eakte.akten.models import Dokument
from eakte.common.mandantenbereich import Systembefehl
from eakte.kommunen.models import Kommune
from eakte.suche import services


def _balken(anteil: float, breite: int = 30) -> str:
    voll = int(anteil * breite)
    return "█" * voll + "░" * (breite - voll)


def _zahl(wert: int) -> str:
    return f"{wert:,}".replace(",", ".")


def _schub_indexieren(ids: list[int], woerter: bool) -> int:
    with transaction.atomic():
        services.indexieren_jetzt(ids, woerter=woerter)
    return len(ids)


class Command(Systembefehl, BaseCommand):
    help = "Baut den Suchindex aller Dokumente neu auf (mit Fortschrittsanzeige)."

    def add_arguments(self, parser):
        parser.add_argument("--schub", type=int, default=2000, help="Dokumente je Transaktion")
        parser.add_argument("--kommune", default="", help="nur diese Kommune (Kurzname)")
        parser.add_argument("--ohne-woerter", action="store_true", help="Wortschatz nicht füllen")
        parser.add_argument("--prozesse", type=int, default=1, help="parallele Prozesse")

    def handle(self, *args, schub, kommune, ohne_woerter, prozesse, **optionen):
        dokumente = Dokument.objects.order_by("pk")
        if kommune:
            gefunden = Kommune.objects.filter(slug=kommune).first()
            if gefunden is None:
                raise CommandError(f"Die Kommune „{kommune}“ gibt es nicht.")
            dokumente = dokumente.filter(kommune=gefunden)
        alle = list(dokumente.values_list("pk", flat=True))
        schuebe = [alle[i : i + schub] for i in range(0, len(alle), schub)]
        self._start, self._gesamt, self._fertig = time.perf_counter(), len(alle), 0
        if prozesse > 1 and len(schuebe) > 1:
            self._parallel(schuebe, not ohne_woerter, prozesse)
        else:
            for ids in schuebe:
                self._fortschritt(_schub_indexieren(ids, not ohne_woerter))
        self.stdout.write("")
        with connection.cursor() as cursor:
            if not ohne_woerter:
                cursor.execute(services.ANZAHL_NEU_ZAEHLEN)
            # Bulk inserts collect in the GIN pending lists, which every search would scan.
            for index in ("suchdokument_vektor_gin", "suchdokument_kopf_gin"):
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            cursor.execute("ANALYZE suche_suchdokument")
            cursor.execute("ANALYZE suche_suchwort")
        self.stdout.write(
            self.style.SUCCESS(
                f"Suchindex für {self._fertig} Dokumente aufgebaut "
                f"in {time.perf_counter() - self._start:.1f} s."
            )
        )

    def _parallel(self, schuebe: list[list[int]], woerter: bool, prozesse: int) -> None:
        if connection.in_atomic_block:
            raise CommandError("--prozesse geht nicht innerhalb einer Transaktion.")
        connections.close_all()  # the children open their own connections
        kontext = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=prozesse, mp_context=kontext) as pool:
            auftraege = [pool.submit(_schub_indexieren, ids, woerter) for ids in schuebe]
            for auftrag in as_completed(auftraege):
                self._fortschritt(auftrag.result())

    def _fortschritt(self, anzahl: int) -> None:
        self._fertig += anzahl
        dauer = time.perf_counter() - self._start
        anteil = self._fertig / self._gesamt if self._gesamt else 1
        rest = dauer / anteil - dauer if anteil else 0
        self.stdout.write(
            f"\r{_balken(anteil)} {_zahl(self._fertig):>10} / {_zahl(self._gesamt)} Dokumente "
            f"({dauer:.0f} s, noch etwa {rest:.0f} s)",
            ending="",
        )
        self.stdout.flush()
