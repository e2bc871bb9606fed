"""bench/daten/akten_erzeugen.py: fill one Kommune with many Akten for benchmarks and load tests.

    python bench/daten/akten_erzeugen.py --kommune erbach --akten 100000 --dokumente 500000 \\
        [--oes 20] [--freigaben-fuer sachbearbeitung.michelstadt --freigaben 20] [--anhaengen]

Metadata only: Akten, Vorgänge, Dokumente and (unless --ohne-versionen) one Version per Dokument,
all pointing at one small stored PDF. Rows are written with PostgreSQL COPY in one transaction
(all or nothing); constraints, triggers and indexes stay on. Aktenzeichen numbers are reserved in
the counter table exactly like `aktenzeichen.naechste_nummer` does, so Akten created afterwards
through the services continue without a gap, and a parallel `akte_anlegen` simply waits.
One Protokoll entry records the run (not one per Akte: nobody viewed or changed anything).
"""

import random
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from aktenplan import selectors as aktenplan_selectors
from aktenplan.models import Aktenplaneinheit
from eakte.akten import dateien
from eakte.akten.models import Akte, AkteBenutzerfreigabe, Dokument, Version, Vorgang
from eakte.akten.selectors import LESEN
from eakte.common.akteur import Akteur
from eakte.common.mandantenbereich import Systembefehl
from eakte.kommunen import aktenzeichen_muster
from eakte.kommunen import services as kommunen_services
from eakte.kommunen.models import Benutzer, Kommune, Organisationseinheit
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren

AKTEN_JE_SCHUB = 5000
JAHRE = 8  # Akten are spread over the current and the seven previous years

# --- realistic German words ------------------------------------------------------------------

