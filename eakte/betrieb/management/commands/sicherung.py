from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from eakte.betrieb import sicherung
from eakte.common.mandantenbereich import Systembefehl


class Command(Systembefehl, BaseCommand):
    help = (
        "Schreibt eine vollständige Sicherung: Datenbank (pg_dump aus einem Snapshot), alle "
        "Dateien (Ordner) oder die Liste der Objekte mit Prüfsummen (S3), Konfiguration ohne "
        "Geheimnisse. Zeitplan und Aufbewahrung: docs/betrieb.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ziel", help="Ordner für Sicherungen (sonst SICHERUNG_ORDNER)")
        art = parser.add_mutually_exclusive_group()
        art.add_argument(
            "--dateien-kopieren",
            dest="kopieren",
            action="store_const",
            const=True,
            help="die Dateien selbst mitsichern (Standard beim Ordner)",
        )
        art.add_argument(
            "--nur-dateiliste",
            dest="kopieren",
            action="store_const",
            const=False,
            help="nur die geprüfte Liste der Dateien (Standard bei S3: der Bucket wird durch "
            "Versionierung/Replikation gesichert)",
        )
        parser.add_argument(
            "--behalten",
            type=int,
            default=0,
            help="danach nur die neuesten N Sicherungen behalten (0: alle)",
        )

    def handle(self, *args, ziel, kopieren, behalten, **options):
        ordner = Path(ziel or settings.SICHERUNG_ORDNER)
        try:
            ergebnis = sicherung.sichern(
                ordner, dateien_kopieren=kopieren, melden=self.stdout.write
            )
        except sicherung.SicherungsFehler as fehler:
            raise CommandError(str(fehler)) from fehler
        for problem in ergebnis.probleme:
            self.stdout.write(self.style.ERROR(problem))
        for weg in sicherung.aufraeumen(ordner, behalten):
            self.stdout.write(f"Alte Sicherung gelöscht: {weg.name}")
        zusammenfassung = (
            f"Sicherung {ergebnis.ordner}: {ergebnis.zeilen} Zeilen, {ergebnis.dateien} Dateien"
        )
        if ergebnis.probleme:
            raise CommandError(
                f"{zusammenfassung}, aber {len(ergebnis.probleme)} Dateien fehlen oder sind "
                "verändert (manage.py dateien_pruefen)."
            )
        self.stdout.write(self.style.SUCCESS(zusammenfassung + "."))
