"""E-mails (.eml, Outlook .msg) read into one shape: headers, body, attachments (pure file work).

`lesen` gives a `Nachricht`; `als_html` lays it out as a self-contained HTML page (headers table
and body) for the PDF/A rendition. An HTML body is cleaned with nh3: no scripts, no styles, no
images or other elements that would load anything, so converting it fetches nothing.
"""

import email
import html
import logging
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

import nh3
from django.utils import timezone

logger = logging.getLogger(__name__)

EML = "message/rfc822"
MSG = "application/vnd.ms-outlook"
NACHLADEN = "Das Original bleibt gespeichert und kann heruntergeladen werden."

# What survives of an HTML body: text structure, tables and links (shown, never followed).
ERLAUBTE_TAGS = {
    "a", "b", "blockquote", "br", "caption", "code", "dd", "div", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "small", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip


class Mailfehler(Exception):
    """The message cannot be read; the text is German and meant for the clerk."""


@dataclass
class Anlage:
    name: str
    inhalt: bytes


@dataclass
class Nachricht:
    betreff: str = ""
    von: str = ""
    an: str = ""
    cc: str = ""
    datum: str = ""
    text: str = ""
    html: str = ""
    anlagen: list[Anlage] = field(default_factory=list)
    hinweise: list[str] = field(default_factory=list)

    def kopf(self) -> list[tuple[str, str]]:
        zeilen = [("Von", self.von), ("An", self.an), ("Cc", self.cc), ("Datum", self.datum)]
        return [("Betreff", self.betreff)] + [(name, wert) for name, wert in zeilen if wert]

    def suchtext(self) -> str:
        """Headers, body and the attachments' names: what the index gets (exact, not read back
        from the PDF)."""
        teile = [f"{name}: {wert}" for name, wert in self.kopf()]
        teile.append(self.text or html_zu_text(self.html))
        if self.anlagen:
            teile.append("Anlagen: " + ", ".join(anlage.name for anlage in self.anlagen))
        return "\n".join(teile)


def lesen(pfad: Path, mime_typ: str) -> Nachricht:
    if mime_typ == MSG:
        return _msg_lesen(pfad)
    return _eml_lesen(pfad.read_bytes())


def _adressen(wert) -> str:
    if not wert:
        return ""
    paare = getaddresses([str(wert)])
    return ", ".join(f"{name} <{adr}>" if name else adr for name, adr in paare if adr)


def _ortszeit(zeitpunkt) -> str:
    """A mail's date in German time: "23:30 +0000" is half past midnight in Erbach."""
    if timezone.is_aware(zeitpunkt):
        zeitpunkt = timezone.localtime(zeitpunkt)
    return zeitpunkt.strftime("%d.%m.%Y %H:%M")


def _datum(wert) -> str:
    if not wert:
        return ""
    try:
        return _ortszeit(parsedate_to_datetime(str(wert)))
    except (TypeError, ValueError, IndexError):
        return str(wert)


def _eml_lesen(inhalt: bytes) -> Nachricht:
    try:
        nachricht: EmailMessage = email.message_from_bytes(inhalt, policy=policy.default)
        ergebnis = Nachricht(
            betreff=str(nachricht.get("Subject", "") or ""),
            von=_adressen(nachricht.get("From")),
            an=_adressen(nachricht.get("To")),
            cc=_adressen(nachricht.get("Cc")),
            datum=_datum(nachricht.get("Date")),
        )
        text_teil = nachricht.get_body(preferencelist=("plain",))
        html_teil = nachricht.get_body(preferencelist=("html",))
        ergebnis.text = _inhalt(text_teil) if text_teil is not None else ""
        ergebnis.html = _inhalt(html_teil) if html_teil is not None else ""
        koerper = {id(text_teil), id(html_teil)}
        for teil in nachricht.iter_attachments():
            if id(teil) in koerper:
                continue
            _anlage_aufnehmen(ergebnis, teil)
    except Exception as fehler:  # noqa: BLE001  (the email package raises many kinds)
        logger.warning("E-Mail nicht lesbar: %r", fehler)
        raise Mailfehler(
            f"Die E-Mail ist beschädigt und kann nicht gelesen werden. {NACHLADEN}"
        ) from fehler
    return ergebnis


def _inhalt(teil) -> str:
    try:
        return teil.get_content()
    except (LookupError, UnicodeDecodeError):  # unknown or wrong charset
        return (teil.get_payload(decode=True) or b"").decode("cp1252", errors="replace")


def _anlage_aufnehmen(ergebnis: Nachricht, teil) -> None:
    if teil.get_content_type() == EML:
        # an attached e-mail: its payload is the parsed message; keep it as .eml bytes
        innere = teil.get_payload()
        innere = innere[0] if isinstance(innere, list) else innere
        inhalt = innere.as_bytes(policy=policy.default) if innere is not None else b""
        betreff = innere.get("Subject", "") if innere is not None else ""
        name = teil.get_filename() or f"{betreff or 'E-Mail'}.eml"
    else:
        inhalt = teil.get_payload(decode=True) or b""
        name = teil.get_filename() or "Anlage"
    ergebnis.anlagen.append(Anlage(name=_dateiname(name), inhalt=inhalt))


def _dateiname(name: str) -> str:
    name = re.sub(r"[\x00-\x1f/\\]", "_", str(name)).strip() or "Anlage"
    return name[:200]


def _msg_lesen(pfad: Path) -> Nachricht:
    import extract_msg

    try:
        msg = extract_msg.openMsg(str(pfad), strict=False)
    except Exception as fehler:  # noqa: BLE001
        logger.warning("Outlook-Nachricht nicht lesbar: %r", fehler)
        raise Mailfehler(
            "Die Outlook-Nachricht (.msg) ist beschädigt und kann nicht gelesen werden. "
            + NACHLADEN
        ) from fehler
    try:
        ergebnis = Nachricht(
            betreff=msg.subject or "",
            von=msg.sender or "",
            an=msg.to or "",
            cc=msg.cc or "",
            datum=_ortszeit(msg.date) if getattr(msg, "date", None) else "",
            text=msg.body or "",
        )
        try:
            roh = msg.htmlBody
        except Exception:  # noqa: BLE001  (an RTF-only body that cannot be de-encapsulated)
            roh = None
        if roh:
            ergebnis.html = roh.decode("utf-8", errors="replace") if isinstance(roh, bytes) else roh
        for anlage in msg.attachments:
            daten = getattr(anlage, "data", None)
            name = getattr(anlage, "longFilename", None) or getattr(anlage, "shortFilename", None)
            if isinstance(daten, bytes):
                ergebnis.anlagen.append(Anlage(name=_dateiname(name or "Anlage"), inhalt=daten))
            elif daten is not None and hasattr(daten, "exportBytes"):  # an attached .msg
                try:
                    inhalt = daten.exportBytes()
                except Exception:  # noqa: BLE001  (a damaged embedded message)
                    logger.warning("Eingebettete Nachricht %r nicht lesbar", name, exc_info=True)
                    ergebnis.hinweise.append(
                        f"Die angehängte Nachricht „{name or 'ohne Namen'}“ ist beschädigt und "
                        "wurde nicht als eigenes Dokument übernommen."
                    )
                    continue
                titel = name or daten.subject or "Nachricht"
                ergebnis.anlagen.append(Anlage(name=_dateiname(f"{titel}.msg"), inhalt=inhalt))
            else:
                ergebnis.hinweise.append(
                    f"Die Anlage „{name or 'ohne Namen'}“ ist ein Verweis oder ein eingebettetes "
                    "Objekt und wurde nicht als eigenes Dokument übernommen."
                )
    finally:
        msg.close()
    return ergebnis


def html_zu_text(roh: str) -> str:
    """The readable text of an HTML body (tags removed, entities resolved)."""
    ohne = nh3.clean(roh, tags={"br", "p", "div", "li", "tr"}, attributes={})
    ohne = re.sub(r"<\s*(br|/p|/div|/li|/tr)[^>]*>", "\n", ohne, flags=re.IGNORECASE)
    ohne = re.sub(r"<[^>]+>", "", ohne)
    return html.unescape(ohne).strip()


def html_bereinigen(roh: str) -> str:
    """An HTML body safe to lay out: no scripts, styles, images, frames, forms or event handlers;
    links keep their text and target but are never fetched."""
    return nh3.clean(
        roh,
        tags=ERLAUBTE_TAGS,
        attributes={"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def als_html(nachricht: Nachricht) -> str:
    zeilen = "".join(
        f"<tr><th>{html.escape(name)}:</th><td>{html.escape(wert)}</td></tr>"
        for name, wert in nachricht.kopf()
    )
    if nachricht.anlagen:
        namen = ", ".join(html.escape(anlage.name) for anlage in nachricht.anlagen)
        zeilen += f"<tr><th>Anlagen:</th><td>{namen}</td></tr>"
    if nachricht.html:
        koerper = html_bereinigen(nachricht.html)
    else:
        koerper = "<p>" + html.escape(nachricht.text).replace("\n", "<br>") + "</p>"
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        f"<title>{html.escape(nachricht.betreff or 'E-Mail')}</title></head><body>"
        f'<table border="0" cellpadding="2">{zeilen}</table><hr>{koerper}</body></html>'
    )