OE_NAMEN = [
    ("HA", "Hauptamt"),
    ("BA", "Bauamt"),
    ("OA", "Ordnungsamt"),
    ("KAE", "Kämmerei"),
    ("STA", "Standesamt"),
    ("SOZ", "Sozialamt"),
    ("STE", "Steueramt"),
    ("LIE", "Liegenschaften"),
    ("FRI", "Friedhofsverwaltung"),
    ("BH", "Bauhof"),
    ("KITA", "Kindertagesstätten"),
    ("PA", "Personalamt"),
    ("EWO", "Einwohnermeldeamt"),
    ("GEW", "Gewerbeamt"),
    ("UMW", "Umwelt und Naturschutz"),
    ("TIEF", "Tiefbau und Abwasser"),
    ("WIFÖ", "Wirtschaftsförderung"),
    ("KUL", "Kultur und Tourismus"),
    ("FW", "Brandschutz und Feuerwehr"),
    ("RPA", "Rechnungsprüfung"),
    ("IT", "IT und Digitalisierung"),
    ("SCH", "Schulen und Sport"),
    ("JUG", "Jugendpflege"),
    ("SEN", "Seniorenarbeit"),
]
STRASSEN = [
    "Hauptstraße",
    "Bahnhofstraße",
    "Schulstraße",
    "Gartenstraße",
    "Am Marktplatz",
    "Lindenweg",
    "Erbacher Straße",
    "Odenwaldstraße",
    "Kirchgasse",
    "Mühlweg",
    "Am Sportplatz",
    "Waldstraße",
    "Friedhofstraße",
    "Neckarstraße",
    "Im Wiesengrund",
    "Burgweg",
    "Ringstraße",
    "Talstraße",
]
ORTSTEILE = ["Kernstadt", "Dorf-Erbach", "Ebersberg", "Erlenbach", "Bullau", "Günterfürst"]
NACHNAMEN = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Krause",
    "Meier",
    "Lehmann",
    "Köhler",
    "Walter",
]
VORNAMEN = ["Anna", "Jonas", "Lea", "Lukas", "Marie", "Felix", "Sabine", "Jürgen", "Ute", "Ralf"]
FIRMEN = [
    "Odenwald Bau GmbH",
    "Elektro Schäfer e. K.",
    "Ingenieurbüro Weber & Partner",
    "Stadtwerke Erbach GmbH",
    "Gartenbau Koch",
    "Dachdeckerei Braun GmbH",
    "Autohaus Lange",
    "Bäckerei Schmitt",
    "Landgasthof Zur Linde",
    "Kreisverkehrsgesellschaft Odenwald",
]
BEHOERDEN = [
    "Kreisausschuss des Odenwaldkreises",
    "Regierungspräsidium Darmstadt",
    "Hessisches Statistisches Landesamt",
    "Finanzamt Michelstadt",
    "Amtsgericht Michelstadt",
    "Hessische Verwaltung für Bodenmanagement und Geoinformation",
    "Zweckverband Abwasser",
    "Polizeistation Erbach",
]
BETREFF_MUSTER = [
    "Bauantrag {strasse} {hausnummer}",
    "Bauvoranfrage {strasse} {hausnummer}, {ortsteil}",
    "Nutzungsänderung {strasse} {hausnummer}",
    "Bebauungsplan „{flur}“, {ortsteil}",
    "Sanierung {strasse}, {ortsteil}",
    "Straßenbeleuchtung {strasse}",
    "Gewerbeanmeldung {firma}",
    "Gaststättenerlaubnis {firma}",
    "Sondernutzung öffentlicher Verkehrsflächen {strasse}",
    "Widerspruch {nachname} gegen Gebührenbescheid {jahr}",
    "Grundsteuer {strasse} {hausnummer}",
    "Grabstätte Feld {feld}, Nr. {hausnummer}",
    "Sitzung der Stadtverordnetenversammlung {monat} {jahr}",
    "Haushaltssatzung {jahr}",
    "Vergabe Winterdienst {jahr}/{jahr_folge}",
    "Beschaffung Feuerwehrfahrzeug {ortsteil}",
    "Kita-Platz {vorname} {nachname}",
    "Antrag auf Zuschuss Vereinsheim {ortsteil}",
    "Baumfällung {strasse} {hausnummer}",
    "Lärmbeschwerde {strasse}",
    "Verkehrsschau {ortsteil} {jahr}",
    "Kanalsanierung {strasse}, Bauabschnitt {feld}",
    "Pachtvertrag Flurstück {flurstueck}, {ortsteil}",
    "Grundstückskauf Flurstück {flurstueck}",
    "Wahl {jahr}: Wahlvorstand {ortsteil}",
    "Straßenfest {strasse} {jahr}",
    "Fundsache {monat} {jahr}",
    "Einbürgerung {nachname}",
    "Personalangelegenheit Stellenbesetzung {oe}",
    "Prüfung Jahresabschluss {jahr}",
]
FLURNAMEN = ["Am Hohen Rain", "Auf der Leimenkaute", "In den Bruchwiesen", "Mühlfeld", "Sandacker"]
MONATE = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]
VORGANG_BETREFFE = [
    "Antrag und Unterlagen",
    "Stellungnahmen der Fachbehörden",
    "Anhörung",
    "Bescheid",
    "Widerspruchsverfahren",
    "Schriftverkehr",
    "Rechnungen und Zahlungen",
    "Beteiligung der Nachbarn",
    "Vermerke und Ortsbesichtigung",
]
DOKUMENT_TITEL = {
    "eingang": [
        "Antrag vom {datum}",
        "Schreiben {absender}",
        "Stellungnahme {absender}",
        "Rechnung Nr. {nummer}",
        "Nachgereichte Unterlagen",
        "E-Mail {absender}",
        "Widerspruch vom {datum}",
        "Lageplan",
        "Vollmacht",
    ],
    "ausgang": [
        "Eingangsbestätigung",
        "Bescheid vom {datum}",
        "Anforderung fehlender Unterlagen",
        "Anhörungsschreiben",
        "Zahlungserinnerung",
        "Antwortschreiben an {empfaenger}",
    ],
    "intern": [
        "Vermerk Ortsbesichtigung",
        "Aktenvermerk",
        "Telefonnotiz",
        "Verfügung",
        "Beschlussvorlage",
        "Kostenschätzung",
    ],
}

