"""PDF signatures with pyHanko: read a PKCS#12 certificate, sign (PAdES baseline B), check.

Pure functions on bytes; nothing here touches the database (services.py does).
"""

import asyncio
import hashlib
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import partial

from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from django.core.exceptions import ValidationError
from django.utils import timezone

# pyHanko logs every certificate it cannot chain to a trust root, with a traceback; we check
# without trust roots on purpose (trust is decided against the Kommune's own certificate)
logging.getLogger("pyhanko.sign.validation.generic_cms").setLevel(logging.ERROR)

NUR_PDF = (
    "Nur PDF-Dokumente können elektronisch signiert werden. Die Schlusszeichnung ist ohne "
    "„elektronisch signieren“ möglich."
)
BESCHAEDIGT = "Die PDF-Datei ist beschädigt und kann nicht signiert werden."
VERSCHLUESSELT = (
    "Die PDF-Datei ist verschlüsselt (passwortgeschützt): sie kann nicht signiert werden."
)


@dataclass(frozen=True)
class Zertifikatsangaben:
    inhaber: str
    aussteller: str
    gueltig_von: datetime
    gueltig_bis: datetime
    fingerabdruck: str  # SHA-256 of the DER certificate, hex


def _name(name) -> str:
    return name.rfc4514_string()


def pkcs12_lesen(daten: bytes, passphrase: str, *, jetzt: datetime | None = None):
    """(key, certificate, chain, Zertifikatsangaben) of a PKCS#12 file, or a German error.

    Refused: unreadable file or wrong passphrase, no private key, a certificate not (yet or any
    more) valid."""
    try:
        schluessel, zertifikat, kette = pkcs12.load_key_and_certificates(
            daten, passphrase.encode() if passphrase else None
        )
    except ValueError as fehler:
        raise ValidationError(
            "Die Zertifikatsdatei lässt sich nicht öffnen: falsches Passwort oder keine "
            "PKCS#12-Datei (.p12/.pfx)."
        ) from fehler
    if schluessel is None or zertifikat is None:
        raise ValidationError("Die PKCS#12-Datei enthält keinen privaten Schlüssel mit Zertifikat.")
    jetzt = jetzt or datetime.now(UTC)
    angaben = Zertifikatsangaben(
        inhaber=_name(zertifikat.subject),
        aussteller=_name(zertifikat.issuer),
        gueltig_von=zertifikat.not_valid_before_utc,
        gueltig_bis=zertifikat.not_valid_after_utc,
        fingerabdruck=hashlib.sha256(zertifikat.public_bytes(Encoding.DER)).hexdigest(),
    )
    if angaben.gueltig_bis <= jetzt:
        bis = timezone.localdate(angaben.gueltig_bis)
        raise ValidationError(
            f"Das Zertifikat ist am {bis:%d.%m.%Y} abgelaufen: bitte ein gültiges "
            "Zertifikat hochladen."
        )
    if angaben.gueltig_von > jetzt:
        raise ValidationError(
            f"Das Zertifikat gilt erst ab {timezone.localdate(angaben.gueltig_von):%d.%m.%Y}."
        )
    return schluessel, zertifikat, kette, angaben


def ist_pdf(daten: bytes) -> bool:
    return daten[:1024].lstrip().startswith(b"%PDF-")


