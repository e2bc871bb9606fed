"""`manage.py posteingang_abholen [--dauerhaft] [--intervall N]`: pick up scanned files."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from eakte.common.mandantenbereich import Systembefehl
from eakte.common.wortlaut import mit_anzahl
from eakte.posteingang import abholen


class Command(Systembefehl, BaseCommand):
    help = (
        "Holt fertig geschriebene Dateien aus den Eingangsordnern der Kommunen "
        "(POSTEINGANG_ORDNER/<kommune>/) in den Posteingang."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dauerhaft", action="store_true", help="immer wieder abholen, bis Strg-C"
        )
        parser.add_argument(
            "--intervall", type=float, default=30.0, help="Sekunden zwischen zwei Durchgängen"
        )

    def handle(self, *args, dauerhaft=False, intervall=30.0, **options):
        while True:
            bericht = abholen.abholen()
            self._melden(bericht)
            if not dauerhaft:
                return
            time.sleep(intervall)

    def _melden(self, bericht: abholen.Bericht) -> None:
        for name in bericht.eingegangen:
            self.stdout.write(f"eingegangen: {name}")
        for name in bericht.abgelehnt:
            self.stdout.write(self.style.WARNING(f"abgelehnt: {name}"))
        for name in bericht.unbekannte_ordner:
            self.stdout.write(self.style.WARNING(f"Ordner ohne Kommune, nicht angefasst: {name}"))
        for name in bericht.uebersprungen:
            self.stdout.write(f"übersprungen (wird gerade anderswo abgeholt): {name}")
        self.stdout.write(
            f"{mit_anzahl(len(bericht.eingegangen), 'Datei', 'Dateien')} "
            f"eingegangen, {bericht.abgelegt} "
            f"{ngettext('Dokument', 'Dokumente', bericht.abgelegt)} per Deckblatt abgelegt, "
            f"{len(bericht.abgelehnt)} abgelehnt."
        )