# A tiny valid PDF: every generated Version points at this one stored file.
MUSTER_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class Plan:
    """One Akte to write (ids and numbers are filled in before the COPY)."""

    jahr: int
    angelegt_am: datetime
    einheit: Aktenplaneinheit
    oe: Organisationseinheit
    person_id: int
    betreff: str
    vertraulichkeit: str
    zda_am: date | None
    vorgaenge: int
    dokumente: int
    nummer: int = 0
    id: int = 0
    aktenzeichen: str = ""


class Command(Systembefehl, BaseCommand):
    help = (
        "Füllt eine Kommune schnell mit vielen Akten, Vorgängen und Dokumenten (nur Metadaten) "
        "für Benchmarks und Lasttests. Nicht in Produktion verwenden."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kommune", required=True, help="Slug der Kommune, z. B. erbach")
        parser.add_argument("--akten", type=int, required=True, help="Anzahl neuer Akten")
        parser.add_argument("--dokumente", type=int, required=True, help="Anzahl neuer Dokumente")
        parser.add_argument(
            "--oes",
            type=int,
            default=20,
            help="auf so viele OEs verteilen (die ersten aktiven nach Anlage; fehlende werden "
            "angelegt). Standard 20",
        )
        parser.add_argument(
            "--freigaben-fuer", help="Benutzername, für den Akten ausdrücklich freigegeben werden"
        )
        parser.add_argument(
            "--freigaben", type=int, default=20, help="so viele Akten freigeben (Standard 20)"
        )
        parser.add_argument(
            "--anhaengen",
            action="store_true",
            help="auch erzeugen, wenn die Kommune schon Akten hat (sonst Abbruch)",
        )
        parser.add_argument(
            "--ohne-versionen", action="store_true", help="Dokumente ohne Version (schneller)"
        )
        parser.add_argument("--seed", type=int, default=2026, help="Startwert des Zufalls")
        parser.add_argument(
            "--force", action="store_true", help="auch bei DEBUG=False (nie in Produktion!)"
        )

    def handle(self, *args, **optionen):
        if not settings.DEBUG and not optionen["force"]:
            raise CommandError(
                "Testdaten werden nur mit DEBUG=True erzeugt. Mit --force trotzdem erzeugen "
                "(nie in einer Produktivdatenbank)."
            )
        if optionen["akten"] < 1 or optionen["dokumente"] < 0 or optionen["oes"] < 1:
            raise CommandError("--akten und --oes müssen mindestens 1 sein, --dokumente ≥ 0.")
        erzeuger = Erzeuger(self, **optionen)
        erzeuger.pruefen()
        start = time.perf_counter()
        with transaction.atomic():
            bericht = erzeuger.erzeugen()
        # Fresh planner statistics and visibility map for the new rows, as autovacuum would leave
        # them after a while (VACUUM cannot run inside a transaction, e.g. in a test).
        befehl = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for model in (Akte, Vorgang, Dokument, Version, AkteBenutzerfreigabe):
                cursor.execute(f"{befehl} {model._meta.db_table}")
        dauer = time.perf_counter() - start
        self.stdout.write(
            self.style.SUCCESS(
                f"Fertig in {dauer:.0f} s: {_zahl(bericht['akten'])} Akten, "
                f"{_zahl(bericht['vorgaenge'])} Vorgänge, {_zahl(bericht['dokumente'])} Dokumente, "
                f"{_zahl(bericht['versionen'])} "
                f"Versionen, {bericht['freigaben']} Freigaben in {bericht['kommune']} "
                f"(jetzt {_zahl(bericht['akten_gesamt'])} Akten)."
            )
        )


class Erzeuger:
    def __init__(self, befehl, **optionen):
        self.befehl = befehl
        self.optionen = optionen
        self.zufall = random.Random(optionen["seed"])
        self.heute = timezone.localdate()

    def melden(self, text: str) -> None:
        self.befehl.stdout.write(text)
        self.befehl.stdout.flush()

    # --- checks before anything is written ------------------------------------------------

    def pruefen(self) -> None:
        optionen = self.optionen
        self.kommune = (
            Kommune.objects.select_related("verbund").filter(slug=optionen["kommune"]).first()
        )
        if self.kommune is None:
            raise CommandError(f"Die Kommune „{optionen['kommune']}“ gibt es nicht.")
        self.einheiten = list(
            aktenplan_selectors.ablagefaehig(
                Aktenplaneinheit.objects.filter(aktenplan__verbund=self.kommune.verbund)
            ).order_by("aktenplan_id", "sortierschluessel")
        )
        if not self.einheiten:
            raise CommandError(
                f"Der Verbund „{self.kommune.verbund}“ hat keinen Aktenplan mit aktiven "
                "Einheiten der untersten Ebene. Bitte zuerst einen Aktenplan importieren "
                "(für die Demo: manage.py demodaten)."
            )
        self.vorher = Akte.objects.filter(kommune=self.kommune).count()
        if self.vorher and not optionen["anhaengen"]:
            raise CommandError(
                f"{self.kommune} hat schon {_zahl(self.vorher)} Akten. Mit --anhaengen werden "
                "weitere dazu erzeugt (die Aktenzeichen zählen lückenlos weiter)."
            )
        if not Benutzer.objects.filter(kommune=self.kommune, is_active=True).exists():
            raise CommandError(
                f"{self.kommune} hat keine aktiven Benutzer, die als Anleger eingetragen werden "
                "könnten. Bitte zuerst Benutzer anlegen."
            )
        self.empfaenger = None
        if optionen["freigaben_fuer"]:
            self.empfaenger = Benutzer.objects.filter(
                username__iexact=optionen["freigaben_fuer"],
                is_active=True,
                kommune__verbund=self.kommune.verbund,
            ).first()
            if self.empfaenger is None:
                raise CommandError(
                    f"„{optionen['freigaben_fuer']}“ ist kein aktiver Benutzer im Verbund "
                    f"{self.kommune.verbund}."
                )

    # --- generation -----------------------------------------------------------------------

    def erzeugen(self) -> dict:
        optionen = self.optionen
        oes = self._oes(optionen["oes"])
        personen = self._personen(oes)
        plaene = self._planen(optionen["akten"], optionen["dokumente"], oes, personen)
        self._nummern_vergeben(plaene)
        datei = None if optionen["ohne_versionen"] else self._muster_datei()
        gesamt = Counter()
        start = time.perf_counter()
        for anfang in range(0, len(plaene), AKTEN_JE_SCHUB):
            schub = plaene[anfang : anfang + AKTEN_JE_SCHUB]
            gesamt.update(self._schreiben(schub, datei))
            self.melden(
                f"  {_zahl(gesamt['akten']):>9} / {_zahl(len(plaene))} Akten, "
                f"{_zahl(gesamt['dokumente']):>9} Dokumente ({time.perf_counter() - start:.0f} s)"
            )
        freigaben = self._freigeben(plaene) if self.empfaenger else 0
        protokollieren(
            kommune_id=self.kommune.pk,
            akteur=Akteur.system("manage.py akten_erzeugen"),
            aktion=Aktion.ANGELEGT,
            beschreibung=(
                f"Testdaten erzeugt (akten_erzeugen): {gesamt['akten']} Akten, "
                f"{gesamt['dokumente']} Dokumente, {freigaben} Freigaben"
            ),
            details={**gesamt, "freigaben": freigaben, "seed": optionen["seed"]},
        )
        return {
            **gesamt,
            "freigaben": freigaben,
            "kommune": str(self.kommune),
            "akten_gesamt": self.vorher + gesamt["akten"],
        }

    def _oes(self, anzahl: int) -> list[Organisationseinheit]:
        vorhanden = list(
            Organisationseinheit.objects.filter(kommune=self.kommune, aktiv=True).order_by("id")
        )[:anzahl]
        kuerzel = set(
            Organisationseinheit.objects.filter(kommune=self.kommune).values_list(
                "kuerzel", flat=True
            )
        )
        nummer = 0
        while len(vorhanden) < anzahl:
            kurz, name = OE_NAMEN[nummer % len(OE_NAMEN)]
            runde = nummer // len(OE_NAMEN)
            if runde:
                kurz, name = f"{kurz}{runde + 1}", f"{name} {runde + 1}"
            nummer += 1
            if kurz in kuerzel:
                continue
            kuerzel.add(kurz)
            vorhanden.append(
                kommunen_services.organisationseinheit_anlegen_ungeprueft(
                    kommune=self.kommune, name=name, kuerzel=kurz
                )
            )
            self.melden(f"  OE {name} ({kurz}) angelegt")
        return vorhanden

    def _personen(self, oes) -> dict[int, list[int]]:
        """Per OE the people who appear as creators: its members, else anyone of the Kommune."""
        mitglieder = defaultdict(list)
        for oe_id, person_id in Benutzer.organisationseinheiten.through.objects.filter(
            organisationseinheit__in=oes, benutzer__is_active=True
        ).values_list("organisationseinheit_id", "benutzer_id"):
            mitglieder[oe_id].append(person_id)
        alle = list(
            Benutzer.objects.filter(kommune=self.kommune, is_active=True)
            .order_by("id")
            .values_list("id", flat=True)[:50]
        )
        return {oe.pk: sorted(mitglieder[oe.pk]) or alle for oe in oes}

    def _planen(self, akten: int, dokumente: int, oes, personen) -> list[Plan]:
        zufall, heute = self.zufall, self.heute
        # Some units are used far more than others (Bauanträge vs. Wappen).
        gewichte = [1 / (rang + 1) ** 0.7 for rang in range(len(self.einheiten))]
        einheiten_gemischt = self.einheiten[:]
        zufall.shuffle(einheiten_gemischt)
        einheiten = zufall.choices(einheiten_gemischt, weights=gewichte, k=akten)
        # A few Akten have many Dokumente, most have a handful.
        dokument_gewichte = [min(zufall.paretovariate(1.8), 60.0) for _ in range(akten)]
        summe = sum(dokument_gewichte)
        anzahl_dokumente = [int(dokumente * g / summe) for g in dokument_gewichte]
        for index in zufall.sample(range(akten), k=dokumente - sum(anzahl_dokumente)):
            anzahl_dokumente[index] += 1
        erstes_jahr = heute.year - JAHRE + 1
        jahres_gewichte = [1 + 0.15 * i for i in range(JAHRE)]  # more Akten in recent years
        jahre = zufall.choices(range(erstes_jahr, heute.year + 1), weights=jahres_gewichte, k=akten)
        plaene = []
        for index in range(akten):
            jahr = jahre[index]
            letzter_tag = heute if jahr == heute.year else date(jahr, 12, 31)
            tag = date(jahr, 1, 2) + timedelta(
                days=zufall.randrange(max(1, (letzter_tag - date(jahr, 1, 2)).days + 1))
            )
            angelegt_am = timezone.make_aware(
                datetime(
                    tag.year, tag.month, tag.day, zufall.randrange(7, 17), zufall.randrange(60)
                )
                + timedelta(seconds=zufall.randrange(60), microseconds=zufall.randrange(10**6))
            )
            oe = oes[index % len(oes)]
            zda_am = None
            if jahr <= heute.year - 2 and zufall.random() < 0.6:
                zda_am = min(heute, tag + timedelta(days=zufall.randrange(60, 700)))
            vertraulichkeit = zufall.choices(
                ["offen", "nfd", "vertraulich"], weights=[85, 10, 5], k=1
            )[0]
            plaene.append(
                Plan(
                    jahr=jahr,
                    angelegt_am=angelegt_am,
                    einheit=einheiten[index],
                    oe=oe,
                    person_id=zufall.choice(personen[oe.pk]),
                    betreff=self._betreff(jahr, oe, einheiten[index]),
                    vertraulichkeit=vertraulichkeit,
                    zda_am=zda_am,
                    vorgaenge=zufall.choices([1, 2, 3, 4], weights=[40, 30, 20, 10], k=1)[0],
                    dokumente=anzahl_dokumente[index],
                )
            )
        plaene.sort(key=lambda plan: plan.angelegt_am)
        genutzt = len({einheit.pk for einheit in einheiten})
        self.melden(
            f"{self.kommune}: {_zahl(akten)} Akten und {_zahl(dokumente)} Dokumente geplant, "
            f"verteilt auf {len(oes)} OEs und {genutzt} Aktenplaneinheiten"
            + (f"; {_zahl(self.vorher)} Akten bestanden schon" if self.vorher else "")
        )
        return plaene

    def _betreff(self, jahr: int, oe, einheit) -> str:
        zufall = self.zufall
        if zufall.random() < 0.4:  # named after the unit, as many clerks do
            return f"{einheit.titel} – {zufall.choice([*ORTSTEILE, *STRASSEN, str(jahr)])}"
        return zufall.choice(BETREFF_MUSTER).format(
            strasse=zufall.choice(STRASSEN),
            hausnummer=zufall.randrange(1, 120),
            ortsteil=zufall.choice(ORTSTEILE),
            flur=zufall.choice(FLURNAMEN),
            firma=zufall.choice(FIRMEN),
            nachname=zufall.choice(NACHNAMEN),
            vorname=zufall.choice(VORNAMEN),
            jahr=jahr,
            jahr_folge=(jahr + 1) % 100,
            feld=zufall.choice("ABCDEFGH"),
            monat=zufall.choice(MONATE),
            flurstueck=f"{zufall.randrange(1, 40)}/{zufall.randrange(1, 300)}",
            oe=oe.name,
        )

    def _nummern_vergeben(self, plaene: list[Plan]) -> None:
        """Reserve numbers per Kennzeichen and year in the counter table (row locks held until
        the end of the transaction), then number the Akten in order of creation."""
        gruppen = Counter((plan.einheit.kennzeichen, plan.jahr) for plan in plaene)
        naechste = {}
        with connection.cursor() as cursor:
            for (kennzeichen, jahr), anzahl in sorted(gruppen.items()):
                cursor.execute(
                    """
                    INSERT INTO akten_aktenzeichenzaehler (kommune_id, kennzeichen, jahr,
                                                           letzte_nummer)
                    VALUES (%s, %s, %s, %s)
                    ON CONFLICT (kommune_id, kennzeichen, jahr)
                    DO UPDATE SET letzte_nummer = akten_aktenzeichenzaehler.letzte_nummer
                                                  + EXCLUDED.letzte_nummer
                    RETURNING letzte_nummer
                    """,
                    [self.kommune.pk, kennzeichen, jahr, anzahl],
                )
                naechste[kennzeichen, jahr] = cursor.fetchone()[0] - anzahl + 1
        muster, praefix = self.kommune.aktenzeichen_muster, self.kommune.aktenzeichen_praefix
        for plan in plaene:
            schluessel = (plan.einheit.kennzeichen, plan.jahr)
            plan.nummer = naechste[schluessel]
            naechste[schluessel] += 1
            plan.aktenzeichen = aktenzeichen_muster.formatieren(
                muster,
                prefix=praefix,
                kennzeichen=schluessel[0],
                nummer=plan.nummer,
                jahr=plan.jahr,
            )

    def _muster_datei(self):
        inhalt = ContentFile(MUSTER_PDF, name="muster.pdf")
        return dateien.ablegen(
            kommune=self.kommune, datei=inhalt, pruefung=dateien.pruefen(inhalt)
        )[0]

    def _schreiben(self, schub: list[Plan], datei) -> Counter:
        zufall, heute, kommune_id = self.zufall, self.heute, self.kommune.pk
        akte_ids = _ids(Akte, len(schub))
        akten, vorgaenge, dokumente, versionen = [], [], [], []
        vorgang_ids = iter(_ids(Vorgang, sum(plan.vorgaenge for plan in schub)))
        dokument_ids = iter(_ids(Dokument, sum(plan.dokumente for plan in schub)))
        for plan, akte_id in zip(schub, akte_ids, strict=True):
            plan.id = akte_id
            ende = plan.zda_am or heute
            frist = plan.einheit.aufbewahrungsfrist
            akten.append(
                {
                    "id": akte_id,
                    "kommune_id": kommune_id,
                    "uuid": uuid.uuid4(),
                    "aktenplaneinheit_id": plan.einheit.pk,
                    "betreff": plan.betreff,
                    "federfuehrende_oe_id": plan.oe.pk,
                    "aktenfuehrende_oe_id": plan.oe.pk,
                    "aktenzeichen": plan.aktenzeichen,
                    "kennzeichen": plan.einheit.kennzeichen,
                    "jahr": plan.jahr,
                    "laufende_nummer": plan.nummer,
                    "vertraulichkeit": plan.vertraulichkeit,
                    "beginn": plan.angelegt_am.date(),
                    "ende": plan.zda_am,
                    "zda_am": plan.zda_am,
                    "zda_durch_id": plan.person_id if plan.zda_am else None,
                    "aufbewahrung_bis": (
                        date(plan.zda_am.year + frist, 12, 31)
                        if plan.zda_am and frist is not None
                        else None
                    ),
                    "letzte_vorgangsnummer": plan.vorgaenge,
                    "angelegt_am": plan.angelegt_am,
                    "angelegt_von_id": plan.person_id,
                    "geaendert_am": plan.angelegt_am,
                }
            )
            spanne = max(0, (ende - plan.angelegt_am.date()).days)
            eigene_vorgaenge = []
            for nummer in range(1, plan.vorgaenge + 1):
                vorgang_id = next(vorgang_ids)
                eigene_vorgaenge.append(vorgang_id)
                vorgaenge.append(
                    {
                        "id": vorgang_id,
                        "kommune_id": kommune_id,
                        "uuid": uuid.uuid4(),
                        "akte_id": akte_id,
                        "nummer": nummer,
                        "vorgangszeichen": f"{plan.aktenzeichen}/{nummer}",
                        "betreff": zufall.choice(VORGANG_BETREFFE),
                        "zda_am": plan.zda_am,
                        "zda_durch_id": plan.person_id if plan.zda_am else None,
                        "angelegt_am": plan.angelegt_am + timedelta(days=(nummer - 1) * 3),
                        "angelegt_von_id": plan.person_id,
                    }
                )
            for _ in range(plan.dokumente):
                dokument_id = next(dokument_ids)
                angelegt_am = plan.angelegt_am + timedelta(
                    days=zufall.randrange(spanne + 1), minutes=zufall.randrange(600)
                )
                dokumente.append(self._dokument(dokument_id, plan, eigene_vorgaenge, angelegt_am))
                if datei is not None:
                    versionen.append(
                        {
                            "kommune_id": kommune_id,
                            "uuid": uuid.uuid4(),
                            "dokument_id": dokument_id,
                            "nummer": 1,
                            "datei_id": datei.pk,
                            "dateiname": (dokumente[-1]["titel"][:250] + ".pdf"),
                            "kommentar": "",
                            "hochgeladen_am": angelegt_am,
                            "hochgeladen_von_id": plan.person_id,
                        }
                    )
        _copy(Akte, akten)
        _copy(Vorgang, vorgaenge)
        _copy(Dokument, dokumente)
        _copy(Version, versionen)
        return Counter(
            akten=len(akten),
            vorgaenge=len(vorgaenge),
            dokumente=len(dokumente),
            versionen=len(versionen),
        )

    def _dokument(self, dokument_id, plan, vorgaenge, angelegt_am) -> dict:
        zufall = self.zufall
        typ = zufall.choices(["eingang", "ausgang", "intern"], weights=[50, 30, 20], k=1)[0]
        absender = empfaenger = ""
        if typ == "eingang":
            absender = zufall.choice(
                [*FIRMEN, *BEHOERDEN, f"{zufall.choice(VORNAMEN)} {zufall.choice(NACHNAMEN)}"]
            )
        elif typ == "ausgang":
            empfaenger = zufall.choice(
                [*FIRMEN, *BEHOERDEN, f"{zufall.choice(VORNAMEN)} {zufall.choice(NACHNAMEN)}"]
            )
        titel = zufall.choice(DOKUMENT_TITEL[typ]).format(
            datum=f"{angelegt_am:%d.%m.%Y}",
            absender=absender,
            empfaenger=empfaenger,
            nummer=zufall.randrange(1000, 99999),
        )
        return {
            "id": dokument_id,
            "kommune_id": self.kommune.pk,
            "uuid": uuid.uuid4(),
            "akte_id": plan.id,
            "vorgang_id": zufall.choice(vorgaenge),
            "titel": titel,
            "typ": typ,
            "posteingangsdatum": angelegt_am.date() if typ == "eingang" else None,
            "postausgangsdatum": angelegt_am.date() if typ == "ausgang" else None,
            "absender": absender,
            "empfaenger": empfaenger,
            "bemerkung": "",
            "letzte_versionsnummer": 0 if self.optionen["ohne_versionen"] else 1,
            "angelegt_am": angelegt_am,
            "angelegt_von_id": plan.person_id,
            "geaendert_am": angelegt_am,
        }

    def _freigeben(self, plaene: list[Plan]) -> int:
        """Share read-only with one person: open Akten of OEs that person is not a member of."""
        eigene = set(self.empfaenger.organisationseinheiten.values_list("pk", flat=True))
        kandidaten = [
            plan
            for plan in plaene
            if plan.zda_am is None
            and not (self.empfaenger.kommune_id == self.kommune.pk and plan.oe.pk in eigene)
        ]
        auswahl = self.zufall.sample(kandidaten, k=min(self.optionen["freigaben"], len(kandidaten)))
        recht = Permission.objects.get(codename=LESEN, content_type__app_label="akten")
        angelegt = AkteBenutzerfreigabe.objects.bulk_create(
            [
                AkteBenutzerfreigabe(user=self.empfaenger, permission=recht, content_object_id=p.id)
                for p in auswahl
            ],
            ignore_conflicts=True,
        )
        self.melden(f"  {len(angelegt)} Akten für {self.empfaenger.username} freigegeben (lesen)")
        return len(angelegt)


def _zahl(wert: int) -> str:
    """12345 -> "12.345" (German thousands separator)."""
    return f"{wert:,}".replace(",", ".")


def _ids(model, anzahl: int) -> list[int]:
    """Take `anzahl` ids from the table's sequence (safe next to other writers)."""
    if anzahl == 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, anzahl],
        )
        return [zeile[0] for zeile in cursor.fetchall()]


def _copy(model, zeilen: list[dict]) -> None:
    """COPY rows into the model's table; fields missing from the dicts get their default."""
    if not zeilen:
        return
    felder = [f for f in model._meta.concrete_fields if f.attname in zeilen[0] or not f.primary_key]
    fehlend = {f.attname: f.get_default() for f in felder if f.attname not in zeilen[0]}
    spalten = ", ".join(connection.ops.quote_name(f.column) for f in felder)
    namen = [f.attname for f in felder]
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {model._meta.db_table} ({spalten}) FROM STDIN") as kopie:
            for zeile in zeilen:
                kopie.write_row([zeile[n] if n in zeile else fehlend[n] for n in namen])


if __name__ == "__main__":
    from bench.daten import als_skript

    als_skript(Command)
