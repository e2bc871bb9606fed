from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eakte.common.akteur import Akteur
from eakte.common.mandantenbereich import Systembefehl
from eakte.common.wortlaut import mit_anzahl
from eakte.kommunen.services import aufnahme


class Command(Systembefehl, BaseCommand):
    help = (
        "Nimmt Kommunen mit ihren Organisationseinheiten und Personen aus einer YAML- oder "
        "JSON-Datei in den Verbund auf. Wiederholbar: ein zweiter Lauf ändert nichts, eine "
        "geänderte Datei ändert genau die Unterschiede."
    )

    def add_arguments(self, parser):
        parser.add_argument("datei", type=Path)
        parser.add_argument("--probelauf", action="store_true", help="nur anzeigen, nichts ändern")

    def handle(self, *args, datei: Path, probelauf: bool, **options):
        if not datei.is_file():
            raise CommandError(f"Datei {datei} nicht gefunden.")
        try:
            beschreibung = aufnahme.datei_lesen(datei.read_bytes(), datei.name)
            bericht = aufnahme.abgleichen(
                beschreibung, akteur=Akteur.system("Kommunen einspielen"), probelauf=probelauf
            )
        except aufnahme.Beschreibungsfehler as fehler:
            raise CommandError(
                "Nichts wurde geändert. Fehler in der Datei:\n  " + "\n  ".join(fehler.fehler)
            ) from fehler
        for zeile in bericht:
            self.stdout.write(zeile)
        if not bericht:
            self.stdout.write("Keine Änderungen: alles entspricht bereits der Datei.")
        elif probelauf:
            self.stdout.write(
                self.style.WARNING(
                    f"Probelauf: {mit_anzahl(len(bericht), 'Änderung', 'Änderungen')}, "
                    "nichts gespeichert."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{mit_anzahl(len(bericht), 'Änderung', 'Änderungen')} gespeichert."
                )
            )
