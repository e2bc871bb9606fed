"""manage.py suchindex_aufbauen: (re)build the search index of all Dokumente, with progress.

    manage.py suchindex_aufbauen [--schub 2000] [--kommune erbach]

Runs in batches, each in its own short transaction, so that the application keeps working and
an interrupted run can simply be started again (every row is recomputed, never patched). At the
end the vocabulary counts are recomputed and the tables analysed.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from eakte.akten.models import Dokument
from eakte.kommunen.models import Kommune
from eakte.suche import services


def _balken(anteil: float, breite: int = 30) -> str:
    voll = int(anteil * breite)
    return "█" * voll + "░" * (breite - voll)


def _zahl(wert: int) -> str:
    return f"{wert:,}".replace(",", ".")


class Command(BaseCommand):
    help = "Baut den Suchindex aller Dokumente neu auf (mit Fortschrittsanzeige)."

    def add_arguments(self, parser):
        parser.add_argument("--schub", type=int, default=2000, help="Dokumente je Transaktion")
        parser.add_argument("--kommune", default="", help="nur diese Kommune (Kurzname)")
        parser.add_argument("--ohne-woerter", action="store_true", help="Wortschatz nicht füllen")

    def handle(self, *args, schub, kommune, ohne_woerter, **optionen):
        dokumente = Dokument.objects.order_by("pk")
        if kommune:
            gefunden = Kommune.objects.filter(slug=kommune).first()
            if gefunden is None:
                raise CommandError(f"Die Kommune „{kommune}“ gibt es nicht.")
            dokumente = dokumente.filter(kommune=gefunden)
        gesamt = dokumente.count()
        start, fertig, letzte = time.perf_counter(), 0, 0
        while True:
            ids = list(dokumente.filter(pk__gt=letzte).values_list("pk", flat=True)[:schub])
            if not ids:
                break
            with transaction.atomic():
                services.indexieren_jetzt(ids, woerter=not ohne_woerter)
            fertig, letzte = fertig + len(ids), ids[-1]
            dauer = time.perf_counter() - start
            anteil = fertig / gesamt if gesamt else 1
            rest = dauer / anteil - dauer if anteil else 0
            self.stdout.write(
                f"\r{_balken(anteil)} {_zahl(fertig):>10} / {_zahl(gesamt)} Dokumente "
                f"({dauer:.0f} s, noch etwa {rest:.0f} s)",
                ending="",
            )
            self.stdout.flush()
        self.stdout.write("")
        with connection.cursor() as cursor:
            if not ohne_woerter:
                cursor.execute(services.ANZAHL_NEU_ZAEHLEN)
            cursor.execute("ANALYZE suche_suchdokument")
            cursor.execute("ANALYZE suche_suchwort")
        self.stdout.write(
            self.style.SUCCESS(
                f"Suchindex für {fertig} Dokumente aufgebaut "
                f"in {time.perf_counter() - start:.1f} s."
            )
        )
