"""E-mail intake: polling the functional mailboxes (IMAP over TLS, Celery beat).

For every message not yet taken (IMAP keyword `EAkteAbgeholt` missing), in its own transaction:
- deduplicated by Message-ID per Kommune (a message without one by the SHA-256 of its content);
- the subject carries the reply token of a Vorgang of the mailbox's Kommune ("[#V-…]",
  services.antwortkennung_vergeben): filed into that Vorgang; an unknown token (or one of another
  Kommune: the two read alike) sends it to the Posteingang with a note;
- else the subject names the Vorgangszeichen or Aktenzeichen of an open Vorgang/Akte of the Kommune:
  the message (.eml) is filed there as a Dokument in the name of the mailbox's account (the OCR
  pipeline turns it into PDF/A and files its attachments as Dokumente with `anlage_zu`);
- otherwise, or if filing fails, it goes to the Kommune's Posteingang with the reason;
- notes for what a clerk should know: no subject, S/MIME, forwarded e-mail inside, HTML only
  with remote images (never fetched: the conversion blocks remote content), undecodable headers.
Only after the commit is the message marked on the server (keyword and \\Seen) or moved to the
`erledigt_ordner`. A message larger than EINGANG_MAIL_MAX_MB is not downloaded: a short note
goes to the Posteingang and the message stays on the server (keyword `EAkteZuGross`).
"""

import email
import email.policy
import hashlib
import imaplib
import logging
import re
import ssl
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.utils import timezone

from eakte.akten import services as akten_services
from eakte.akten.models import Akte, Vorgang
from eakte.common.akteur import Akteur, Anmeldeart
from eakte.posteingang import services as posteingang_services

from . import geheimnis
from .models import Antwortkennung, Mail, Postfach
from .services import antwortkennung_im_betreff

logger = logging.getLogger(__name__)

ABGEHOLT, ZU_GROSS = "EAkteAbgeholt", "EAkteZuGross"
REMOTE_BILD = re.compile(rb"<img[^>]+src\s*=\s*[\"']?\s*(https?:)?//", re.I)


class Abruffehler(Exception):
    """A German reason why a mailbox could not be read."""


@dataclass
class Abrufbericht:
    abgeholt: int = 0
    doppelt: int = 0
    in_akte: int = 0
    zu_gross: int = 0
    fehler: list[str] = field(default_factory=list)


def _verbinden(postfach: Postfach) -> imaplib.IMAP4:
    kontext = ssl.create_default_context(cafile=settings.EINGANG_IMAP_CA_DATEI or None)
    try:
        if postfach.verschluesselung == "ssl":
            imap = imaplib.IMAP4_SSL(postfach.host, postfach.port, ssl_context=kontext, timeout=30)
        else:
            imap = imaplib.IMAP4(postfach.host, postfach.port, timeout=30)
            imap.starttls(ssl_context=kontext)
        imap.login(postfach.benutzername, geheimnis.entschluesseln(postfach.passwort))
    except ssl.SSLError as fehler:
        raise Abruffehler(f"TLS-Verbindung zu {postfach.host} gescheitert: {fehler}") from fehler
    except imaplib.IMAP4.error as fehler:
        raise Abruffehler(f"Anmeldung am Postfach {postfach} gescheitert: {fehler}") from fehler
    except OSError as fehler:
        raise Abruffehler(f"IMAP-Server {postfach.host} nicht erreichbar: {fehler}") from fehler
    status, _ = imap.select(_quote(postfach.ordner))
    if status != "OK":
        raise Abruffehler(f"Den Ordner „{postfach.ordner}“ gibt es im Postfach nicht.")
    return imap


def _quote(ordner: str) -> str:
    return '"' + ordner.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _antwort(daten) -> bytes:
    for teil in daten:
        if isinstance(teil, tuple):
            return teil[1]
    return b""


