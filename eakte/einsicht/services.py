"""Every write of the Akteneinsicht. Each takes the actor, asks the rules, runs in one
transaction and writes the Protokoll (existing actions: angelegt, geändert, freigegeben,
Freigabe entzogen, angesehen, heruntergeladen), so nothing is half-written.

The recipient acts without an account: their actor is the system, named after the Einsicht,
with the client's address (`empfaenger_akteur`).
"""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from eakte.akten import dateien
from eakte.akten.models import Akte, Datei, Dokument
from eakte.common.akteur import Akteur, Anmeldeart
from eakte.common.regeln import pruefen
from eakte.common.wortlaut import mit_anzahl
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren

from . import schwaerzung, selectors
from .models import (
    Einsicht,
    EinsichtDokument,
    Empfaengerrolle,
    Schwaerzung,
    Status,
    Zugriff,
    Zugriffsart,
    Zweitkanal,
)

STANDARD_TAGE = 14
HOECHSTENS_TAGE = 365
MAX_FEHLVERSUCHE = 5
MAX_KAESTEN_JE_AUFRUF = 2000
NUR_ENTWURF = (
    "Die Einsicht ist bereits freigegeben; Schwärzungen und Auswahl lassen sich nicht mehr "
    "ändern. Legen Sie bei Bedarf eine neue Einsicht an."
)
NICHT_SCHREIBEN = "Akteneinsicht gewährt nur, wer die Akte bearbeiten darf."


def empfaenger_akteur(einsicht: Einsicht, ip: str | None) -> Akteur:
    return Akteur(
        benutzer=None,
        art=Anmeldeart.SYSTEM,
        ip=ip,
        grund=f"Akteneinsicht {einsicht.nummer}: {einsicht.empfaenger_name}",
    )


def _protokoll(einsicht: Einsicht, akteur: Akteur, aktion: Aktion, beschreibung: str, **weiteres):
    """The Protokoll entry of an Einsicht: in its Kommune's chain, naming the Akte."""
    return protokollieren(
        kommune_id=einsicht.kommune_id,
        akteur=akteur,
        aktion=aktion,
        beschreibung=beschreibung,
        objekt=einsicht,
        akte=einsicht.akte,
        **weiteres,
    )


def _email_pruefen(feld: str, adresse: str) -> str:
    adresse = (adresse or "").strip()
    try:
        validate_email(adresse)
    except ValidationError as fehler:
        raise ValidationError(
            {feld: "Bitte eine gültige E-Mail-Adresse angeben (z. B. name@beispiel.de)."}
        ) from fehler
    return adresse


def _pdf_quelle(dokument: Dokument) -> tuple[object, Datei | None]:
    """The latest Version and the PDF to release from: the archive version (PDF/A with text) if
    the recognition is done, else the original if it is a PDF."""
    version = dokument.versionen.select_related("datei").order_by("-nummer").first()
    if version is None:
        return None, None
    verarbeitung = getattr(version.datei, "verarbeitung", None)
    if verarbeitung is not None and verarbeitung.archiv_id:
        return version, verarbeitung.archiv
    if version.datei.mime_typ == "application/pdf":
        return version, version.datei
    return version, None


def _naechste_nummer(kommune_id: int, jahr: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [4721, kommune_id])
    letzte = Einsicht.alle.filter(kommune_id=kommune_id, jahr=jahr).aggregate(
        m=Max("laufende_nummer")
    )["m"]
    return (letzte or 0) + 1


