from django.core.management.base import BaseCommand, CommandError

from eakte.betrieb import dateibestand
from eakte.common.mandantenbereich import Systembefehl


class Command(Systembefehl, BaseCommand):
    help = (
        "Kopiert alle gespeicherten Dateien vom Ordner in den Objektspeicher (S3) oder zurück, "
        "prüft jede Datei auf beiden Seiten mit ihrer SHA-256 und kann nach einem Abbruch "
        "einfach erneut gestartet werden: was am Ziel schon richtig liegt, wird übersprungen. "
        "Danach DATEISPEICHER umstellen und die Dienste neu starten (docs/betrieb.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--von", required=True, help="ordner oder s3")
        parser.add_argument("--nach", required=True, help="ordner oder s3")

    def handle(self, *args, von: str, nach: str, **options):
        if von == nach:
            raise CommandError("Quelle und Ziel sind dieselbe Speicherart.")
        try:
            quelle = dateibestand.speicher_der_art(von)
            ziel = dateibestand.speicher_der_art(nach)
        except ValueError as fehler:
            raise CommandError(str(fehler)) from fehler
        gesamt = dateibestand.anzahl()
        self.stdout.write(f"Ziehe bis zu {gesamt} Dateien von „{von}“ nach „{nach}“ um …")
        kopiert = vorhanden = fehler = erledigt = 0
        for eintrag in dateibestand.alle_eintraege():
            erledigt += 1
            try:
                if self._umziehen(quelle, ziel, eintrag):
                    kopiert += 1
                else:
                    vorhanden += 1
            except FileNotFoundError:
                fehler += 1
                self._melden(eintrag, "fehlt in der Quelle")
            except dateibestand.Abweichung as abweichung:
                fehler += 1
                self._melden(eintrag, str(abweichung))
            if erledigt % 100 == 0:
                self.stdout.write(dateibestand.balken(erledigt, gesamt))
        self.stdout.write(dateibestand.balken(erledigt, erledigt or gesamt))
        zusammenfassung = f"{kopiert} kopiert, {vorhanden} schon am Ziel, {fehler} Fehler"
        if fehler:
            raise CommandError(
                f"{zusammenfassung}. Die Fehler oben beheben (manage.py dateien_pruefen) und den "
                "Befehl erneut starten."
            )
        self.stdout.write(self.style.SUCCESS(zusammenfassung + "; alle Dateien geprüft."))

    @staticmethod
    def _umziehen(quelle, ziel, eintrag) -> bool:
        """True if copied, False if it is at the target already with the right checksum."""
        try:
            am_ziel = dateibestand.pruefsumme_im_speicher(ziel, eintrag.speicherort)
        except FileNotFoundError:
            dateibestand.kopieren(quelle, ziel, eintrag)
            return True
        if am_ziel != eintrag.sha256:
            raise dateibestand.Abweichung(
                "am Ziel liegt unter diesem Namen eine andere Datei; nicht überschrieben"
            )
        return False

    def _melden(self, eintrag, problem: str) -> None:
        self.stdout.write(
            self.style.ERROR(f"{eintrag.speicherort} ({eintrag.groesse} Bytes): {problem}")
        )
