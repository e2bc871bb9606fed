"""Writes for Dienstanweisungen and Leitfäden (draft, publish, retire, confirm) and for
Schulungen (plan Termine, register, waiting list, attendance, reminders).

What an auditor asks about is written to the Protokoll of the acting person's Kommune: a
document created, a Fassung published or put out of force, a Fassung confirmed, attendance
recorded (the certificates rest on it). Drafts and registrations are not."""

import hashlib
from datetime import date, datetime, time, timedelta
from pathlib import PurePath

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from eakte.akten import dateien
from eakte.akten.dateiarten import in_worten
from eakte.common.akteur import Akteur
from eakte.common.regeln import darf
from eakte.kommunen.models import Benutzer, Kommune, Organisationseinheit
from eakte.kommunen.rollen import Rolle
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren

from . import darstellung, mitteilungen, selectors
from .models import (
    Anhang,
    Anmeldestatus,
    Anmeldung,
    Dokument,
    Fassung,
    Fassungsstatus,
    Kenntnisnahme,
    Kenntnisnahmeerinnerung,
    Schulung,
    Schulungstermin,
)


class Schulungsdokument:
    """A Dienstanweisung or Leitfaden as the object of a Protokoll entry (the model's own name,
    Dokument, would read like a Dokument of an Akte there)."""

    def __init__(self, dokument: Dokument) -> None:
        self.uuid = dokument.uuid


def _person(akteur: Akteur) -> Benutzer:
    """Everything here is done by a person (the editorial team, or people confirming and
    registering for themselves); the system only sends reminders (`erinnerungen_senden`)."""
    if akteur.benutzer is None:
        raise PermissionDenied("Das erledigt immer eine Person, nicht das System.")
    return akteur.benutzer


def _protokollieren(akteur: Akteur, aktion: Aktion, beschreibung: str, objekt, **details):
    protokollieren(
        kommune_id=akteur.kommune_id,
        akteur=akteur,
        aktion=aktion,
        beschreibung=beschreibung,
        objekt=objekt,
        details=details,
    )


def _nur_redaktion(benutzer: Benutzer, dokument_verbund_id: int) -> None:
    if not (
        selectors.ist_redaktion(benutzer) and benutzer.kommune.verbund_id == dokument_verbund_id
    ):
        raise PermissionDenied("Nur die Schulungsredaktion bearbeitet Dienstanweisungen.")


def _geltung_pruefen(dokument: Dokument, kommunen: list[Kommune], rollen: list[str]) -> None:
    if any(k.verbund_id != dokument.verbund_id for k in kommunen):
        raise ValidationError({"kommunen": "Eine Kommune gehört nicht zum Verbund."})
    if not dokument.alle_kommunen and not kommunen:
        raise ValidationError({"kommunen": "Bitte mindestens eine Kommune wählen."})
    if any(r not in Rolle.values for r in rollen):
        raise ValidationError({"rollen": "Unbekannte Rolle."})


def _oes_pruefen(dokument: Dokument, kommunen: list[Kommune], oes: list) -> None:
    """Chosen OEs must belong to the Verbund and, if Kommunen are chosen, to one of them."""
    erlaubt = {k.pk for k in kommunen}
    for oe in oes:
        if oe.kommune.verbund_id != dokument.verbund_id or (
            not dokument.alle_kommunen and oe.kommune_id not in erlaubt
        ):
            raise ValidationError(
                {
                    "organisationseinheiten": (
                        f"Die Organisationseinheit {oe} gehört nicht zu den gewählten Kommunen."
                    )
                }
            )