@transaction.atomic
def einsicht_anlegen(  # noqa: C901 (one check after the other, each with its message)
    *,
    akteur: Akteur,
    akte: Akte,
    empfaenger_name: str,
    empfaenger_email: str,
    empfaenger_rolle: str = Empfaengerrolle.BETEILIGT,
    gueltig_bis: date | None = None,
    download_erlaubt: bool = False,
    zweitkanal: str = Zweitkanal.BRIEF_TELEFON,
    zweitkanal_email: str = "",
    dokumente: list[Dokument] | None = None,
    zurueckgehalten: dict[int, str] | None = None,
) -> Einsicht:
    """A draft Einsicht: `dokumente` (default: every document of the Akte the clerk can read),
    `zurueckgehalten` maps Dokument ids to the reason for withholding them."""
    benutzer = akteur.benutzer
    pruefen(benutzer, "einsicht.gewaehren", akte, meldung=NICHT_SCHREIBEN)
    fehler: dict[str, str] = {}
    empfaenger_name = (empfaenger_name or "").strip()
    if not empfaenger_name:
        fehler["empfaenger_name"] = "Bitte den Namen der Empfängerin / des Empfängers angeben."
    try:
        empfaenger_email = _email_pruefen("empfaenger_email", empfaenger_email)
    except ValidationError as e:
        fehler.update(e.message_dict)
    if empfaenger_rolle not in Empfaengerrolle.values:
        fehler["empfaenger_rolle"] = "Bitte Beteiligte/r oder Bevollmächtigte/r wählen."
    if zweitkanal not in Zweitkanal.values:
        fehler["zweitkanal"] = "Bitte wählen, wie der Code übermittelt wird."
    elif zweitkanal == Zweitkanal.EMAIL:
        try:
            zweitkanal_email = _email_pruefen("zweitkanal_email", zweitkanal_email)
        except ValidationError as e:
            fehler.update(e.message_dict)
        else:
            if zweitkanal_email.lower() == empfaenger_email.lower():
                fehler["zweitkanal_email"] = (
                    "Der Code muss über einen zweiten Weg gehen: bitte eine andere Adresse als "
                    "die für den Link angeben."
                )
    else:
        zweitkanal_email = ""
    heute = timezone.localdate()
    gueltig_bis = gueltig_bis or heute + timedelta(days=STANDARD_TAGE)
    if gueltig_bis < heute:
        fehler["gueltig_bis"] = "Das Ende der Einsicht darf nicht in der Vergangenheit liegen."
    elif gueltig_bis > heute + timedelta(days=HOECHSTENS_TAGE):
        fehler["gueltig_bis"] = "Eine Einsicht gilt höchstens ein Jahr."
    sichtbar = selectors.dokumente_zur_auswahl(benutzer, akte)
    if dokumente is None:
        auswahl = list(sichtbar)
    else:
        ids = {d.pk for d in dokumente}
        auswahl = list(sichtbar.filter(pk__in=ids))
        if len(auswahl) != len(ids):
            fehler["dokumente"] = (
                "Mindestens ein gewähltes Dokument gehört nicht zu dieser Akte oder Sie dürfen "
                "es nicht lesen; es kann nicht zur Einsicht gegeben werden."
            )
    if not auswahl and "dokumente" not in fehler:
        fehler["dokumente"] = "Die Akte enthält kein Dokument, das Sie zur Einsicht geben können."
    zurueckgehalten = dict(zurueckgehalten or {})
    ausgewaehlt = {d.pk for d in auswahl}
    for dokument_id, grund in zurueckgehalten.items():
        if dokument_id not in ausgewaehlt:
            fehler["zurueckgehalten"] = "Zurückhalten lassen sich nur Dokumente dieser Einsicht."
        elif not (grund or "").strip():
            fehler["zurueckgehalten"] = (
                "Bitte für jedes zurückgehaltene Dokument einen Grund angeben."
            )
    if fehler:
        raise ValidationError(fehler)
    jahr = heute.year
    nummer = _naechste_nummer(akte.kommune_id, jahr)
    einsicht = Einsicht.objects.create(
        kommune_id=akte.kommune_id,
        akte=akte,
        jahr=jahr,
        laufende_nummer=nummer,
        nummer=f"AE-{jahr}-{nummer:04d}",
        empfaenger_name=empfaenger_name,
        empfaenger_email=empfaenger_email,
        empfaenger_rolle=empfaenger_rolle,
        gueltig_bis=gueltig_bis,
        download_erlaubt=download_erlaubt,
        zweitkanal=zweitkanal,
        zweitkanal_email=zweitkanal_email,
        zugangsschluessel=secrets.token_urlsafe(32),
        angelegt_von=benutzer,
    )
    zeilen = []
    for dokument in auswahl:
        version, quelle = _pdf_quelle(dokument)
        if version is None:
            continue
        grund = (zurueckgehalten.get(dokument.pk) or "").strip()
        if not grund and quelle is None:
            grund = "Keine PDF-Fassung vorhanden (Texterkennung/Umwandlung noch nicht fertig)."
        zeilen.append(
            EinsichtDokument(
                kommune_id=akte.kommune_id,
                einsicht=einsicht,
                dokument=dokument,
                version=version,
                freigegeben=not grund,
                grund=grund[:500],
                quelle=quelle,
            )
        )
    EinsichtDokument.objects.bulk_create(zeilen, batch_size=500)
    protokollieren(
        kommune_id=akte.kommune_id,
        akteur=akteur,
        aktion=Aktion.ANGELEGT,
        beschreibung=f"Akteneinsicht {einsicht.nummer} für {empfaenger_name} "
        f"({einsicht.get_empfaenger_rolle_display()}) vorbereitet",
        objekt=einsicht,
        akte=akte,
        details={
            "einsicht": str(einsicht.uuid),
            "dokumente": len(zeilen),
            "zurueckgehalten": [
                {"dokument": str(z.dokument.uuid), "grund": z.grund}
                for z in zeilen
                if not z.freigegeben
            ],
            "gueltig_bis": gueltig_bis.isoformat(),
            "download_erlaubt": download_erlaubt,
        },
    )
    return einsicht


