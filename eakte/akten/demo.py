"""Demo data: Akten in Erbach and Michelstadt with Vorgänge, PDFs, a share and a Wiedervorlage.

Idempotent: an Akte that exists (same Kommune and Betreff) is left as it is.
"""

from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aktenplan.models import Aktenplaneinheit
from eakte.common.akteur import Akteur
from eakte.common.pdf import text_pdf
from eakte.kommunen.demo import VERBUND
from eakte.kommunen.models import Benutzer

from . import services
from .models import Akte, Dokumenttyp


def _demo_akteur(person: Benutzer) -> Akteur:
    """The demo data is written in the demo persons' names, by the system."""
    return Akteur.system("Demodaten", im_namen_von=person)


@dataclass(frozen=True)
class DemoDokument:
    dateiname: str
    typ: str
    absender: str
    zeilen: list[str]
    gescannt: bool = False  # a 300 dpi scan without text layer: the OCR worker recognises it

    def inhalt(self) -> bytes:
        if self.gescannt:
            from eakte.common import beispielscans

            return beispielscans.als_pdf([beispielscans.seite(self.zeilen)])
        return text_pdf(self.zeilen, titel=self.dateiname)


@dataclass(frozen=True)
class DemoAkte:
    person: str
    kennzeichen: str
    betreff: str
    vorgang: str
    dokumente: list[DemoDokument] = field(default_factory=list)
    freigeben_fuer: str = ""


BAUANTRAG = DemoDokument(
    "Bauantrag Am Wiesengrund 4.pdf",
    Dokumenttyp.EINGANG,
    "Familie Schäfer, Am Wiesengrund 4, 64711 Erbach",
    [
        "Bauantrag nach § 69 Hessische Bauordnung",
        "",
        "Vorhaben: Neubau eines Einfamilienhauses mit Garage",
        "Grundstück: Am Wiesengrund 4, Gemarkung Erbach, Flur 3, Flurstück 112/4",
        "Bauherrschaft: Familie Schäfer",
        "",
        "Wir beantragen die Baugenehmigung für das oben genannte Vorhaben.",
        "Die Bauvorlagen (Lageplan, Bauzeichnungen, Baubeschreibung) liegen bei.",
    ],
)
STELLUNGNAHME = DemoDokument(
    "Stellungnahme Einvernehmen.pdf",
    Dokumenttyp.AUSGANG,
    "",
    [
        "Stadt Erbach – Bauamt",
        "",
        "Gemeindliches Einvernehmen nach § 36 Baugesetzbuch",
        "Das Einvernehmen zum Bauantrag Am Wiesengrund 4 wird erteilt.",
        "Das Vorhaben fügt sich in die Eigenart der näheren Umgebung ein.",
    ],
)
NACHBARSCHREIBEN = DemoDokument(
    "Scan Einwendung Nachbar.pdf",
    Dokumenttyp.EINGANG,
    "Herr Koch, Am Wiesengrund 6, 64711 Erbach",
    [
        "Einwendung gegen das Bauvorhaben Am Wiesengrund 4",
        "Sehr geehrte Damen und Herren,",
        "gegen den geplanten Neubau erhebe ich Einwendungen,",
        "weil die Garage die Grenzbebauung überschreitet.",
        "Mit freundlichen Grüßen, Heinz Koch",
    ],
    gescannt=True,
)
WIESENMARKT = DemoDokument(
    "Antrag Schaustellerplatz.pdf",
    Dokumenttyp.EINGANG,
    "Schaustellerbetrieb Koch, Michelstadt",
    [
        "Antrag auf Zulassung zum Erbacher Wiesenmarkt 2026",
        "Geschäft: Kinderkarussell, Frontlänge 8 Meter, Stromanschluss 32 A",
        "Wir bitten um Zuteilung eines Platzes auf dem Festgelände.",
    ],
)
BEBAUUNGSPLAN = DemoDokument(
    "Aufstellungsbeschluss B-Plan 47.pdf",
    Dokumenttyp.INTERN,
    "",
    [
        "Stadt Michelstadt – Beschluss der Stadtverordnetenversammlung",
        "",
        "Aufstellung des Bebauungsplans Nr. 47 „Stadtmitte – Erweiterung“",
        "Die Stadtverordnetenversammlung beschließt die Aufstellung des Bebauungsplans.",
        "Die Nachbarkommune Erbach wird im Rahmen der IKZ beteiligt.",
    ],
)

AKTEN = [
    DemoAkte(
        "sachbearbeitung.erbach",
        "6.2.01",
        "Neubau Einfamilienhaus Am Wiesengrund 4",
        "Bauantrag und Einvernehmen",
        [BAUANTRAG, STELLUNGNAHME, NACHBARSCHREIBEN],
    ),
    DemoAkte(
        "sachbearbeitung2.erbach",
        "1.1.05",
        "Erbacher Wiesenmarkt 2026",
        "Zulassung der Schausteller",
        [WIESENMARKT],
    ),
    DemoAkte(
        "sachbearbeitung.michelstadt",
        "6.1.02.01",
        "Bebauungsplan Nr. 47 Stadtmitte",
        "Aufstellungsverfahren",
        [BEBAUUNGSPLAN],
        freigeben_fuer="sachbearbeitung.erbach",
    ),
]


def _akte_anlegen(demo: DemoAkte) -> Akte:
    person = Benutzer.objects.get(username=demo.person)
    einheit = Aktenplaneinheit.objects.get(
        aktenplan__verbund__slug=VERBUND["slug"], kennzeichen=demo.kennzeichen
    )
    akte = services.akte_anlegen(
        akteur=_demo_akteur(person),
        aktenplaneinheit=einheit,
        betreff=demo.betreff,
        federfuehrende_oe=person.organisationseinheiten.first(),
    )
    vorgang = services.vorgang_anlegen(akteur=_demo_akteur(person), akte=akte, betreff=demo.vorgang)
    for dok in demo.dokumente:
        inhalt = dok.inhalt()
        services.dokument_hochladen(
            akteur=_demo_akteur(person),
            vorgang=vorgang,
            datei=SimpleUploadedFile(dok.dateiname, inhalt, "application/pdf"),
            typ=dok.typ,
            absender=dok.absender,
            posteingangsdatum=timezone.localdate() if dok.typ == Dokumenttyp.EINGANG else None,
        )
    if demo.freigeben_fuer:
        services.akte_freigeben(
            akteur=_demo_akteur(person),
            akte=akte,
            empfaenger=Benutzer.objects.get(username=demo.freigeben_fuer),
        )
    return akte


def laden() -> list[str]:
    bericht = []
    for demo in AKTEN:
        person = Benutzer.objects.get(username=demo.person)
        if Akte.objects.filter(kommune=person.kommune, betreff=demo.betreff).exists():
            continue
        akte = _akte_anlegen(demo)
        bericht.append(f"Akte {akte.aktenzeichen} „{akte.betreff}“ angelegt")
        if demo.person == "sachbearbeitung.erbach":
            services.wiedervorlage_setzen(
                akteur=_demo_akteur(person),
                akte=akte,
                datum=timezone.localdate(),
                notiz="Stellungnahme des Kreisbauamts abwarten",
            )
    return bericht