@transaction.atomic
def dokument_anlegen(
    *,
    akteur: Akteur,
    art: str,
    titel: str,
    text: str,
    kategorie: str = "",
    erfordert_kenntnisnahme: bool = False,
    alle_kommunen: bool = True,
    kommunen: list[Kommune] = (),
    rollen: list[str] = (),
    organisationseinheiten: list[Organisationseinheit] = (),
) -> Dokument:
    benutzer = _person(akteur)
    verbund_id = benutzer.kommune.verbund_id
    _nur_redaktion(benutzer, verbund_id)
    dokument = Dokument(
        verbund_id=verbund_id,
        art=art,
        titel=titel.strip(),
        kategorie=kategorie.strip(),
        erfordert_kenntnisnahme=erfordert_kenntnisnahme,
        alle_kommunen=alle_kommunen,
        rollen=list(rollen),
    )
    _geltung_pruefen(dokument, list(kommunen), list(rollen))
    _oes_pruefen(dokument, list(kommunen), list(organisationseinheiten))
    dokument.full_clean()
    dokument.save()
    dokument.kommunen.set(kommunen)
    dokument.organisationseinheiten.set(organisationseinheiten)
    Fassung.objects.create(
        dokument=dokument,
        nummer=1,
        text=text,
        html=darstellung.als_html(text),
        erstellt_von=benutzer,
    )
    _protokollieren(
        akteur,
        Aktion.ANGELEGT,
        f"{dokument.get_art_display()} „{dokument.titel}“ angelegt (Entwurf)",
        Schulungsdokument(dokument),
    )
    return dokument


@transaction.atomic
def entwurf_speichern(*, akteur: Akteur, dokument: Dokument, text: str) -> Fassung:
    """Change the draft, or start a new draft from the current text after publication."""
    benutzer = _person(akteur)
    _nur_redaktion(benutzer, dokument.verbund_id)
    Dokument.objects.select_for_update().get(pk=dokument.pk)
    entwurf = dokument.fassungen.filter(status=Fassungsstatus.ENTWURF).first()
    if entwurf is None:
        nummer = (dokument.fassungen.aggregate(n=Max("nummer"))["n"] or 0) + 1
        entwurf = Fassung(dokument=dokument, nummer=nummer, erstellt_von=benutzer)
    entwurf.text, entwurf.html = text, darstellung.als_html(text)
    entwurf.save()
    return entwurf


@transaction.atomic
def entwurf_veroeffentlichen(
    *, akteur: Akteur, dokument: Dokument, gueltig_ab: date | None = None
) -> Fassung:
    """The draft becomes the Fassung in force; the previous one goes außer Kraft (stays readable).
    A new Fassung of a document that requires it asks everyone to confirm again."""
    benutzer = _person(akteur)
    _nur_redaktion(benutzer, dokument.verbund_id)
    Dokument.objects.select_for_update().get(pk=dokument.pk)
    entwurf = dokument.fassungen.filter(status=Fassungsstatus.ENTWURF).first()
    if entwurf is None:
        raise ValidationError("Es gibt keinen Entwurf zum Veröffentlichen.")
    dokument.fassungen.filter(status=Fassungsstatus.VEROEFFENTLICHT).update(
        status=Fassungsstatus.AUSSER_KRAFT
    )
    entwurf.status = Fassungsstatus.VEROEFFENTLICHT
    entwurf.gueltig_ab = gueltig_ab or timezone.localdate()
    entwurf.veroeffentlicht_am, entwurf.veroeffentlicht_von = timezone.now(), benutzer
    entwurf.save()
    _protokollieren(
        akteur,
        Aktion.VEROEFFENTLICHT,
        f"„{dokument.titel}“ Fassung {entwurf.nummer} veröffentlicht, gültig ab "
        f"{entwurf.gueltig_ab:%d.%m.%Y}",
        Schulungsdokument(dokument),
        fassung=entwurf.nummer,
    )
    return entwurf


@transaction.atomic
def dokument_ausser_kraft_setzen(*, akteur: Akteur, dokument: Dokument) -> None:
    benutzer = _person(akteur)
    _nur_redaktion(benutzer, dokument.verbund_id)
    geaendert = dokument.fassungen.filter(status=Fassungsstatus.VEROEFFENTLICHT).update(
        status=Fassungsstatus.AUSSER_KRAFT
    )
    if geaendert:
        _protokollieren(
            akteur,
            Aktion.AUSSER_KRAFT,
            f"„{dokument.titel}“ außer Kraft gesetzt",
            Schulungsdokument(dokument),
        )