def postfach_abrufen(postfach: Postfach) -> Abrufbericht:
    bericht = Abrufbericht()
    try:
        imap = _verbinden(postfach)
    except Abruffehler as fehler:
        _fehler_merken(postfach, str(fehler))
        bericht.fehler.append(str(fehler))
        return bericht
    try:
        status, daten = imap.uid("SEARCH", None, f"UNKEYWORD {ABGEHOLT} UNKEYWORD {ZU_GROSS}")
        uids = daten[0].split() if status == "OK" and daten and daten[0] else []
        for uid in uids:
            try:
                _nachricht(imap, postfach, uid.decode(), bericht)
            except Exception as fehler:  # one bad message must not stop the others
                logger.exception("Postfach %s: Nachricht %s nicht verarbeitet", postfach, uid)
                bericht.fehler.append(f"Nachricht {uid.decode()}: {fehler}")
        if postfach.erledigt_ordner:
            imap.expunge()
    finally:
        try:
            imap.logout()
        except (imaplib.IMAP4.error, OSError):
            pass
    Postfach.alle.filter(pk=postfach.pk).update(
        letzter_abruf=timezone.now(), letzter_fehler="; ".join(bericht.fehler)[:2000]
    )
    return bericht


def _fehler_merken(postfach: Postfach, text: str) -> None:
    logger.warning("Postfach %s: %s", postfach, text)
    Postfach.alle.filter(pk=postfach.pk).update(letzter_abruf=timezone.now(), letzter_fehler=text)


def _nachricht(imap, postfach: Postfach, uid: str, bericht: Abrufbericht) -> None:
    status, daten = imap.uid("FETCH", uid, "(RFC822.SIZE BODY.PEEK[HEADER])")
    kopf_roh = _antwort(daten)
    groesse = int(re.search(rb"RFC822\.SIZE (\d+)", daten[0][0]).group(1))
    kopf = email.message_from_bytes(kopf_roh, policy=email.policy.default)
    if groesse > settings.EINGANG_MAIL_MAX_BYTES:
        _zu_gross(postfach, kopf, groesse, uid)
        imap.uid("STORE", uid, "+FLAGS", f"({ZU_GROSS})")
        bericht.zu_gross += 1
        return
    status, daten = imap.uid("FETCH", uid, "(BODY.PEEK[])")
    roh = _antwort(daten)
    neu, in_akte = _speichern(postfach, roh)
    # only now, after the commit, is the message marked or moved on the server
    if postfach.erledigt_ordner:
        imap.uid("COPY", uid, _quote(postfach.erledigt_ordner))
        imap.uid("STORE", uid, "+FLAGS", f"({ABGEHOLT} \\Seen \\Deleted)")
    else:
        imap.uid("STORE", uid, "+FLAGS", f"({ABGEHOLT} \\Seen)")
    bericht.abgeholt += neu
    bericht.doppelt += not neu
    bericht.in_akte += in_akte


def _text(kopf, name: str) -> str:
    try:
        wert = kopf.get(name)
        return str(wert).strip() if wert is not None else ""
    except (ValueError, LookupError, UnicodeError):
        return str(kopf.get_all(name, failobj=[""])[0]).strip()


def _roher_kopf(roh: bytes, name: str) -> str:
    """A header read from the raw bytes (for 8-bit headers the parser has already replaced)."""
    kopf = re.split(rb"\r?\n\r?\n", roh, maxsplit=1)[0]
    treffer = re.search(rb"^" + name.encode() + rb":[ \t]*(.*(?:\r?\n[ \t].*)*)", kopf, re.I | re.M)
    if not treffer:
        return ""
    wert = re.sub(rb"\r?\n[ \t]", b" ", treffer.group(1)).strip()
    try:
        return wert.decode("utf-8")
    except UnicodeDecodeError:
        return wert.decode("cp1252", "replace")


def _achtbit(roh: bytes) -> bool:
    kopf = re.split(rb"\r?\n\r?\n", roh, maxsplit=1)[0]
    return any(byte > 127 for byte in kopf)