def _entwurf_gesperrt(akteur: Akteur, einsicht: Einsicht) -> Einsicht:
    pruefen(akteur.benutzer, "einsicht.bearbeiten", einsicht, meldung=NICHT_SCHREIBEN)
    einsicht = Einsicht.objects.select_for_update(of=("self",)).get(pk=einsicht.pk)
    if einsicht.status != Status.ENTWURF:
        raise ValidationError(NUR_ENTWURF)
    return einsicht


def _quelle_lesen(eintrag: EinsichtDokument) -> bytes:
    if eintrag.quelle is None:
        raise ValidationError(f"„{eintrag.dokument.titel}“ hat keine PDF-Fassung.")
    with dateien.oeffnen(eintrag.quelle) as inhalt:
        return inhalt.read()


@transaction.atomic
def dokument_zurueckhalten(
    *, akteur: Akteur, eintrag: EinsichtDokument, zurueckhalten: bool, grund: str = ""
) -> EinsichtDokument:
    einsicht = _entwurf_gesperrt(akteur, eintrag.einsicht)
    grund = (grund or "").strip()
    if zurueckhalten and not grund:
        raise ValidationError({"grund": "Bitte einen Grund für die Zurückhaltung angeben."})
    if not zurueckhalten and eintrag.quelle is None:
        raise ValidationError("Ohne PDF-Fassung kann das Dokument nicht freigegeben werden.")
    eintrag.freigegeben, eintrag.grund = not zurueckhalten, grund[:500] if zurueckhalten else ""
    eintrag.save(update_fields=["freigegeben", "grund"])
    _protokoll(
        einsicht,
        akteur,
        Aktion.GEAENDERT,
        f"Akteneinsicht {einsicht.nummer}: „{eintrag.dokument.titel}“ "
        + (f"zurückgehalten: {grund}" if zurueckhalten else "wieder zur Einsicht gegeben"),
    )
    return eintrag


