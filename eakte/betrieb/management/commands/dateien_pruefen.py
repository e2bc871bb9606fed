from django.core.management.base import BaseCommand, CommandError

from eakte.akten import dateien
from eakte.akten.models import Datei, Version
from eakte.betrieb import dateibestand
from eakte.common.mandantenbereich import Systembefehl
from eakte.kommunen.models import Kommune

BLOCK = 1000


class Command(Systembefehl, BaseCommand):
    help = (
        "Prüft jede gespeicherte Datei: ist sie vorhanden und stimmt ihre SHA-256-Prüfsumme? "
        "Nennt jede fehlende oder veränderte Datei mit Aktenzeichen, Dokument und Version und "
        "endet mit Fehlercode 1, wenn eine gefunden wurde."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kommune", help="Kurzname einer Kommune (sonst alle)")
        parser.add_argument(
            "--vollstaendig",
            action="store_true",
            help="Im Objektspeicher jede Datei herunterladen und neu prüfen (sonst genügt die "
            "Prüfsumme, die der Speicher beim Schreiben geprüft hat)",
        )

    def handle(self, *args, kommune: str | None, vollstaendig: bool, **options):
        alle = Datei.objects.order_by("pk")
        if kommune:
            gefunden = Kommune.objects.filter(slug=kommune).first()
            if gefunden is None:
                raise CommandError(f"Kommune „{kommune}“ gibt es nicht.")
            alle = alle.filter(kommune=gefunden)
        gesamt = alle.count()
        self.stdout.write(f"Prüfe {gesamt} Dateien …")
        befunde, geprueft, letzte_pk = 0, 0, 0
        while True:
            # Blocks of 1000 by primary key (keyset pagination), each checked by bestand_pruefen.
            block = list(alle.filter(pk__gt=letzte_pk).values_list("pk", flat=True)[:BLOCK])
            if not block:
                break
            for befund in dateien.bestand_pruefen(
                Datei.objects.filter(pk__in=block), vollstaendig=vollstaendig
            ):
                befunde += 1
                self._melden(befund)
            geprueft, letzte_pk = geprueft + len(block), block[-1]
            if len(block) == BLOCK:
                self.stdout.write(f"{geprueft} von {gesamt} Dateien geprüft, {befunde} Befunde")
        weitere_befunde, weitere = self._weitere_pruefen(
            gefunden if kommune else None, vollstaendig
        )
        befunde, geprueft = befunde + weitere_befunde, geprueft + weitere
        if befunde:
            raise CommandError(f"{befunde} von {geprueft} Dateien fehlen oder wurden verändert.")
        self.stdout.write(self.style.SUCCESS(f"{geprueft} Dateien geprüft, alle in Ordnung."))

    def _weitere_pruefen(self, kommune, vollstaendig: bool) -> tuple[int, int]:
        """The stored files that are not Dateien of the records (Aussonderung messages and
        Löschprotokolle, Schulung attachments, …: every kind eakte/betrieb/dateibestand.py
        knows), each compared with the SHA-256 its row holds."""
        ablage, befunde, geprueft = dateien.speicher(), 0, 0
        for spalten in dateibestand.dateispalten():
            if spalten.modell is Datei:
                continue
            abfrage = spalten.zeilen()
            if kommune is not None:
                if "kommune" not in {f.name for f in spalten.modell._meta.get_fields()}:
                    continue
                abfrage = abfrage.filter(kommune=kommune)
            art = spalten.modell._meta.verbose_name
            for eintrag in dateibestand.eintraege_von(spalten, abfrage=abfrage):
                geprueft += 1
                try:
                    summe = dateibestand.pruefsumme_im_speicher(
                        ablage, eintrag.speicherort, lesen=vollstaendig
                    )
                except FileNotFoundError:
                    summe = None
                if summe == eintrag.sha256:
                    continue
                befunde += 1
                problem = "fehlt" if summe is None else "verändert (Prüfsumme stimmt nicht)"
                self.stdout.write(
                    self.style.ERROR(
                        f"Datei {eintrag.speicherort} ({eintrag.groesse} Bytes, {art}): {problem}"
                    )
                )
        return befunde, geprueft

    def _melden(self, befund: dateien.Befund) -> None:
        datei = befund.datei
        self.stdout.write(
            self.style.ERROR(f"Datei {datei.speicherort} ({datei.groesse} Bytes): {befund.problem}")
        )
        versionen = (
            Version.objects.filter(datei=datei)
            .select_related("dokument__akte", "dokument__vorgang")
            .order_by("dokument__akte__aktenzeichen", "dokument_id", "nummer")
        )
        gefunden = False
        for version in versionen:
            gefunden = True
            dokument = version.dokument
            self.stdout.write(
                f"  {dokument.akte.aktenzeichen} · Vorgang {dokument.vorgang.vorgangszeichen} · "
                f"Dokument „{dokument.titel}“ ({dokument.uuid}) · Version {version.nummer} "
                f"({version.dateiname})"
            )
        if not gefunden:
            self.stdout.write("  (von keiner Version verwendet)")
