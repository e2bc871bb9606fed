from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from eakte.common.mandantenbereich import Systembefehl


class Command(Systembefehl, BaseCommand):
    help = (
        "Probe der Wiederherstellung: spielt die neueste (oder die genannte) Sicherung in eine "
        "Wegwerf-Datenbank ein und beweist sie: Zeilenzahlen, Hash-Ketten des Protokolls, die "
        "Prüfsumme jeder Datei. Das Ergebnis steht auch als probe-….json in der Sicherung."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ziel", help="Ordner der Sicherungen (sonst SICHERUNG_ORDNER)")
        parser.add_argument("--sicherung", help="eine bestimmte Sicherung statt der neuesten")

    def handle(self, *args, ziel, sicherung: str | None, **options):
        from eakte.betrieb import sicherung as modul

        if sicherung:
            ordner = Path(sicherung)
        else:
            vorhanden = modul.sicherungen(Path(ziel or settings.SICHERUNG_ORDNER))
            if not vorhanden:
                raise CommandError("Es gibt noch keine vollständige Sicherung.")
            ordner = vorhanden[-1]
        try:
            probe = modul.probe(ordner, melden=self.stdout.write)
        except modul.SicherungsFehler as fehler:
            raise CommandError(str(fehler)) from fehler
        for name, ok, detail in probe.pruefungen:
            zeile = f"{'OK    ' if ok else 'FEHLER'} {name}: {detail}"
            self.stdout.write(self.style.SUCCESS(zeile) if ok else self.style.ERROR(zeile))
        if not probe.bestanden:
            raise CommandError(f"Probe der Sicherung {ordner.name} NICHT bestanden.")
        self.stdout.write(self.style.SUCCESS(f"Probe der Sicherung {ordner.name} bestanden."))