@transaction.atomic
def kenntnis_nehmen(*, akteur: Akteur, fassung: Fassung) -> Kenntnisnahme:
    benutzer = _person(akteur)
    if fassung.status != Fassungsstatus.VEROEFFENTLICHT:
        raise ValidationError("Diese Fassung gilt nicht mehr; bitte die aktuelle bestätigen.")
    if not selectors.schulungsdokumente_fuer(benutzer).filter(pk=fassung.dokument_id).exists():
        raise PermissionDenied
    kenntnisnahme, neu = Kenntnisnahme.objects.get_or_create(fassung=fassung, benutzer=benutzer)
    if neu:
        _protokollieren(
            akteur,
            Aktion.KENNTNIS_GENOMMEN,
            f"„{fassung.dokument.titel}“ Fassung {fassung.nummer} zur Kenntnis genommen",
            Schulungsdokument(fassung.dokument),
            fassung=fassung.nummer,
        )
    return kenntnisnahme


# --- Schulungen and Termine ------------------------------------------------------------------


def _nur_schulungsplanung(benutzer: Benutzer, verbund_id: int) -> None:
    if not (selectors.ist_redaktion(benutzer) and benutzer.kommune.verbund_id == verbund_id):
        raise PermissionDenied("Nur die Schulungsredaktion plant Schulungen und Termine.")


def _rollen_pruefen(rollen: list[str]) -> None:
    if any(r not in Rolle.values for r in rollen):
        raise ValidationError({"rollen": "Unbekannte Rolle."})


@transaction.atomic
def schulung_anlegen(
    *, akteur: Akteur, titel: str, beschreibung: str = "", rollen: list[str] = ()
) -> Schulung:
    benutzer = _person(akteur)
    verbund_id = benutzer.kommune.verbund_id
    _nur_schulungsplanung(benutzer, verbund_id)
    _rollen_pruefen(list(rollen))
    schulung = Schulung(
        verbund_id=verbund_id,
        titel=titel.strip(),
        beschreibung=beschreibung,
        beschreibung_html=darstellung.als_html(beschreibung),
        rollen=list(rollen),
        erstellt_von=benutzer,
    )
    schulung.full_clean()
    schulung.save()
    return schulung


@transaction.atomic
def schulung_aendern(
    *, akteur: Akteur, schulung: Schulung, titel: str, beschreibung: str, rollen: list[str]
) -> Schulung:
    benutzer = _person(akteur)
    _nur_schulungsplanung(benutzer, schulung.verbund_id)
    _rollen_pruefen(list(rollen))
    schulung.titel, schulung.beschreibung, schulung.rollen = (
        titel.strip(),
        beschreibung,
        list(rollen),
    )
    schulung.beschreibung_html = darstellung.als_html(beschreibung)
    schulung.full_clean()
    schulung.save()
    return schulung


def _termin_pruefen(termin: Schulungstermin) -> None:
    fehler = {}
    if termin.beginn and termin.ende and termin.ende <= termin.beginn:
        fehler["ende"] = "Das Ende muss nach dem Beginn liegen."
    if termin.beginn and termin.anmeldeschluss and termin.anmeldeschluss > termin.beginn:
        fehler["anmeldeschluss"] = "Der Anmeldeschluss darf nicht nach dem Beginn liegen."
    if not termin.ort.strip() and not termin.online_link.strip():
        fehler["ort"] = "Bitte einen Ort oder einen Online-Link angeben."
    if fehler:
        raise ValidationError(fehler)
    termin.full_clean(exclude=["schulung"])


@transaction.atomic
def termin_anlegen(
    *,
    akteur: Akteur,
    schulung: Schulung,
    beginn: datetime,
    ende: datetime,
    kapazitaet: int,
    ort: str = "",
    online_link: str = "",
    anmeldeschluss: datetime | None = None,
) -> Schulungstermin:
    benutzer = _person(akteur)
    _nur_schulungsplanung(benutzer, schulung.verbund_id)
    if beginn <= timezone.now():
        raise ValidationError({"beginn": "Ein neuer Termin muss in der Zukunft liegen."})
    termin = Schulungstermin(
        schulung=schulung,
        beginn=beginn,
        ende=ende,
        kapazitaet=kapazitaet,
        ort=ort.strip(),
        online_link=online_link.strip(),
        anmeldeschluss=anmeldeschluss or beginn,
    )
    _termin_pruefen(termin)
    termin.save()
    return termin


