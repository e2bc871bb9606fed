from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from eakte.common.mandantenbereich import Systembefehl
from eakte.kommunen.models import Kommune
from eakte.protokoll.pruefung import kette_pruefen


class Command(Systembefehl, BaseCommand):
    help = (
        "Prüft die Hash-Kette des Protokolls jeder Kommune und nennt die erste gebrochene Stelle "
        "(veränderter, eingefügter oder gelöschter Eintrag). Endet mit Fehlercode 1, wenn eine "
        "Kette gebrochen ist."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kommune", help="Kurzname einer Kommune (sonst alle)")

    def handle(self, *args, kommune: str | None, **options):
        kommunen = Kommune.objects.order_by("name")
        if kommune:
            kommunen = kommunen.filter(slug=kommune)
            if not kommunen.exists():
                raise CommandError(f"Kommune „{kommune}“ gibt es nicht.")
        gebrochen = 0
        for k in kommunen:
            anzahl, bruch = kette_pruefen(k.pk)
            if bruch is None:
                eintraege = ngettext("Eintrag", "Einträge", anzahl)
                self.stdout.write(f"{k.name}: {anzahl} {eintraege}, Kette in Ordnung.")
            else:
                gebrochen += 1
                meldung = f"Kette gebrochen bei Eintrag Nr. {bruch.laufnummer}: {bruch.grund}."
                self.stdout.write(self.style.ERROR(f"{k.name}: {meldung}"))
        if gebrochen:
            raise CommandError(
                ngettext(
                    "%(n)d Protokoll-Kette gebrochen.",
                    "%(n)d Protokoll-Ketten gebrochen.",
                    gebrochen,
                )
                % {"n": gebrochen}
            )