@transaction.atomic
def schwaerzungen_hinzufuegen(
    *,
    akteur: Akteur,
    eintrag: EinsichtDokument,
    kaesten: list[schwaerzung.Kasten],
    suchwort: str = "",
) -> list[Schwaerzung]:
    """Boxes on pages of one document of a draft; a box outside the page is refused (all or
    nothing)."""
    einsicht = _entwurf_gesperrt(akteur, eintrag.einsicht)
    if len(kaesten) > MAX_KAESTEN_JE_AUFRUF:
        raise ValidationError(f"Höchstens {MAX_KAESTEN_JE_AUFRUF} Bereiche auf einmal.")
    if not eintrag.freigegeben:
        raise ValidationError("Das Dokument wird zurückgehalten; es gibt nichts zu schwärzen.")
    if eintrag.seiten is None:
        eintrag.seiten = schwaerzung.seitenzahl(_quelle_lesen(eintrag))
        eintrag.save(update_fields=["seiten"])
    for kasten in kaesten:
        schwaerzung.kasten_pruefen(kasten, eintrag.seiten)
    neue = Schwaerzung.objects.bulk_create(
        Schwaerzung(
            kommune_id=einsicht.kommune_id,
            einsicht_dokument=eintrag,
            seite=k.seite,
            x0=k.x0,
            y0=k.y0,
            x1=k.x1,
            y1=k.y1,
            suchwort=suchwort[:200],
        )
        for k in kaesten
    )
    _protokoll(
        einsicht,
        akteur,
        Aktion.GEAENDERT,
        f"Akteneinsicht {einsicht.nummer}: "
        f"{mit_anzahl(len(neue), 'Schwärzung', 'Schwärzungen')} in „{eintrag.dokument.titel}“ "
        "markiert",
        details={"seiten": sorted({k.seite for k in kaesten}), "suchwort": bool(suchwort)},
    )
    return neue


@transaction.atomic
def wort_schwaerzen(*, akteur: Akteur, einsicht: Einsicht, wort: str) -> int:
    """Find `wort` on every page of every released document and mark each place."""
    einsicht = _entwurf_gesperrt(akteur, einsicht)
    gesamt = 0
    for eintrag in selectors.freigegebene_dokumente(einsicht):
        kaesten = schwaerzung.wortkaesten(_quelle_lesen(eintrag), wort)
        if kaesten:
            gesamt += len(
                schwaerzungen_hinzufuegen(
                    akteur=akteur, eintrag=eintrag, kaesten=kaesten, suchwort=wort
                )
            )
    return gesamt


@transaction.atomic
def schwaerzung_entfernen(*, akteur: Akteur, schwaerzung_: Schwaerzung) -> None:
    einsicht = _entwurf_gesperrt(akteur, schwaerzung_.einsicht_dokument.einsicht)
    schwaerzung_.delete()
    _protokoll(
        einsicht,
        akteur,
        Aktion.GEAENDERT,
        f"Akteneinsicht {einsicht.nummer}: eine Schwärzung entfernt",
    )


@dataclass(frozen=True)
class Freigabe:
    einsicht: Einsicht
    code: str
    link: str


def _neuer_code() -> str:
    return f"{secrets.randbelow(10**8):08d}"


def zugangslink(einsicht: Einsicht) -> str:
    pfad = reverse("einsicht:zugang", kwargs={"schluessel": einsicht.zugangsschluessel})
    return settings.SITE_URL.rstrip("/") + pfad


def _code_senden(einsicht: Einsicht, code: str) -> None:
    if einsicht.zweitkanal != Zweitkanal.EMAIL:
        return
    adresse, nummer = einsicht.zweitkanal_email, einsicht.nummer
    text = (
        f"Guten Tag,\n\nIhr Zugangscode für die Akteneinsicht {nummer} lautet: {code}\n\n"
        "Den Link zur Einsicht erhalten Sie mit einer eigenen E-Mail. Der Code gilt einmal.\n"
    )
    transaction.on_commit(
        lambda: send_mail(f"Zugangscode Akteneinsicht {nummer}", text, None, [adresse])
    )


