"""Bulk import of a Kommune's users from CSV (semicolon; as Excel or an AD export writes it).

Columns: Benutzername;Vorname;Nachname;E-Mail;OE;Rollen — OE and Rollen may hold several values
separated by commas. All or nothing: a file with any bad line changes nothing and every bad line
is reported with its number.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower

from eakte.common.akteur import Akteur
from eakte.common.wortlaut import mit_anzahl
from eakte.kommunen import services
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren

from ..models import Benutzer, Kommune
from ..rollen import Rolle

SPALTEN = ["Benutzername", "Vorname", "Nachname", "E-Mail", "OE", "Rollen"]


@dataclass
class Zeile:
    nr: int
    benutzername: str
    vorname: str
    nachname: str
    email: str
    oes: list[str]
    rollen: list[Rolle]


@dataclass
class Ergebnis:
    fehler: list[str] = field(default_factory=list)
    neu: list[str] = field(default_factory=list)
    angewendet: bool = False
    _gefunden: list[tuple[int, str]] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.fehler

    def melden(self, zeile: int, meldung: str) -> None:
        self._gefunden.append((zeile, meldung))

    def abschliessen(self) -> None:
        """Sort the problems by line, as a person fixing the file reads them."""
        self.fehler = [
            f"Zeile {zeile}: {meldung}" if zeile else meldung
            for zeile, meldung in sorted(self._gefunden, key=lambda f: f[0])
        ]


def _liste(text: str) -> list[str]:
    return [teil.strip() for teil in text.replace("|", ",").split(",") if teil.strip()]


def _lesen(inhalt: bytes, kommune: Kommune, erlaubte_rollen, ergebnis: Ergebnis) -> list[Zeile]:
    try:
        text = inhalt.decode("utf-8-sig")
    except UnicodeDecodeError as fehler:
        zeile = inhalt[: fehler.start].count(b"\n") + 1
        ergebnis.melden(zeile, "Die Datei ist nicht UTF-8-kodiert (als „CSV UTF-8“ speichern).")
        return []
    if not text.strip():
        ergebnis.melden(0, "Die Datei ist leer.")
        return []
    if "\x00" in text:
        zeile = text[: text.index("\x00")].count("\n") + 1
        ergebnis.melden(zeile, "Die Datei enthält ein Nullzeichen (NUL); ist es eine Textdatei?")
        return []
    leser = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
    kopf = [spalte.strip() for spalte in leser.fieldnames or []]
    if set(kopf) != set(SPALTEN):
        ergebnis.melden(1, "Kopfzeile falsch. Erwartet: " + ";".join(SPALTEN))
        return []
    leser.fieldnames = kopf
    oes = {oe.kuerzel: oe for oe in kommune.organisationseinheiten.filter(aktiv=True)}
    zeilen = []
    for werte in leser:
        nr = leser.line_num
        if None in werte or any(v is None for v in werte.values()):
            ergebnis.melden(nr, "falsche Anzahl von Feldern.")
            continue
        zeile = _zeile(nr, werte, oes, erlaubte_rollen, ergebnis)
        if zeile:
            try:
                zeile.benutzername = services.benutzername_in_kommune(
                    kommune, zeile.benutzername
                ).lower()
            except ValidationError as fehler:
                ergebnis.melden(nr, " ".join(fehler.messages))
                continue
            zeilen.append(zeile)
    return zeilen


def _zeile(nr, werte, oes, erlaubte_rollen, ergebnis) -> Zeile | None:
    fehler_vorher = len(ergebnis._gefunden)
    benutzername = werte["Benutzername"].strip().lower()
    email = werte["E-Mail"].strip()
    if not benutzername:
        ergebnis.melden(nr, "Benutzername fehlt.")
    try:
        validate_email(email)
    except ValidationError:
        ergebnis.melden(nr, f"E-Mail-Adresse „{email}“ ist ungültig.")
    for kuerzel in _liste(werte["OE"]):
        if kuerzel not in oes:
            ergebnis.melden(nr, f"unbekannte Organisationseinheit „{kuerzel}“.")
    rollen = []
    for name in _liste(werte["Rollen"]):
        if name not in Rolle.values:
            ergebnis.melden(nr, f"unbekannte Rolle „{name}“.")
        elif Rolle(name) not in erlaubte_rollen:
            ergebnis.melden(nr, f"die Rolle „{name}“ dürfen Sie nicht vergeben.")
        else:
            rollen.append(Rolle(name))
    if len(ergebnis._gefunden) > fehler_vorher:
        return None
    return Zeile(
        nr,
        benutzername,
        werte["Vorname"].strip(),
        werte["Nachname"].strip(),
        email,
        _liste(werte["OE"]),
        rollen,
    )


def _doppelte(zeilen: list[Zeile], kommune: Kommune, ergebnis: Ergebnis) -> None:
    gesehen_name, gesehen_mail = {}, {}
    vorhandene_namen = set(
        Benutzer.objects.annotate(n=Lower("username"))
        .filter(n__in=[z.benutzername for z in zeilen])
        .values_list("n", flat=True)
    )
    # Only this Kommune's addresses: whether an address exists elsewhere is not ours to tell.
    vorhandene_mails = set(
        Benutzer.objects.filter(kommune=kommune)
        .annotate(m=Lower("email"))
        .filter(m__in=[z.email.lower() for z in zeilen])
        .values_list("m", flat=True)
    )
    for zeile in zeilen:
        mail = zeile.email.lower()
        if zeile.benutzername in gesehen_name:
            ergebnis.melden(
                zeile.nr,
                f"Benutzername „{zeile.benutzername}“ doppelt "
                f"(auch Zeile {gesehen_name[zeile.benutzername]}).",
            )
        elif zeile.benutzername in vorhandene_namen:
            ergebnis.melden(zeile.nr, f"Benutzername „{zeile.benutzername}“ ist schon vergeben.")
        if mail in gesehen_mail:
            ergebnis.melden(
                zeile.nr, f"E-Mail „{zeile.email}“ doppelt (auch Zeile {gesehen_mail[mail]})."
            )
        elif mail in vorhandene_mails:
            ergebnis.melden(
                zeile.nr, f"E-Mail „{zeile.email}“ gehört schon zu einem Konto dieser Kommune."
            )
        gesehen_name.setdefault(zeile.benutzername, zeile.nr)
        gesehen_mail.setdefault(mail, zeile.nr)


@transaction.atomic
def benutzer_importieren(
    *, akteur: Akteur, kommune: Kommune, inhalt: bytes, probelauf: bool
) -> Ergebnis:
    """Only the Kommune's administrators import, and only roles they may grant."""
    from ..selectors import vergebbare_rollen

    services._pruefe_verwaltungsrecht(akteur, kommune)
    erlaubt = vergebbare_rollen(akteur.benutzer)
    ergebnis = Ergebnis()
    zeilen = _lesen(inhalt, kommune, erlaubt, ergebnis)
    _doppelte(zeilen, kommune, ergebnis)
    ergebnis.abschliessen()
    if ergebnis.fehler:
        return ergebnis
    oes = {oe.kuerzel: oe for oe in kommune.organisationseinheiten.all()}
    ergebnis.neu = [zeile.benutzername for zeile in zeilen]
    if probelauf:
        return ergebnis
    for zeile in zeilen:
        services.benutzer_anlegen_ungeprueft(
            kommune=kommune,
            username=zeile.benutzername,
            email=zeile.email,
            first_name=zeile.vorname,
            last_name=zeile.nachname,
            rollen=zeile.rollen,
            organisationseinheiten=[oes[k] for k in zeile.oes],
        )
    protokollieren(
        kommune_id=kommune.pk,
        aktion=Aktion.IMPORTIERT,
        akteur=akteur,
        beschreibung=f"{mit_anzahl(len(zeilen), 'Person', 'Personen')} aus CSV-Datei angelegt",
        details={
            "personen": [
                {"benutzername": z.benutzername, "rollen": sorted(r.value for r in z.rollen)}
                for z in zeilen
            ]
        },
    )
    ergebnis.angewendet = True
    return ergebnis