def hinweise(nachricht, roh: bytes = b"") -> list[str]:
    notizen = []
    if not _text(nachricht, "Subject"):
        notizen.append("Die E-Mail hat keinen Betreff.")
    if _achtbit(roh):
        notizen.append(
            "Kopfzeilen enthielten unkodierte 8-Bit-Zeichen; sie wurden als UTF-8 bzw. "
            "Windows-1252 gelesen, das Original ist unverändert gespeichert."
        )
    arten = {teil.get_content_type() for teil in nachricht.walk()}
    if arten & {"application/pkcs7-signature", "application/x-pkcs7-signature"}:
        notizen.append("S/MIME-signiert: die Signatur wurde nicht geprüft, die Nachricht ist "
                       "unverändert als Original gespeichert.")  # fmt: skip
    if arten & {"application/pkcs7-mime", "application/x-pkcs7-mime"}:
        notizen.append("S/MIME-verschlüsselt: der Inhalt kann hier nicht gelesen werden.")
    if "message/rfc822" in arten:
        notizen.append("Enthält eine weitergeleitete E-Mail (als Anlage übernommen).")
    if "text/html" in arten and "text/plain" not in arten:
        html = b"".join(
            teil.get_payload(decode=True) or b""
            for teil in nachricht.walk()
            if teil.get_content_type() == "text/html"
        )
        if REMOTE_BILD.search(html):
            notizen.append("Nur HTML mit Bildern aus dem Internet: diese wurden nicht geladen.")
    return notizen


def _kennung(nachricht, roh: bytes) -> str:
    kennung = _text(nachricht, "Message-ID")
    return kennung[:500] if kennung else f"<sha256:{hashlib.sha256(roh).hexdigest()}>"


def _ziel(kommune_id: int, betreff: str) -> tuple[Vorgang | None, Akte | None]:
    """The open Vorgang or Akte whose Zeichen is in the subject (longest match first)."""
    if not betreff:
        return None, None
    text = Value(betreff)
    vorgang = (
        Vorgang.alle.filter(kommune_id=kommune_id, zda_am__isnull=True, akte__zda_am__isnull=True)
        .alias(mailbetreff=text)
        .filter(mailbetreff__icontains=F("vorgangszeichen"))
        .select_related("akte")
        .order_by("-vorgangszeichen")
        .first()
    )
    if vorgang is not None:
        return vorgang, vorgang.akte
    akte = (
        Akte.alle.filter(kommune_id=kommune_id, zda_am__isnull=True)
        .alias(mailbetreff=text)
        .filter(mailbetreff__icontains=F("aktenzeichen"))
        .order_by("-aktenzeichen")
        .first()
    )
    return None, akte


def _vorgang_der_kennung(kommune_id: int, kennung: str) -> Vorgang | None:
    """The Vorgang of the reply token, only within the mailbox's own Kommune."""
    return (
        Vorgang.alle.filter(
            kommune_id=kommune_id,
            pk__in=Antwortkennung.alle.filter(kommune_id=kommune_id, kennung=kennung).values(
                "vorgang_id"
            ),
        )
        .select_related("akte")
        .first()
    )


def _speichern(postfach: Postfach, roh: bytes) -> tuple[bool, bool]:
    """Store one message; returns (new, filed into an Akte)."""
    nachricht = email.message_from_bytes(roh, policy=email.policy.default)
    kennung = _kennung(nachricht, roh)
    if Mail.alle.filter(kommune_id=postfach.kommune_id, message_id=kennung).exists():
        return False, False
    if _achtbit(roh):
        betreff, absender = _roher_kopf(roh, "Subject")[:500], _roher_kopf(roh, "From")[:500]
    else:
        betreff, absender = _text(nachricht, "Subject")[:500], _text(nachricht, "From")[:500]
    notizen = hinweise(nachricht, roh)
    name = akten_services.dateiname_bereinigen((betreff or "E-Mail ohne Betreff")[:120]) + ".eml"
    try:
        with transaction.atomic():
            mail = Mail.objects.create(
                kommune_id=postfach.kommune_id,
                postfach=postfach,
                message_id=kennung,
                betreff=betreff,
                absender=absender,
                hinweise="\n".join(notizen),
            )
            grund = _in_akte(postfach, mail, roh, name, betreff, absender, notizen)
            if grund:
                mail.eintrag = posteingang_services.eintrag_anlegen(
                    akteur=Akteur.system(f"E-Mail-Eingang {postfach}"),
                    kommune=postfach.kommune,
                    datei=ContentFile(roh, name=name),
                    quelle=f"Postfach {postfach}"
                    + (f" ({postfach.oe.kuerzel})" if postfach.oe_id else ""),
                    bemerkung=" ".join(
                        [f"Von {absender}." if absender else "", *notizen, grund]
                    ).strip(),
                )
                mail.save(update_fields=["eintrag"])
    except IntegrityError:  # another poll took it at the same time
        return False, False
    return True, not grund


