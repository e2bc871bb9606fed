"""Register an OZG platform for the Antragseingang and allow it Kommunen (by AGS) with their
Eingangskonto; prints the secret once (it is stored encrypted only).

    manage.py plattform_registrieren --verbund odenwald --name "Civento" --kennung civento \\
        --webhook https://civento.example/rueckkanal --kommune 06437006=eingang.erbach
"""

from django.core.management.base import BaseCommand, CommandError

from eakte.common.akteur import Akteur
from eakte.common.mandantenbereich import Systembefehl
from eakte.eingang import services
from eakte.kommunen.models import Benutzer, Kommune, Verbund


class Command(Systembefehl, BaseCommand):
    help = "Registriert eine Plattform für den Antragseingang und gibt ihr Geheimnis einmal aus."

    def add_arguments(self, parser):
        parser.add_argument("--verbund", required=True, help="Kurzname (slug) des Verbunds")
        parser.add_argument("--name", required=True)
        parser.add_argument("--kennung", required=True, help="Client-Kennung (X-Eingang-Client)")
        parser.add_argument("--webhook", default="", help="Adresse für Rückmeldungen")
        parser.add_argument(
            "--kommune",
            action="append",
            default=[],
            metavar="AGS=BENUTZERNAME",
            help="zugelassene Kommune und ihr Eingangskonto (mehrfach möglich)",
        )

    def handle(self, *args, **optionen):
        system = Akteur.system("Befehl plattform_registrieren")
        verbund = Verbund.objects.filter(slug=optionen["verbund"]).first()
        if verbund is None:
            raise CommandError(f"Den Verbund „{optionen['verbund']}“ gibt es nicht.")
        zulassungen = []
        for angabe in optionen["kommune"]:
            ags, _, name = angabe.partition("=")
            kommune = Kommune.objects.filter(ags=ags, verbund=verbund).first()
            konto = Benutzer.objects.filter(username__iexact=name, kommune=kommune).first()
            if kommune is None or konto is None:
                raise CommandError(f"„{angabe}“: Kommune (AGS) oder Konto unbekannt.")
            zulassungen.append((kommune, konto))
        plattform, geheimnis = services.plattform_registrieren(
            akteur=system,
            verbund=verbund,
            name=optionen["name"],
            kennung=optionen["kennung"],
            webhook_url=optionen["webhook"],
        )
        for kommune, konto in zulassungen:
            services.zulassung_erteilen(
                akteur=system, plattform=plattform, kommune=kommune, konto=konto
            )
        self.stdout.write(f"Plattform {plattform.name} ({plattform.kennung}) registriert.")
        self.stdout.write(f"Geheimnis (wird nur jetzt angezeigt): {geheimnis}")
