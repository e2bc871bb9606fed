"""bench/daten/suchdaten_erzeugen.py: many Dokumente with realistic German text, for the search
benchmark (bench/suche.py).

    python bench/daten/suchdaten_erzeugen.py --verbund bench --dokumente 100000 [--akten 100000] \\
        [--kommunen 11] [--force]

Spreads Akten and Dokumente over the Kommunen of the Verbund (creating the missing ones, each
with one clerk) through `akten_erzeugen` (COPY), then gives every new Dokument one Version with
its own stored-file row and a finished Verarbeitung holding about 300 words of Zipf-distributed
administrative vocabulary, written with COPY too. The files are not written to the store (search
never reads them). The search index is not built: run `suchindex_aufbauen` afterwards (the
benchmark times it).
"""

import io
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from bench.daten import akten_erzeugen
from bench.daten.wortschatz import Textgenerator, wortschatz
from eakte.akten.models import Dokument
from eakte.common.mandantenbereich import Systembefehl
from eakte.kommunen import services as kommunen_services
from eakte.kommunen.models import Benutzer, Kommune, Verbund
from eakte.kommunen.rollen import Rolle

SCHUB = 5000


class Command(Systembefehl, BaseCommand):
    help = "Erzeugt Dokumente mit deutschem Verwaltungstext für den Such-Benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--verbund", required=True, help="Kurzname des Verbunds")
        parser.add_argument("--dokumente", type=int, required=True)
        parser.add_argument("--akten", type=int, default=100_000)
        parser.add_argument("--kommunen", type=int, default=11)
        parser.add_argument("--woerter", type=int, default=300, help="Wörter je Dokument (Mittel)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--force", action="store_true", help="auch bei DEBUG=False")

    def handle(self, *args, **o):
        if not settings.DEBUG and not o["force"]:
            raise CommandError("Testdaten nur mit DEBUG=True oder --force (nie in Produktion).")
        verbund = Verbund.objects.filter(slug=o["verbund"]).first()
        if verbund is None:
            raise CommandError(f"Den Verbund „{o['verbund']}“ gibt es nicht.")
        kommunen = self._kommunen(verbund, o["kommunen"])
        start = time.perf_counter()
        vorher = Dokument.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for nummer, kommune in enumerate(kommunen):
            akten = o["akten"] // len(kommunen) + (nummer < o["akten"] % len(kommunen))
            dokumente = o["dokumente"] // len(kommunen) + (nummer < o["dokumente"] % len(kommunen))
            self.stdout.write(f"{kommune.name}: {akten} Akten, {dokumente} Dokumente")
            call_command(
                akten_erzeugen.Command(),
                kommune=kommune.slug,
                akten=max(akten, 1),
                dokumente=dokumente,
                oes=10,
                ohne_versionen=True,
                anhaengen=True,
                force=True,
                seed=o["seed"] + nummer,
                stdout=io.StringIO(),
            )
        self.stdout.write(f"Akten und Dokumente: {time.perf_counter() - start:.0f} s")
        self._texte(vorher, o)
        with connection.cursor() as cursor:
            for tabelle in ("akten_datei", "akten_version", "ocr_verarbeitung", "akten_dokument"):
                cursor.execute(f"ANALYZE {tabelle}")
        self.stdout.write(self.style.SUCCESS(f"Fertig in {time.perf_counter() - start:.0f} s."))

    def _kommunen(self, verbund, anzahl: int) -> list[Kommune]:
        kommunen = list(verbund.kommunen.order_by("pk"))
        for nummer in range(len(kommunen) + 1, anzahl + 1):
            kommunen.append(
                kommunen_services.kommune_anlegen_ungeprueft(
                    verbund=verbund,
                    name=f"Suchdorf {nummer}",
                    slug=f"suchdorf-{nummer}",
                    ags=f"98{nummer:06d}",
                    aktenzeichen_praefix=f"S{nummer:02d}",
                )
            )
        for kommune in kommunen[:anzahl]:
            if not Benutzer.objects.filter(kommune=kommune, is_active=True).exists():
                kommunen_services.benutzer_anlegen_ungeprueft(
                    kommune=kommune,
                    username=f"suchdaten.{kommune.slug}",
                    email=f"suchdaten.{kommune.slug}@bench.invalid",
                    rollen=[Rolle.SACHBEARBEITUNG],
                )
        return kommunen[:anzahl]

    def _texte(self, vorher: int, o) -> None:
        generator = Textgenerator(wortschatz(seed=o["seed"]), seed=o["seed"])
        dokumente = Dokument.objects.filter(pk__gt=vorher, letzte_versionsnummer=0).order_by("pk")
        gesamt = dokumente.count()
        fertig, letzte, start = 0, vorher, time.perf_counter()
        while True:
            zeilen = list(dokumente.filter(pk__gt=letzte).values_list("pk", "kommune_id")[:SCHUB])
            if not zeilen:
                break
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "CREATE TEMP TABLE suchdaten_text (dokument_id bigint, kommune_id bigint, "
                    "text text) ON COMMIT DROP"
                )
                with cursor.copy("COPY suchdaten_text FROM STDIN") as kopie:
                    for pk, kommune_id in zeilen:
                        kopie.write_row((pk, kommune_id, generator.text(o["woerter"])))
                cursor.execute(_EINFUEGEN)
            fertig, letzte = fertig + len(zeilen), zeilen[-1][0]
            dauer = time.perf_counter() - start
            voll = int(30 * fertig / gesamt)
            self.stdout.write(
                f"\r{'█' * voll}{'░' * (30 - voll)} {fertig:>9} / {gesamt} Texte ({dauer:.0f} s)",
                ending="",
            )
            self.stdout.flush()
        self.stdout.write("")


_EINFUEGEN = """
    INSERT INTO akten_datei (kommune_id, sha256, groesse, mime_typ, speicherort, angelegt_am)
    SELECT kommune_id, md5(dokument_id::text) || md5('suchdaten' || dokument_id), length(text),
           'application/pdf', 'suchdaten/' || dokument_id, now()
    FROM suchdaten_text;

    INSERT INTO akten_version (kommune_id, uuid, dokument_id, nummer, datei_id, dateiname,
                               kommentar, hochgeladen_am, hochgeladen_von_id)
    SELECT t.kommune_id, gen_random_uuid(), t.dokument_id, 1, d.id, 'scan.pdf', '', now(),
           dok.angelegt_von_id
    FROM suchdaten_text t
    JOIN akten_datei d ON d.speicherort = 'suchdaten/' || t.dokument_id
    JOIN akten_dokument dok ON dok.id = t.dokument_id;

    INSERT INTO ocr_verarbeitung (datei_id, kommune_id, status, verfahren, seiten, seite, meldung,
                                  text, versuche, dauerhaft, transfervermerk, anlagen,
                                  worker, eingereiht_am, fertig_am)
    SELECT d.id, t.kommune_id, 'fertig', 'ocr', 2, 2, '', t.text, 1, false, '{}'::jsonb,
           '[]'::jsonb, '', now(), now()
    FROM suchdaten_text t
    JOIN akten_datei d ON d.speicherort = 'suchdaten/' || t.dokument_id;

    UPDATE akten_dokument SET letzte_versionsnummer = 1
    WHERE id IN (SELECT dokument_id FROM suchdaten_text);
"""


if __name__ == "__main__":
    from bench.daten import als_skript

    als_skript(Command)