@transaction.atomic
def termin_aendern(
    *,
    akteur: Akteur,
    termin: Schulungstermin,
    beginn: datetime,
    ende: datetime,
    kapazitaet: int,
    ort: str = "",
    online_link: str = "",
    anmeldeschluss: datetime | None = None,
) -> Schulungstermin:
    """Change a Termin. More places move people up from the waiting list; fewer places than
    people registered are refused (nobody is pushed out)."""
    benutzer = _person(akteur)
    _nur_schulungsplanung(benutzer, termin.schulung.verbund_id)
    gesperrt = Schulungstermin.objects.select_for_update().get(pk=termin.pk)
    if gesperrt.abgesagt:
        raise ValidationError("Ein abgesagter Termin kann nicht mehr geändert werden.")
    belegt = _belegt(gesperrt)
    if kapazitaet is not None and kapazitaet < belegt:
        raise ValidationError(
            {
                "kapazitaet": f"Es sind bereits {belegt} Personen angemeldet; "
                "die Zahl der Plätze kann nicht darunter sinken."
            }
        )
    gesperrt.beginn, gesperrt.ende, gesperrt.kapazitaet = beginn, ende, kapazitaet
    gesperrt.ort, gesperrt.online_link = ort.strip(), online_link.strip()
    gesperrt.anmeldeschluss = anmeldeschluss or beginn
    _termin_pruefen(gesperrt)
    gesperrt.save()
    _nachruecken(gesperrt)
    return gesperrt


@transaction.atomic
def termin_absagen(*, akteur: Akteur, termin: Schulungstermin) -> Schulungstermin:
    """Cancel a Termin; everyone registered or waiting is told by e-mail."""
    benutzer = _person(akteur)
    _nur_schulungsplanung(benutzer, termin.schulung.verbund_id)
    gesperrt = Schulungstermin.objects.select_for_update().get(pk=termin.pk)
    if gesperrt.abgesagt:
        return gesperrt
    gesperrt.abgesagt = True
    gesperrt.save(update_fields=["abgesagt"])
    betroffen = gesperrt.anmeldungen.exclude(status=Anmeldestatus.ABGEMELDET)
    for anmeldung_id in betroffen.values_list("pk", flat=True):
        _mitteilen(anmeldung_id, "abgesagt")
    return gesperrt


# --- registration ----------------------------------------------------------------------------


def _mitteilen(anmeldung_id: int, anlass: str) -> None:
    # By name: the tasks call the services, the services never import the tasks.
    transaction.on_commit(
        lambda: current_app.send_task("schulung.anmeldung_mitteilen", args=[anmeldung_id, anlass])
    )


def _belegt(termin: Schulungstermin) -> int:
    return termin.anmeldungen.filter(status=Anmeldestatus.ANGEMELDET).count()


def _lokal(zeitpunkt: datetime) -> str:
    return f"{timezone.localtime(zeitpunkt):%d.%m.%Y um %H:%M} Uhr"


def _gesperrter_termin(benutzer: Benutzer, termin: Schulungstermin) -> Schulungstermin:
    """Lock the Termin row: registrations for one Termin happen one after the other."""
    gesperrt = (
        Schulungstermin.objects.select_for_update(of=("self",))
        .select_related("schulung")
        .get(pk=termin.pk)
    )
    if not selectors.schulungen_fuer(benutzer).filter(pk=gesperrt.schulung_id).exists():
        raise PermissionDenied("Diese Schulung ist nicht für Sie vorgesehen.")
    return gesperrt


