"""FIT-Connect adapter: the e-file as subscriber of a Zustellpunkt (destination).

Flow (FIT-Connect Submission API v1, as documented by FITKO):
1. OAuth 2.0 client credentials at the token URL → access token (kept until it expires; a 401
   from the API means it expired early: one new token, then the call once more);
2. `GET /submissions?destinationId=…` lists the submissions waiting for us;
3. `GET /submissions/{id}` gives `serviceType`, `caseId`, `encryptedMetadata`, `encryptedData`
   and the attachment ids; `GET /submissions/{id}/attachments/{aid}` each attachment. Everything
   is a JWE (RSA-OAEP-256 / A256GCM) for the destination's public key: decrypted with its
   private key (jwcrypto);
4. the metadata must name a metadata schema we know (`$schema`) and validate against it; the
   SHA-512 of the data and of every attachment must match the metadata;
5. the submission goes to the same intake as the platforms (`services.antrag_annehmen`);
6. the result is confirmed by a Security Event Token signed with the destination's signing key
   (`POST /cases/{caseId}/events`): `accept-submission`, or `reject-submission` with problems
   (hash mismatch, unknown schema, undecryptable, refused by the intake). Idempotent: a
   submission delivered again returns the existing Antrag and is accepted again.
"""

import functools
import hashlib
import importlib.util
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import jsonschema
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from jwcrypto import jwe, jwk, jwt
from jwcrypto.common import JWException

from . import einreichung, geheimnis, services
from .models import Zustellpunkt

logger = logging.getLogger(__name__)

SCHEMA_BASIS = "https://schema.fitko.de/fit-connect/metadata/"
EREIGNIS_BASIS = "https://schema.fitko.de/fit-connect/events/"
PROBLEM_BASIS = "https://schema.fitko.de/fit-connect/events/problems/"
SET_SCHEMA = "https://schema.fitko.de/fit-connect/set-payload/1.0.0/set-payload.schema.json"
SCHEMAS = {  # the metadata schema versions this adapter understands → the published schema
    f"{SCHEMA_BASIS}1.0.0/metadata.schema.json": "metadata.schema.v1.0.0.json",
    f"{SCHEMA_BASIS}1.1.0/metadata.schema.json": None,  # not published in a package we have
}
# What this adapter reads (data and attachments with their hashes), checked for every version:
# the published schema leaves `data` optional, the intake needs it.
EIGENES_SCHEMA = Path(__file__).resolve().parent / "schemata" / "metadata-1.0.json"


def _veroeffentlichtes_schema(name: str) -> Path:
    """A published metadata schema as shipped by FITKO's Python SDK (`fitconnect` on PyPI,
    EUPL-1.2), found in the installed package's files without importing its client."""
    paket = importlib.util.find_spec("fitconnect")
    if paket is None or paket.origin is None:
        raise Fitconnectfehler(
            "Das veröffentlichte FIT-Connect-Metadatenschema fehlt: das Python-Paket "
            "„fitconnect“ ist nicht installiert (Installation mit pip install -e . wiederholen)."
        )
    return Path(paket.origin).parent / "schema" / name


@functools.cache
def _pruefer(datei: Path) -> jsonschema.Draft202012Validator:
    # numbers as Decimal, here and in the metadata (metadaten_pruefen)
    schema = json.loads(datei.read_text(encoding="utf-8"), parse_float=Decimal)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


_GRUND = {  # what a broken rule means, in German and without repeating the value
    "type": "hat den falschen Typ",
    "format": "hat nicht das vorgeschriebene Format",
    "enum": "hat keinen der erlaubten Werte",
    "const": "hat nicht den vorgeschriebenen Wert",
    "pattern": "hat nicht die vorgeschriebene Form",
    "additionalProperties": "enthält nicht vorgesehene Angaben",
}


def _deutsch(fehler: jsonschema.ValidationError) -> str:
    if fehler.validator == "required" and isinstance(fehler.instance, dict):
        fehlend = [name for name in fehler.validator_value if name not in fehler.instance]
        return f"die Pflichtangabe „{fehlend[0] if fehlend else '?'}“ fehlt"
    return _GRUND.get(fehler.validator, f"verletzt die Regel „{fehler.validator}“")


class Fitconnectfehler(Exception):
    """The destination could not be read (German reason)."""


class Zurueckweisung(Exception):  # noqa: N818 - a rejection of one submission
    def __init__(self, art: str, detail: str):
        super().__init__(detail)
        self.art, self.detail = art, detail