def _in_akte(postfach, mail, roh, name, betreff, absender, notizen) -> str:
    """File into the Vorgang/Akte named in the subject; '' or the reason why not."""
    if kennung := antwortkennung_im_betreff(betreff):
        vorgang = _vorgang_der_kennung(postfach.kommune_id, kennung)
        if vorgang is None:
            return (
                f"Die Antwortkennung [#{kennung}] im Betreff gehört zu keinem Vorgang dieser "
                "Kommune; die E-Mail wurde nicht automatisch zugeordnet."
            )
        akte = vorgang.akte
    else:
        vorgang, akte = _ziel(postfach.kommune_id, betreff)
    if akte is None:
        return "Kein Aktenzeichen im Betreff erkannt."
    akteur = Akteur(benutzer=postfach.konto, art=Anmeldeart.SYSTEM, grund=f"E-Mail {postfach}")
    try:
        with transaction.atomic():
            if vorgang is None:
                vorgang = akten_services.vorgang_anlegen(
                    akteur=akteur, akte=akte, betreff=f"E-Mail: {betreff}"[:500]
                )
            mail.dokument = akten_services.dokument_ablegen(
                akteur=akteur,
                vorgang=vorgang,
                datei=ContentFile(roh, name=name),
                titel=betreff or "E-Mail ohne Betreff",
                posteingangsdatum=timezone.localdate(),
                absender=absender,
                bemerkung=" ".join(notizen),
                wie=f"per E-Mail an {postfach} eingegangen",
                details={"message_id": mail.message_id},
            ).dokument
            mail.save(update_fields=["dokument"])
    except (ValidationError, PermissionDenied) as fehler:
        gruende = " ".join(getattr(fehler, "messages", None) or [str(fehler)])
        return f"Nicht in {akte.aktenzeichen} abgelegt: {gruende}"
    return ""


def _zu_gross(postfach: Postfach, kopf, groesse: int, uid: str) -> None:
    kennung = _kennung(kopf, f"{postfach.pk}:{uid}".encode())
    if Mail.alle.filter(kommune_id=postfach.kommune_id, message_id=kennung).exists():
        return
    grenze = settings.EINGANG_MAIL_MAX_BYTES
    text = (
        f"Eine E-Mail an {postfach} war mit {groesse / 1048576:.1f} MB zu groß für die "
        f"E-Akte (höchstens {grenze / 1048576:.0f} MB) und wurde nicht übernommen. Sie liegt "
        f"weiter im Postfach (Ordner {postfach.ordner}, markiert mit {ZU_GROSS}).\n\n"
        f"Von: {_text(kopf, 'From')}\nBetreff: {_text(kopf, 'Subject')}\n"
        f"Datum: {_text(kopf, 'Date')}\nMessage-ID: {kennung}\n"
    )
    with transaction.atomic():
        mail = Mail.objects.create(
            kommune_id=postfach.kommune_id,
            postfach=postfach,
            message_id=kennung,
            betreff=_text(kopf, "Subject")[:500],
            absender=_text(kopf, "From")[:500],
            hinweise="zu groß",
        )
        mail.eintrag = posteingang_services.eintrag_anlegen(
            akteur=Akteur.system(f"E-Mail-Eingang {postfach}"),
            kommune=postfach.kommune,
            datei=ContentFile(text.encode(), name="E-Mail zu groß.txt"),
            quelle=f"Postfach {postfach}",
            bemerkung=text.split("\n\n")[0],
        )
        mail.save(update_fields=["eintrag"])


def alle_abrufen() -> dict:
    ergebnis = {}
    for postfach in Postfach.alle.filter(aktiv=True).select_related("kommune", "oe", "konto"):
        bericht = postfach_abrufen(postfach)
        ergebnis[postfach.name] = bericht.abgeholt
    return ergebnis