@transaction.atomic
def einsicht_freigeben(*, akteur: Akteur, einsicht: Einsicht) -> Freigabe:
    """Make the released copies (redacted pages rasterised, stored as new Dateien), create the
    code, send the link. An encrypted or damaged PDF stops the release as a whole."""
    einsicht = _entwurf_gesperrt(akteur, einsicht)
    eintraege = list(selectors.freigegebene_dokumente(einsicht).prefetch_related("schwaerzungen"))
    if not eintraege:
        raise ValidationError("Es ist kein Dokument zur Einsicht freigegeben.")
    geschwaerzt = []
    for eintrag in eintraege:
        kaesten = [
            schwaerzung.Kasten(s.seite, s.x0, s.y0, s.x1, s.y1) for s in eintrag.schwaerzungen.all()
        ]
        if not kaesten:
            eintrag.freigabedatei = eintrag.quelle
            continue
        try:
            inhalt = schwaerzung.schwaerzen(_quelle_lesen(eintrag), kaesten)
            if settings.EINSICHT_NEU_ERKENNEN:
                inhalt = schwaerzung.neu_erkennen(inhalt)
        except ValidationError as fehler:
            raise ValidationError(f"„{eintrag.dokument.titel}“: {fehler.messages[0]}") from fehler
        eintrag.freigabedatei = dateien.inhalt_ablegen(
            kommune=einsicht.kommune, inhalt=inhalt, mime_typ="application/pdf"
        )
        geschwaerzt.append(
            {
                "dokument": str(eintrag.dokument.uuid),
                "schwaerzungen": len(kaesten),
                "sha256": eintrag.freigabedatei.sha256,
            }
        )
    EinsichtDokument.objects.bulk_update(eintraege, ["freigabedatei"], batch_size=500)
    code = _neuer_code()
    einsicht.code_hash = make_password(code)
    einsicht.status, einsicht.freigegeben_am = Status.FREIGEGEBEN, timezone.now()
    einsicht.save(update_fields=["code_hash", "status", "freigegeben_am"])
    link = zugangslink(einsicht)
    adresse, nummer = einsicht.empfaenger_email, einsicht.nummer
    text = (
        f"Guten Tag,\n\n{einsicht.kommune.name} gewährt Ihnen Einsicht in die Akte "
        f"{einsicht.akte.aktenzeichen} (Einsicht {nummer}) bis zum "
        f"{einsicht.gueltig_bis:%d.%m.%Y}.\n\nLink: {link}\n\nDen Zugangscode erhalten Sie auf "
        "einem zweiten Weg (Brief, Telefon oder eine andere E-Mail-Adresse).\n"
    )
    transaction.on_commit(lambda: send_mail(f"Akteneinsicht {nummer}", text, None, [adresse]))
    _code_senden(einsicht, code)
    _protokoll(
        einsicht,
        akteur,
        Aktion.FREIGEGEBEN,
        f"Akteneinsicht {nummer} für {einsicht.empfaenger_name} freigegeben "
        f"({mit_anzahl(len(eintraege), 'Dokument', 'Dokumente')}, {len(geschwaerzt)} geschwärzt)",
        details={"geschwaerzt": geschwaerzt, "zweitkanal": einsicht.zweitkanal},
    )
    return Freigabe(einsicht=einsicht, code=code, link=link)


def _freigegeben_gesperrt(akteur: Akteur, einsicht: Einsicht) -> Einsicht:
    pruefen(akteur.benutzer, "einsicht.bearbeiten", einsicht, meldung=NICHT_SCHREIBEN)
    einsicht = Einsicht.objects.select_for_update(of=("self",)).get(pk=einsicht.pk)
    if einsicht.status != Status.FREIGEGEBEN:
        raise ValidationError("Die Einsicht ist nicht (mehr) freigegeben.")
    return einsicht