@dataclass
class Abholbericht:
    angenommen: list[str] = field(default_factory=list)
    zurueckgewiesen: dict[str, str] = field(default_factory=dict)
    fehler: list[str] = field(default_factory=list)


class Verbindung:
    """HTTP to the token endpoint and the Submission API with a cached bearer token."""

    def __init__(self, punkt: Zustellpunkt):
        self.punkt = punkt
        self.token, self.ablauf = "", 0.0
        self.token_abrufe = 0

    def _token_holen(self) -> None:
        daten = urllib.parse.urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": self.punkt.client_id,
                "client_secret": geheimnis.entschluesseln(self.punkt.client_secret),
            }
        ).encode()
        anfrage = urllib.request.Request(self.punkt.token_url, data=daten, method="POST")  # noqa: S310
        self.token_abrufe += 1
        try:
            with urllib.request.urlopen(anfrage, timeout=30) as antwort:  # noqa: S310
                inhalt = json.loads(antwort.read())
        except urllib.error.HTTPError as fehler:
            raise Fitconnectfehler(
                f"Anmeldung bei FIT-Connect gescheitert (HTTP {fehler.code}): Client-ID oder "
                "Secret stimmen nicht."
            ) from fehler
        except (urllib.error.URLError, OSError, ValueError) as fehler:
            raise Fitconnectfehler(f"Token-Dienst nicht erreichbar: {fehler}") from fehler
        self.token = inhalt["access_token"]
        self.ablauf = time.time() + float(inhalt.get("expires_in", 60)) - 5

    def anfrage(self, methode: str, pfad: str, body: bytes | None = None, art: str = "") -> bytes:
        for versuch in (1, 2):
            if not self.token or time.time() >= self.ablauf:
                self._token_holen()
            kopf = {"Authorization": f"Bearer {self.token}"}
            if art:
                kopf["Content-Type"] = art
            url = self.punkt.api_url.rstrip("/") + pfad
            anfrage = urllib.request.Request(url, data=body, method=methode, headers=kopf)  # noqa: S310
            try:
                with urllib.request.urlopen(anfrage, timeout=60) as antwort:  # noqa: S310
                    return antwort.read()
            except urllib.error.HTTPError as fehler:
                if fehler.code == 401 and versuch == 1:  # token expired early: once more
                    self.token = ""
                    continue
                raise Fitconnectfehler(
                    f"FIT-Connect antwortete auf {methode} {pfad} mit HTTP {fehler.code}."
                ) from fehler
            except (urllib.error.URLError, OSError) as fehler:
                raise Fitconnectfehler(f"Submission-API nicht erreichbar: {fehler}") from fehler
        raise Fitconnectfehler("FIT-Connect nimmt das Token nicht an.")


def _schluessel(verschluesselt: str) -> jwk.JWK:
    return jwk.JWK.from_json(geheimnis.entschluesseln(verschluesselt))


def _entschluesseln(schluessel: jwk.JWK, token: str, was: str) -> bytes:
    try:
        umschlag = jwe.JWE()
        umschlag.deserialize(token.strip(), key=schluessel)
        return umschlag.payload
    except (JWException, ValueError, TypeError) as fehler:
        raise Zurueckweisung(
            "encryption-issue", f"{was} lässt sich nicht entschlüsseln: {fehler}"
        ) from fehler


def metadaten_pruefen(metadaten: dict) -> None:
    """Against the published schema the metadata names (`$schema`), where we have it, and
    against what this adapter reads. Numbers in `metadaten` must be Decimal (json.loads with
    parse_float=Decimal): with floats, "multipleOf": 0.01 refuses amounts such as 19.99."""
    schema_uri = metadaten.get("$schema") if isinstance(metadaten, dict) else None
    if not isinstance(schema_uri, str) or schema_uri not in SCHEMAS:
        genannt = schema_uri if isinstance(schema_uri, str) and schema_uri else "(keines)"
        raise Zurueckweisung(
            "unsupported-schema", f"Das Metadaten-Schema „{genannt[:200]}“ wird nicht unterstützt."
        )
    veroeffentlicht = SCHEMAS[schema_uri]
    dateien = [_veroeffentlichtes_schema(veroeffentlicht)] if veroeffentlicht else []
    for datei in [*dateien, EIGENES_SCHEMA]:
        fehler = jsonschema.exceptions.best_match(_pruefer(datei).iter_errors(metadaten))
        if fehler is not None:
            ort = "/".join(str(teil) for teil in fehler.absolute_path) or "(Wurzel)"
            raise Zurueckweisung(
                "invalid-metadata",
                f"Die Metadaten entsprechen nicht dem Schema: bei {ort} {_deutsch(fehler)}.",
            )