def _nachruecken(termin: Schulungstermin) -> list[Anmeldung]:
    """Fill free places from the waiting list, first come first served (Termin is locked)."""
    if termin.abgesagt or termin.beginn <= timezone.now():
        return []
    frei = termin.kapazitaet - _belegt(termin)
    if frei <= 0:
        return []
    nachgerueckt = list(selectors.warteliste(termin)[:frei])
    for anmeldung in nachgerueckt:
        anmeldung.status = Anmeldestatus.ANGEMELDET
        anmeldung.save(update_fields=["status"])
        _mitteilen(anmeldung.pk, "nachgerueckt")
    return nachgerueckt


@transaction.atomic
def termin_anmelden(*, akteur: Akteur, termin: Schulungstermin) -> Anmeldung:
    """Register for a Termin: a free place makes the person angemeldet, otherwise they join the
    end of the waiting list (`platz` on the result). Refused after the deadline, twice, or for a
    cancelled Termin."""
    benutzer = _person(akteur)
    gesperrt = _gesperrter_termin(benutzer, termin)
    jetzt = timezone.now()
    if gesperrt.abgesagt:
        raise ValidationError("Dieser Termin wurde abgesagt; eine Anmeldung ist nicht möglich.")
    if jetzt > gesperrt.anmeldeschluss:
        raise ValidationError(
            f"Die Anmeldefrist ist am {_lokal(gesperrt.anmeldeschluss)} abgelaufen."
        )
    anmeldung = Anmeldung.objects.filter(termin=gesperrt, benutzer=benutzer).first()
    if anmeldung is not None and anmeldung.status == Anmeldestatus.ANGEMELDET:
        raise ValidationError("Sie sind bereits angemeldet.")
    if anmeldung is not None and anmeldung.status == Anmeldestatus.WARTELISTE:
        platz = selectors.wartelistenplatz(anmeldung)
        raise ValidationError(f"Sie stehen bereits auf der Warteliste (Platz {platz}).")
    _nachruecken(gesperrt)
    hat_platz = _belegt(gesperrt) < gesperrt.kapazitaet
    status = Anmeldestatus.ANGEMELDET if hat_platz else Anmeldestatus.WARTELISTE
    if anmeldung is None:
        anmeldung = Anmeldung(termin=gesperrt, benutzer=benutzer)
    anmeldung.status, anmeldung.zeitpunkt = status, jetzt
    anmeldung.teilgenommen, anmeldung.erinnert_am = None, None
    anmeldung.save()
    anmeldung.platz = selectors.wartelistenplatz(anmeldung)
    _mitteilen(anmeldung.pk, str(status))
    return anmeldung


@transaction.atomic
def termin_abmelden(*, akteur: Akteur, termin: Schulungstermin) -> Anmeldung:
    """Leave a Termin (or its waiting list) before it begins; a freed place goes to the first
    person on the waiting list."""
    benutzer = _person(akteur)
    gesperrt = _gesperrter_termin(benutzer, termin)
    anmeldung = (
        Anmeldung.objects.filter(termin=gesperrt, benutzer=benutzer)
        .exclude(status=Anmeldestatus.ABGEMELDET)
        .first()
    )
    if anmeldung is None:
        raise ValidationError("Sie sind für diesen Termin nicht angemeldet.")
    if timezone.now() >= gesperrt.beginn:
        raise ValidationError(
            "Der Termin hat bereits begonnen; Sie können sich nicht mehr abmelden."
        )
    anmeldung.status = Anmeldestatus.ABGEMELDET
    anmeldung.save(update_fields=["status"])
    _nachruecken(gesperrt)
    return anmeldung


# --- attendance, certificates, reminders -----------------------------------------------------


def _bescheinigungsnummer(anmeldung: Anmeldung) -> str:
    kennung = anmeldung.uuid.hex[:12].upper()
    jahr = timezone.localtime(anmeldung.termin.beginn).year
    return f"TB-{jahr}-{kennung[:4]}-{kennung[4:8]}-{kennung[8:]}"


