import sys
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from eakte.common.mandantenbereich import Systembefehl
from eakte.kommunen.models import Kommune

from ...services import zeitraum_verdichten


class Command(Systembefehl, BaseCommand):
    help = "Berechnet die Tagesstände des Cockpits für einen Zeitraum neu (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--von", help="erster Tag (JJJJ-MM-TT); Standard: vor 90 Tagen")
        parser.add_argument("--bis", help="letzter Tag (JJJJ-MM-TT); Standard: heute")
        parser.add_argument("--kommune", action="append", help="Slug; mehrfach möglich")

    def handle(self, *args, von=None, bis=None, kommune=None, **options):
        heute = timezone.localdate()
        try:
            ende = date.fromisoformat(bis) if bis else heute
            anfang = date.fromisoformat(von) if von else ende - timedelta(days=89)
        except ValueError as fehler:
            raise CommandError("Bitte Datumsangaben im Format JJJJ-MM-TT.") from fehler
        if anfang > ende:
            raise CommandError("--von liegt nach --bis.")
        kommunen = Kommune.objects.all()
        if kommune:
            kommunen = kommunen.filter(slug__in=kommune)
            if kommunen.count() != len(set(kommune)):
                raise CommandError("Mindestens eine Kommune gibt es nicht.")

        def fortschritt(erledigt, gesamt):
            breite = 30
            voll = breite * erledigt // gesamt
            self.stdout.write(
                f"\r[{'#' * voll}{'.' * (breite - voll)}] {erledigt}/{gesamt} Tage", ending=""
            )
            if erledigt == gesamt:
                self.stdout.write("")
            sys.stdout.flush()

        anzahl = zeitraum_verdichten(
            von=anfang, bis=ende, kommunen=list(kommunen), fortschritt=fortschritt
        )
        self.stdout.write(self.style.SUCCESS(f"{anzahl} Tagesstände von {anfang} bis {ende}."))
