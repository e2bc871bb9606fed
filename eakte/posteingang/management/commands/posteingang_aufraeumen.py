"""`manage.py posteingang_aufraeumen [--tage 90] [--probelauf]`: delete old processed scans."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from eakte.common.mandantenbereich import Systembefehl
from eakte.common.wortlaut import mit_anzahl
from eakte.posteingang import aufraeumen


class Command(Systembefehl, BaseCommand):
    help = (
        "Löscht in den Eingangsordnern unter .verarbeitet/ die Tage, die älter sind als --tage, "
        "aber nur Dateien, deren Inhalt die E-Akte gespeichert hat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tage", type=int, default=90, help="älter als so viele Tage")
        parser.add_argument("--probelauf", action="store_true", help="nur zeigen, nichts löschen")

    def handle(self, *args, tage=90, probelauf=False, **options):
        if tage < 1:
            raise CommandError("--tage muss mindestens 1 sein.")
        bericht = aufraeumen.aufraeumen(tage=tage, probelauf=probelauf)
        for grund in bericht.behalten:
            self.stdout.write(self.style.WARNING(f"behalten: {grund}"))
        zahl = len(bericht.geloescht)
        verb = ngettext("würde gelöscht", "würden gelöscht", zahl) if probelauf else "gelöscht"
        self.stdout.write(
            f"{mit_anzahl(len(bericht.geloescht), 'Datei', 'Dateien')} "
            f"{verb}, {len(bericht.behalten)} behalten."
        )