@transaction.atomic
def anwesenheit_erfassen(
    *, akteur: Akteur, termin: Schulungstermin, anwesend: list[str]
) -> list[Anmeldung]:
    """Record who attended (UUIDs of Anmeldungen); everyone else registered did not. Participants
    get a certificate number. Possible from the start of the Termin on."""
    benutzer = _person(akteur)
    _nur_schulungsplanung(benutzer, termin.schulung.verbund_id)
    gesperrt = Schulungstermin.objects.select_for_update().get(pk=termin.pk)
    if gesperrt.abgesagt:
        raise ValidationError("Der Termin wurde abgesagt.")
    if gesperrt.beginn > timezone.now():
        raise ValidationError("Die Anwesenheit kann erst ab Beginn des Termins erfasst werden.")
    angemeldet = list(
        gesperrt.anmeldungen.filter(status=Anmeldestatus.ANGEMELDET).select_related(
            "termin", "benutzer"
        )
    )
    gewaehlt = {str(kennung) for kennung in anwesend}
    unbekannt = gewaehlt - {str(a.uuid) for a in angemeldet}
    if unbekannt:
        raise ValidationError("Die Auswahl enthält Personen, die nicht angemeldet sind.")
    vorher = {a.pk: a.teilgenommen for a in angemeldet}
    for anmeldung in angemeldet:
        anmeldung.teilgenommen = str(anmeldung.uuid) in gewaehlt
        if anmeldung.teilgenommen and not anmeldung.bescheinigungsnummer:
            anmeldung.bescheinigungsnummer = _bescheinigungsnummer(anmeldung)
        anmeldung.save(update_fields=["teilgenommen", "bescheinigungsnummer"])
    teilgenommen = [a for a in angemeldet if a.teilgenommen]
    # Each change of attendance (a correction too) names who was marked present or absent.
    _protokollieren(
        akteur,
        Aktion.ANWESENHEIT,
        f"Anwesenheit erfasst: „{gesperrt.schulung.titel}“ am "
        f"{_lokal(gesperrt.beginn)}, {len(teilgenommen)} von {len(angemeldet)} teilgenommen",
        gesperrt,
        teilgenommen=[str(a.benutzer.username) for a in teilgenommen],
        neu_anwesend=sorted(
            a.benutzer.username for a in angemeldet if a.teilgenommen and not vorher[a.pk]
        ),
        neu_abwesend=sorted(
            a.benutzer.username
            for a in angemeldet
            if not a.teilgenommen and vorher[a.pk] is not False
        ),
    )
    return angemeldet


def erinnerungen_senden(*, jetzt: datetime | None = None) -> int:
    """Remind everyone registered for a Termin that begins before the end of tomorrow, once.
    Each reminder is claimed, sent and marked in its own transaction, so that two runs (or two
    beat schedulers) never send the same reminder twice."""

    jetzt = jetzt or timezone.now()
    uebermorgen = timezone.localdate(jetzt) + timedelta(days=2)
    grenze = timezone.make_aware(datetime.combine(uebermorgen, time.min))
    faellig = Anmeldung.objects.filter(
        status=Anmeldestatus.ANGEMELDET,
        erinnert_am__isnull=True,
        termin__abgesagt=False,
        termin__beginn__gt=jetzt,
        termin__beginn__lt=grenze,
    )
    gesendet = 0
    for anmeldung_id in list(faellig.values_list("pk", flat=True)):
        with transaction.atomic():
            anmeldung = (
                Anmeldung.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("termin__schulung", "benutzer")
                .filter(pk=anmeldung_id, erinnert_am__isnull=True)
                .first()
            )
            if anmeldung is None:
                continue
            mitteilungen.senden(anmeldung, "erinnerung")
            anmeldung.erinnert_am = timezone.now()
            anmeldung.save(update_fields=["erinnert_am"])
            gesendet += 1
    return gesendet


# --- attachments (PDF only) ------------------------------------------------------------------

ANHANG_MAX_BYTES = 20 * 1024 * 1024


def _anhang_grenze() -> int:
    return getattr(settings, "SCHULUNG_ANHANG_MAX_BYTES", ANHANG_MAX_BYTES)