@transaction.atomic
def einsicht_widerrufen(*, akteur: Akteur, einsicht: Einsicht) -> Einsicht:
    """At once: the link answers "widerrufen" from the next request on."""
    pruefen(akteur.benutzer, "einsicht.bearbeiten", einsicht, meldung=NICHT_SCHREIBEN)
    einsicht = Einsicht.objects.select_for_update(of=("self",)).get(pk=einsicht.pk)
    if einsicht.status == Status.WIDERRUFEN:
        raise ValidationError("Die Einsicht ist bereits widerrufen.")
    einsicht.status, einsicht.widerrufen_am, einsicht.code_hash = (
        Status.WIDERRUFEN,
        timezone.now(),
        "",
    )
    einsicht.save(update_fields=["status", "widerrufen_am", "code_hash"])
    _protokoll(
        einsicht,
        akteur,
        Aktion.FREIGABE_ENTZOGEN,
        f"Akteneinsicht {einsicht.nummer} widerrufen",
    )
    return einsicht


@transaction.atomic
def code_erneuern(*, akteur: Akteur, einsicht: Einsicht) -> str:
    """A new one-time code (the old one stops working); also lifts a lock after wrong codes."""
    einsicht = _freigegeben_gesperrt(akteur, einsicht)
    code = _neuer_code()
    einsicht.code_hash, einsicht.fehlversuche, einsicht.gesperrt_am = make_password(code), 0, None
    einsicht.save(update_fields=["code_hash", "fehlversuche", "gesperrt_am"])
    _code_senden(einsicht, code)
    _protokoll(
        einsicht,
        akteur,
        Aktion.GEAENDERT,
        f"Akteneinsicht {einsicht.nummer}: neuer Zugangscode erzeugt",
    )
    return code


# --- the recipient ---------------------------------------------------------------------------


def zustand(einsicht: Einsicht | None) -> str:
    """ "offen", or why the link does not open: unbekannt, widerrufen, abgelaufen, gesperrt."""
    if einsicht is None or einsicht.status == Status.ENTWURF:
        return "unbekannt"
    if einsicht.status == Status.WIDERRUFEN:
        return "widerrufen"
    if einsicht.gueltig_bis < timezone.localdate():
        return "abgelaufen"
    if einsicht.gesperrt_am is not None:
        return "gesperrt"
    return "offen"


VERSUCHE_JE_ADRESSE = 20  # code tries per address and 10 minutes, over all links (pages and API)


def zu_viele_versuche(ip: str | None) -> bool:
    """Counts one code try of this address (Redis); True once there were too many."""
    from django.core.cache import cache

    zaehler = f"einsicht-code-versuche:{ip}"
    cache.add(zaehler, 0, timeout=600)
    return cache.incr(zaehler) > VERSUCHE_JE_ADRESSE


ZUGANG_SALZ = "eakte.einsicht.zugang"


def zugang_ausstellen(einsicht: Einsicht) -> str:
    """After the right code: a signed access token for the API (like the page's session)."""
    from django.core.signing import TimestampSigner

    return TimestampSigner(salt=ZUGANG_SALZ).sign(str(einsicht.uuid))


def zugang_gilt(einsicht: Einsicht, token: str) -> bool:
    """The token belongs to this Einsicht and is at most 12 hours old (revocation, expiry and
    lock are checked on every request besides)."""
    from django.core.signing import BadSignature, TimestampSigner

    try:
        wert = TimestampSigner(salt=ZUGANG_SALZ).unsign(token or "", max_age=12 * 3600)
    except BadSignature:
        return False
    return wert == str(einsicht.uuid)