def _hash_pruefen(inhalt: bytes, angabe: dict, was: str) -> None:
    if angabe.get("type") != "sha512":
        raise Zurueckweisung("hash-mismatch", f"{was}: nur SHA-512-Prüfsummen werden geprüft.")
    if hashlib.sha512(inhalt).hexdigest() != angabe.get("content", "").lower():
        raise Zurueckweisung(
            "hash-mismatch",
            f"Die Prüfsumme von {was} stimmt nicht mit den Metadaten überein (verändert?).",
        )


def _ereignis_senden(verbindung: Verbindung, einreichung_: dict, art: str, inhalt: dict) -> None:
    punkt = verbindung.punkt
    schluessel = _schluessel(punkt.signaturschluessel)
    kopf = {
        "typ": "secevent+jwt",
        "alg": "PS512",
        "kid": schluessel.get("kid") or schluessel.thumbprint(),
    }
    anspruch = {
        "$schema": SET_SCHEMA,
        "jti": str(uuid.uuid4()),
        "iss": str(punkt.destination_id),
        "iat": int(time.time()),
        "sub": f"submission:{einreichung_['submissionId']}",
        "txn": f"case:{einreichung_['caseId']}",
        "events": {EREIGNIS_BASIS + art: inhalt},
    }
    token = jwt.JWT(header=kopf, claims=anspruch)
    token.make_signed_token(schluessel)
    verbindung.anfrage(
        "POST",
        f"/cases/{einreichung_['caseId']}/events",
        token.serialize().encode(),
        "application/jose",
    )


def _antragsteller(daten: dict) -> tuple[str, str]:
    person = daten.get("antragsteller") if isinstance(daten, dict) else None
    if isinstance(person, dict):
        return str(person.get("name", ""))[:300], str(person.get("anschrift", ""))[:500]
    return "", ""


def _einreichung(
    punkt: Zustellpunkt, verbindung: Verbindung, eintrag: dict
) -> tuple[dict, einreichung.Einreichung]:
    roh = json.loads(verbindung.anfrage("GET", f"/submissions/{eintrag['submissionId']}"))
    privat = _schluessel(punkt.entschluesselungsschluessel)
    try:
        # numbers as Decimal, as in the schemas (see _pruefer)
        metadaten = json.loads(
            _entschluesseln(privat, roh["encryptedMetadata"], "Die Metadaten"), parse_float=Decimal
        )
    except ValueError as fehler:
        raise Zurueckweisung("invalid-metadata", "Die Metadaten sind kein JSON.") from fehler
    metadaten_pruefen(metadaten)
    struktur = metadaten["contentStructure"]
    daten = _entschluesseln(privat, roh.get("encryptedData", ""), "Der Fachdatensatz")
    _hash_pruefen(daten, struktur["data"]["hash"], "den Fachdaten")
    angaben = {a["attachmentId"]: a for a in struktur.get("attachments", [])}
    anlagen = []
    for anlage_id in roh.get("attachments", []):
        angabe = angaben.get(anlage_id)
        if angabe is None:
            raise Zurueckweisung(
                "missing-attachment", f"Die Anlage {anlage_id} fehlt in den Metadaten."
            )
        token = verbindung.anfrage(
            "GET", f"/submissions/{roh['submissionId']}/attachments/{anlage_id}"
        )
        inhalt = _entschluesseln(privat, token.decode(), f"Die Anlage {anlage_id}")
        name = angabe.get("filename") or f"{anlage_id}.pdf"
        _hash_pruefen(inhalt, angabe["hash"], f"der Anlage „{name}“")
        anlagen.append(einreichung.Anlage(name, inhalt, ist_antrag=angabe.get("purpose") == "form"))
    schema = struktur["data"].get("submissionSchema", {})
    datenformat = "xml" if "xml" in schema.get("mimeType", "") else "json"
    text = daten.decode("utf-8", "replace")
    fachdaten = json.loads(text) if datenformat == "json" else {}
    name, anschrift = _antragsteller(fachdaten)
    leistung = roh.get("serviceType", {}).get("identifier", "").rsplit(":", 1)[-1]
    zeit = _eingangszeit(metadaten.get("additionalReferenceInfo", {}))
    ergebnis = einreichung.Einreichung(
        kommune_ags=punkt.kommune.ags,
        leistung=leistung,
        prozess_id=roh.get("serviceType", {}).get("identifier", ""),
        referenz=f"fitconnect:{roh['submissionId']}",
        antragsteller_name=name or "(Antragsteller über FIT-Connect)",
        antragsteller_anschrift=anschrift,
        eingereicht_am=zeit,
        daten=text,
        datenformat=datenformat,
        anlagen=anlagen,
    )
    try:
        einreichung.daten_pruefen(text, datenformat)
        einreichung.anlagen_pruefen(anlagen)
    except einreichung.Ablehnung as ablehnung:
        raise Zurueckweisung("invalid-submission", ablehnung.detail) from ablehnung
    return roh, ergebnis


