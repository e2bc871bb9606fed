from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eakte.common.mandantenbereich import Systembefehl


class Command(Systembefehl, BaseCommand):
    help = (
        "Stellt eine Sicherung in eine leere Installation wieder her (leere Datenbank, "
        "Dateispeicher dieser Einstellungen) und prüft jede Datei mit ihrer SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("sicherung", help="Ordner einer Sicherung (sicherung-…)")

    def handle(self, *args, sicherung: str, **options):
        from eakte.betrieb import sicherung as modul

        ordner = Path(sicherung)
        if not (ordner / "manifest.json").exists():
            raise CommandError(f"{ordner} ist keine vollständige Sicherung (manifest.json fehlt).")
        try:
            ergebnis = modul.wiederherstellen(ordner, melden=self.stdout.write)
        except modul.SicherungsFehler as fehler:
            raise CommandError(str(fehler)) from fehler
        for problem in ergebnis.probleme:
            self.stdout.write(self.style.ERROR(problem))
        if ergebnis.probleme:
            raise CommandError(f"{len(ergebnis.probleme)} Dateien fehlen oder sind verändert.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Wiederhergestellt aus {ordner.name}: Datenbank und {ergebnis.dateien} Dateien, "
                "alle Prüfsummen stimmen. Danach: manage.py migrate (falls neuere Version)."
            )
        )