@transaction.atomic
def code_pruefen(*, einsicht: Einsicht, code: str, ip: str | None) -> bool:
    """One try of the one-time code. Right: the code is used up (the browser session keeps the
    access). Wrong: counted; the fifth wrong code locks the link. Every try is logged."""
    einsicht = Einsicht.alle.select_for_update(of=("self",)).get(pk=einsicht.pk)
    if zustand(einsicht) != "offen":
        return False
    code = "".join(ch for ch in (code or "") if ch.isdigit())[:20]
    richtig = bool(einsicht.code_hash) and bool(code) and check_password(code, einsicht.code_hash)
    akteur = empfaenger_akteur(einsicht, ip)
    if richtig:
        einsicht.code_hash = ""
        einsicht.save(update_fields=["code_hash"])
        Zugriff.alle.create(
            kommune_id=einsicht.kommune_id,
            einsicht=einsicht,
            art=Zugriffsart.CODE_RICHTIG,
            ip_adresse=ip,
        )
        _protokoll(
            einsicht,
            akteur,
            Aktion.ANGEMELDET,
            f"Akteneinsicht {einsicht.nummer}: mit Zugangscode geöffnet",
        )
        return True
    einsicht.fehlversuche += 1
    felder = ["fehlversuche"]
    art = Zugriffsart.CODE_FALSCH
    if einsicht.fehlversuche >= MAX_FEHLVERSUCHE:
        einsicht.gesperrt_am, art = timezone.now(), Zugriffsart.GESPERRT
        felder.append("gesperrt_am")
    einsicht.save(update_fields=felder)
    Zugriff.alle.create(kommune_id=einsicht.kommune_id, einsicht=einsicht, art=art, ip_adresse=ip)
    _protokoll(
        einsicht,
        akteur,
        Aktion.GEAENDERT,
        f"Akteneinsicht {einsicht.nummer}: falscher Zugangscode "
        f"({einsicht.fehlversuche}. Versuch)"
        + ("; Link gesperrt" if art == Zugriffsart.GESPERRT else ""),
    )
    return False


@transaction.atomic
def zugriff_festhalten(
    *,
    einsicht: Einsicht,
    eintrag: EinsichtDokument,
    art: str,
    ip: str | None,
    seite: int | None = None,
) -> None:
    """A page view or download by the recipient: Zugriff row and Protokoll entry."""
    if art not in (Zugriffsart.ANSICHT, Zugriffsart.DOWNLOAD):
        raise ValueError(art)
    if zustand(einsicht) != "offen" or not eintrag.freigegeben:
        raise PermissionDenied("Die Einsicht ist nicht (mehr) offen.")
    Zugriff.alle.create(
        kommune_id=einsicht.kommune_id,
        einsicht=einsicht,
        einsicht_dokument=eintrag,
        art=art,
        seite=seite,
        ip_adresse=ip,
    )
    was = f"Seite {seite} von" if art == Zugriffsart.ANSICHT else "heruntergeladen:"
    _protokoll(
        einsicht,
        empfaenger_akteur(einsicht, ip),
        Aktion.ANGESEHEN if art == Zugriffsart.ANSICHT else Aktion.HERUNTERGELADEN,
        f"Akteneinsicht {einsicht.nummer}: {was} „{eintrag.dokument.titel}“",
        details={"dokument": str(eintrag.dokument.uuid), "seite": seite},
    )


def wasserzeichen_text(einsicht: Einsicht) -> str:
    return (
        f"Akteneinsicht {einsicht.nummer} · {einsicht.empfaenger_name} · "
        f"{timezone.localdate():%d.%m.%Y} · nur zur Einsicht, Weitergabe untersagt"
    )


def freigegebene_pdf(einsicht: Einsicht, eintrag: EinsichtDokument) -> bytes:
    """The released copy with the recipient's watermark burnt into every page."""
    with dateien.oeffnen(eintrag.freigabedatei) as inhalt:
        roh = inhalt.read()
    return schwaerzung.wasserzeichen(roh, wasserzeichen_text(einsicht))