def _eingangszeit(angaben: dict) -> datetime:
    """The time the submission was made, if the sender gave it (`submissionDate`, a time with
    zone, which our earlier senders put there), else now. `applicationDate` of the published
    schema is the applicant's own date, not the receipt: checked by the schema, not used here."""
    try:
        zeit = parse_datetime(str(angaben.get("submissionDate", "")))
    except ValueError:  # well-formed but impossible, e.g. 30 February
        zeit = None
    return zeit if zeit and zeit.tzinfo else datetime.now(UTC)


def zustellpunkt_abholen(punkt: Zustellpunkt) -> Abholbericht:
    bericht, verbindung = Abholbericht(), Verbindung(punkt)
    try:
        liste = json.loads(
            verbindung.anfrage("GET", f"/submissions?destinationId={punkt.destination_id}")
        )
        for eintrag in liste.get("submissions", []):
            _eine(punkt, verbindung, eintrag, bericht)
    except Fitconnectfehler as fehler:
        bericht.fehler.append(str(fehler))
    Zustellpunkt.alle.filter(pk=punkt.pk).update(
        letzter_abruf=timezone.now(), letzter_fehler="; ".join(bericht.fehler)[:2000]
    )
    return bericht


def _eine(punkt, verbindung, eintrag: dict, bericht: Abholbericht) -> None:
    kennung = eintrag["submissionId"]
    try:
        roh, eingabe = _einreichung(punkt, verbindung, eintrag)
        annahme = services.antrag_annehmen(plattform=punkt.plattform, einreichung=eingabe)
    except Zurueckweisung as zurueck:
        _ereignis_senden(
            verbindung,
            eintrag,
            "reject-submission",
            {"problems": [{"type": PROBLEM_BASIS + zurueck.art, "title": "Zurückgewiesen",
                           "detail": zurueck.detail}]},
        )  # fmt: skip
        bericht.zurueckgewiesen[kennung] = zurueck.detail
        logger.warning("FIT-Connect %s zurückgewiesen: %s", kennung, zurueck.detail)
        return
    except einreichung.Ablehnung as ablehnung:
        _ereignis_senden(
            verbindung,
            eintrag,
            "reject-submission",
            {"problems": [{"type": PROBLEM_BASIS + ablehnung.art, "title": ablehnung.titel,
                           "detail": ablehnung.detail}]},
        )  # fmt: skip
        bericht.zurueckgewiesen[kennung] = ablehnung.detail
        return
    except Fitconnectfehler:
        raise  # the destination itself: the poll stops and says why
    except Exception as fehler:  # noqa: BLE001 - one broken submission must not block the others
        # neither accepted nor rejected: it is fetched again at the next poll
        logger.exception("FIT-Connect %s: technischer Fehler", kennung)
        bericht.fehler.append(
            f"Einreichung {kennung}: technischer Fehler ({type(fehler).__name__}), "
            "wird beim nächsten Abruf erneut versucht"
        )
        return
    _ereignis_senden(verbindung, roh, "accept-submission", {})
    bericht.angenommen.append(str(annahme.antrag.uuid))


def alle_abholen() -> dict:
    ergebnis = {}
    for punkt in Zustellpunkt.alle.filter(aktiv=True).select_related("kommune", "plattform"):
        bericht = zustellpunkt_abholen(punkt)
        ergebnis[str(punkt.destination_id)] = len(bericht.angenommen)
    return ergebnis
