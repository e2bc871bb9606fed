"""List the Akten due for Anbietung and destruction per Kommune; `--mail` sends the reminders."""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from eakte.common.mandantenbereich import Systembefehl

from ... import erinnerung


class Command(Systembefehl, BaseCommand):
    help = "Zur Anbietung und zur Vernichtung fällige Akten je Kommune (--mail: Erinnerung)."

    def add_arguments(self, parser):
        parser.add_argument("--mail", action="store_true", help="Erinnerung per E-Mail senden")

    def handle(self, *args, **options):
        for kommune, anbieten, vernichten in erinnerung.faellige_je_kommune():
            self.stdout.write(
                f"{kommune.name}: {anbieten} zur Anbietung, {vernichten} zur Vernichtung fällig"
            )
        if options["mail"]:
            anzahl = erinnerung.erinnern()
            self.stdout.write(
                ngettext("%(n)d Erinnerung gesendet.", "%(n)d Erinnerungen gesendet.", anzahl)
                % {"n": anzahl}
            )
