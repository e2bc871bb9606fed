from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from aktenplan import demo as aktenplan_demo
from eakte.akten import demo as akten_demo
from eakte.cockpit import demo as cockpit_demo
from eakte.common.mandantenbereich import Systembefehl
from eakte.common.wortlaut import mit_anzahl
from eakte.kommunen import demo as kommunen_demo
from schulung import demo as schulung_demo

# Each app with demo data adds its loader here, in dependency order. The command lives in the
# start app, the top of the layers, because it builds on every app.
LADER = [
    kommunen_demo.laden,
    aktenplan_demo.laden,
    schulung_demo.laden,
    akten_demo.laden,
    cockpit_demo.laden,  # last: rolls up what the others made
]


class Command(Systembefehl, BaseCommand):
    help = "Lädt die Demodaten des IKZ Odenwald (idempotent). Nur für Entwicklung und Vorführung."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="auch bei DEBUG=False laden (nie in Produktion!)"
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demodaten werden nur mit DEBUG=True geladen, weil sie bekannte Passwörter "
                "enthalten. Mit --force trotzdem laden."
            )
        with transaction.atomic():
            bericht = [zeile for lader in LADER for zeile in lader()]
        for zeile in bericht:
            self.stdout.write(zeile)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demodaten bereit ({mit_anzahl(len(bericht), 'Änderung', 'Änderungen')})."
            )
        )