def signieren(pdf: bytes, *, p12: bytes, passphrase: str, name: str, grund: str) -> bytes:
    """The PDF signed by the certificate (PAdES baseline B, invisible field "Schlusszeichnung").

    Invisible: the frozen document is not re-laid out; the signature shows in every PDF reader's
    signature panel, and our Dokument page names signer and time."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.sign import fields, signers

    if not ist_pdf(pdf):
        raise ValidationError(NUR_PDF)
    pkcs12_lesen(p12, passphrase)  # refuses an expired certificate at signing time, too
    signer = signers.SimpleSigner.load_pkcs12_data(
        p12, other_certs=[], passphrase=passphrase.encode() if passphrase else None
    )
    try:
        schreiber = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (PdfReadError, ValueError) as fehler:
        raise ValidationError(BESCHAEDIGT) from fehler
    if schreiber.prev.encrypted:
        raise ValidationError(VERSCHLUESSELT)
    feldname = "Schlusszeichnung"
    vorhandene = {f[0] for f in fields.enumerate_sig_fields(schreiber.prev, filled_status=None)}
    nummer = 1
    while feldname in vorhandene:
        nummer += 1
        feldname = f"Schlusszeichnung{nummer}"
    meta = signers.PdfSignatureMetadata(
        field_name=feldname,
        name=name,
        reason=grund,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    ausgabe = io.BytesIO()
    try:
        _ausserhalb_einer_schleife(
            lambda: signers.sign_pdf(schreiber, meta, signer=signer, output=ausgabe)
        )
    except PdfReadError as fehler:
        raise ValidationError(BESCHAEDIGT) from fehler
    return ausgabe.getvalue()


@dataclass
class Signaturbefund:
    feld: str
    unterzeichner: str  # subject of the signing certificate
    fingerabdruck: str
    name: str  # /Name in the signature dictionary (the signer's name we wrote), may be ""
    grund: str
    zeitpunkt: str  # ISO, claimed signing time, may be ""
    intakt: bool  # digest matches and the signature is cryptographically valid
    ganze_datei: bool  # the signature covers the whole file (nothing appended afterwards)
    meldung: str = ""


def pruefen(pdf: bytes) -> dict:
    """{"signaturen": [...], "meldung": ""} for a PDF; trust is decided by the caller (the
    Kommune's own certificate), so no trust roots and no network here."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    if not ist_pdf(pdf):
        return {"signaturen": [], "meldung": "keine PDF-Datei"}
    if b"/ByteRange" not in pdf:  # fast path: no signature dictionary at all
        return {"signaturen": [], "meldung": ""}
    try:
        leser = PdfFileReader(io.BytesIO(pdf), strict=False)
        if leser.encrypted:
            return {
                "signaturen": [],
                "meldung": "Die PDF-Datei ist verschlüsselt: Signaturen können nicht geprüft "
                "werden.",
            }
        eingebettet = list(leser.embedded_signatures)
    except (PdfReadError, ValueError, KeyError) as fehler:
        return {"signaturen": [], "meldung": f"Die PDF-Datei ist nicht lesbar: {fehler}"[:300]}
    befunde = []
    for sig in eingebettet:
        feld = sig.field_name or ""
        zertifikat = sig.signer_cert
        fingerabdruck = hashlib.sha256(zertifikat.dump()).hexdigest() if zertifikat else ""
        unterzeichner = zertifikat.subject.human_friendly if zertifikat else ""
        name = str(sig.sig_object.get("/Name", "") or "")
        grund = str(sig.sig_object.get("/Reason", "") or "")
        zeit = sig.self_reported_timestamp
        befund = Signaturbefund(
            feld=feld, unterzeichner=unterzeichner, fingerabdruck=fingerabdruck, name=name,
            grund=grund, zeitpunkt=zeit.isoformat() if zeit else "", intakt=False,
            ganze_datei=False,
        )  # fmt: skip
        try:
            status = _ausserhalb_einer_schleife(
                partial(
                    validate_pdf_signature,
                    sig,
                    ValidationContext(trust_roots=[], allow_fetching=False),
                )
            )
            befund.intakt = bool(status.intact and status.valid)
            befund.ganze_datei = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
            if not befund.intakt:
                befund.meldung = (
                    "Die Datei wurde nach der Signatur verändert oder die Signatur ist beschädigt."
                )
        except Exception as fehler:  # noqa: BLE001 - any failure means: not intact, say why
            befund.meldung = f"Die Signatur ist nicht prüfbar: {fehler}"[:300]
        befunde.append(asdict(befund))
    return {"signaturen": befunde, "meldung": ""}


def _ausserhalb_einer_schleife(aufruf):
    """pyHanko's synchronous calls use asyncio.run(), which refuses to start inside a running
    event loop (an ASGI server; Playwright's session in the browser tests): then the call gets
    a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return aufruf()
    with ThreadPoolExecutor(max_workers=1) as ausfuehrer:
        return ausfuehrer.submit(aufruf).result()