def _mb(groesse: int) -> str:
    return f"{groesse / (1024 * 1024):.1f} MB".replace(".", ",")


def anhang_grenze_text() -> str:
    return _mb(_anhang_grenze())


def anhang_speicherort(dokument: Dokument, sha256: str) -> str:
    return f"schulung/{dokument.verbund.uuid}/{sha256[:2]}/{sha256}"


@transaction.atomic
def anhang_hinzufuegen(*, akteur: Akteur, dokument: Dokument, datei) -> Anhang:
    """Attach a PDF. The type is sniffed from the content (libmagic), never taken from the name;
    other types, empty and oversized files are refused with a German message."""
    benutzer = _person(akteur)
    _nur_redaktion(benutzer, dokument.verbund_id)
    groesse, grenze = datei.size or 0, _anhang_grenze()
    if groesse == 0:
        raise ValidationError({"datei": "Die Datei ist leer (0 Bytes)."})
    if groesse > grenze:
        raise ValidationError(
            {
                "datei": f"Die Datei ist mit {_mb(groesse)} zu groß; Anhänge dürfen höchstens "
                f"{_mb(grenze)} groß sein."
            }
        )
    typ = dateien.dateityp(datei)
    if typ != "application/pdf":
        raise ValidationError(
            {"datei": f"Als Anhang sind nur PDF-Dateien erlaubt; erkannt wurde: {in_worten(typ)}."}
        )
    pruefsumme = hashlib.sha256()
    datei.seek(0)
    for stueck in datei.chunks():
        pruefsumme.update(stueck)
    datei.seek(0)
    sha256 = pruefsumme.hexdigest()
    ort = anhang_speicherort(dokument, sha256)
    if not dateien.speicher().exists(ort):
        gespeichert = dateien.speicher().save(ort, datei)
        if gespeichert != ort:  # a parallel upload of the same content won the race
            dateien.speicher().delete(gespeichert)
    name = PurePath(str(datei.name).replace("\\", "/")).name.strip() or "anhang.pdf"
    return Anhang.objects.create(
        dokument=dokument,
        dateiname=name[:255],
        speicherort=ort,
        sha256=sha256,
        groesse=groesse,
        hochgeladen_von=benutzer,
    )


@transaction.atomic
def anhang_entfernen(*, akteur: Akteur, anhang: Anhang) -> None:
    """Remove the attachment from the document; the stored content stays (it may be shared)."""
    benutzer = _person(akteur)
    _nur_redaktion(benutzer, anhang.dokument.verbund_id)
    anhang.delete()


# --- reminders to confirm a Dienstanweisung ---------------------------------------------------

ERINNERUNG_ABSTAND = timedelta(hours=24)


@transaction.atomic
def kenntnisnahme_erinnern(*, akteur: Akteur, fassung: Fassung) -> int:
    """Queue reminders for the open people the asker sees; returns how many were queued
    (the task `schulung.kenntnisnahme_erinnern` sends them, see kenntnisnahme_mail)."""
    benutzer = _person(akteur)
    if not darf(benutzer, "schulung.abschluss_sehen"):
        raise PermissionDenied("Erinnerungen verschicken Schulung und Kommunen-Admins.")
    jetzt = timezone.now()
    offen = [z.person.pk for z in selectors.abschluss(benutzer, fassung) if not z.bestaetigt_am]
    kuerzlich = set(
        Kenntnisnahmeerinnerung.objects.filter(
            fassung=fassung, benutzer_id__in=offen, gesendet_am__gt=jetzt - ERINNERUNG_ABSTAND
        ).values_list("benutzer_id", flat=True)
    )
    empfaenger = [pk for pk in offen if pk not in kuerzlich]
    for pk in empfaenger:
        Kenntnisnahmeerinnerung.objects.update_or_create(
            fassung=fassung, benutzer_id=pk, defaults={"gesendet_am": jetzt}
        )
    if empfaenger:
        transaction.on_commit(
            lambda: current_app.send_task(
                "schulung.kenntnisnahme_erinnern", args=[fassung.pk, empfaenger]
            )
        )
    return len(empfaenger)
