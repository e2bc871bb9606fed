"""A local FIT-Connect test server written from FITKO's documentation of the Submission API:
OAuth client credentials (`POST /token`), `GET /v1/submissions?destinationId=`,
`GET /v1/submissions/{id}`, `GET /v1/submissions/{id}/attachments/{aid}`,
`POST /v1/cases/{caseId}/events` (a Security Event Token, checked against the destination's
public signing key). `einreichen()` plays the sender: it encrypts metadata, data and attachments
for the destination's public key (JWE RSA-OAEP-256 / A256GCM) and computes the SHA-512 hashes."""

import hashlib
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from jwcrypto import jwe, jwk, jwt

SCHEMA_1_0 = "https://schema.fitko.de/fit-connect/metadata/1.0.0/metadata.schema.json"


@dataclass
class Einreichung:
    submission_id: str
    case_id: str
    roh: dict
    anlagen: dict[str, str]
    metadaten: dict = field(default_factory=dict)  # as sent (before encryption)


@dataclass
class FitconnectTestserver:
    client_id: str
    client_secret: str
    destination_id: str
    verschluesselung: jwk.JWK  # the destination's key pair (encryption)
    signatur: jwk.JWK  # the destination's key pair (signing SETs)
    einreichungen: dict[str, Einreichung] = field(default_factory=dict)
    ereignisse: list[dict] = field(default_factory=list)
    tokens: dict[str, float] = field(default_factory=dict)
    naechstes_token_abgelaufen: bool = False
    token_abrufe: int = 0
    server: ThreadingHTTPServer | None = None

    @property
    def basis(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def _verschluesseln(self, inhalt: bytes, cty: str) -> str:
        oeffentlich = jwk.JWK.from_json(self.verschluesselung.export_public())
        umschlag = jwe.JWE(
            plaintext=inhalt,
            protected={"alg": "RSA-OAEP-256", "enc": "A256GCM", "cty": cty,
                       "kid": oeffentlich.thumbprint()},
            recipient=oeffentlich,
        )  # fmt: skip
        return umschlag.serialize(compact=True)

    def einreichen(self, *, leistung: str, daten: dict, anlagen: list[tuple[str, bytes, str]],
                   schema: str = SCHEMA_1_0, manipulieren: str | None = None,
                   metadaten_dazu: dict | None = None) -> str:  # fmt: skip
        """anlagen: (filename, content, purpose). `manipulieren`: filename of an attachment
        whose content is changed after its hash went into the metadata. `metadaten_dazu`:
        top-level fields added to (or replacing those of) the metadata."""
        kennung, fall = str(uuid.uuid4()), str(uuid.uuid4())
        datenbytes = json.dumps(daten).encode()
        eintraege, verschluesselt = [], {}
        for name, inhalt, zweck in anlagen:
            anlage_id = str(uuid.uuid4())
            eintraege.append({
                "attachmentId": anlage_id, "filename": name, "mimeType": "application/pdf",
                "purpose": zweck,
                "hash": {"type": "sha512", "content": hashlib.sha512(inhalt).hexdigest()},
            })  # fmt: skip
            if name == manipulieren:
                inhalt = inhalt + b"\n% manipuliert"
            verschluesselt[anlage_id] = self._verschluesseln(inhalt, "application/pdf")
        metadaten = {
            "$schema": schema,
            "contentStructure": {
                "data": {
                    "hash": {"type": "sha512", "content": hashlib.sha512(datenbytes).hexdigest()},
                    "submissionSchema": {"schemaUri": "https://schema.example/bauantrag.json",
                                         "mimeType": "application/json"},
                },
                "attachments": eintraege,
            },
            "additionalReferenceInfo": {"applicationDate": "2026-03-02",
                                        "senderReference": f"portal-{kennung[:8]}"},
            **(metadaten_dazu or {}),
        }  # fmt: skip
        self.einreichungen[kennung] = Einreichung(
            kennung,
            fall,
            {
                "submissionId": kennung,
                "caseId": fall,
                "destinationId": self.destination_id,
                "serviceType": {
                    "identifier": f"urn:de:fim:leika:leistung:{leistung}",
                    "name": "Baugenehmigung",
                },
                "encryptedMetadata": self._verschluesseln(
                    json.dumps(metadaten).encode(), "application/json"
                ),
                "encryptedData": self._verschluesseln(datenbytes, "application/json"),
                "attachments": list(verschluesselt),
            },  # fmt: skip
            verschluesselt,
            metadaten,
        )
        return kennung

    def metadaten(self, kennung: str) -> dict:
        return json.loads(json.dumps(self.einreichungen[kennung].metadaten))

    def metadaten_ersetzen(self, kennung: str, metadaten: dict) -> None:
        """Send other metadata with the submission (hashes as they are)."""
        einreichung = self.einreichungen[kennung]
        einreichung.metadaten = metadaten
        einreichung.roh["encryptedMetadata"] = self._verschluesseln(
            json.dumps(metadaten).encode(), "application/json"
        )

    def ereignis_fuer(self, kennung: str) -> dict | None:
        return next((e for e in self.ereignisse if e["sub"] == f"submission:{kennung}"), None)


class _Handler(BaseHTTPRequestHandler):
    @property
    def zustand(self) -> "FitconnectTestserver":
        return self.server.zustand

    def _json(self, status: int, inhalt, art="application/json"):
        daten = inhalt if isinstance(inhalt, bytes) else json.dumps(inhalt).encode()
        self.send_response(status)
        self.send_header("Content-Type", art)
        self.send_header("Content-Length", str(len(daten)))
        self.end_headers()
        self.wfile.write(daten)

    def _problem(self, status: int, art: str, detail: str):
        self._json(
            status,
            {"type": f"https://schema.fitko.de/fit-connect/submission-api/problems/{art}",
             "title": art, "detail": detail},
            "application/problem+json",
        )  # fmt: skip

    def _angemeldet(self) -> bool:
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        if self.zustand.tokens.get(token, 0) > time.time():
            return True
        self._problem(401, "invalid-token", "Token fehlt oder ist abgelaufen")
        return False

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_POST(self):  # noqa: N802
        pfad = urlsplit(self.path).path
        if pfad == "/token":
            return self._token()
        if pfad.startswith("/v1/cases/") and pfad.endswith("/events"):
            return self._ereignis()
        return self._problem(404, "not-found", pfad)

    def _token(self):
        form = {k: v[0] for k, v in parse_qs(self._body().decode()).items()}
        self.zustand.token_abrufe += 1
        if (form.get("grant_type"), form.get("client_id"), form.get("client_secret")) != (
            "client_credentials", self.zustand.client_id, self.zustand.client_secret,
        ):  # fmt: skip
            return self._json(401, {"error": "invalid_client"})
        token = secrets.token_urlsafe(24)
        abgelaufen = self.zustand.naechstes_token_abgelaufen
        self.zustand.naechstes_token_abgelaufen = False
        # an "expired" token: the client believes it valid for 300 s, we do not
        self.zustand.tokens[token] = time.time() - 1 if abgelaufen else time.time() + 300
        return self._json(200, {"access_token": token, "token_type": "Bearer",
                                "expires_in": 300})  # fmt: skip

    def _ereignis(self):
        if not self._angemeldet():
            return None
        roh = self._body().decode()
        oeffentlich = jwk.JWK.from_json(self.zustand.signatur.export_public())
        try:
            token = jwt.JWT(jwt=roh, key=oeffentlich, algs=["PS512"])
        except Exception as fehler:  # noqa: BLE001 - reported to the client
            return self._problem(422, "invalid-event", f"SET ungültig: {fehler}")
        anspruch = json.loads(token.claims)
        anspruch["kopf"] = json.loads(token.header)
        self.zustand.ereignisse.append(anspruch)
        kennung = anspruch["sub"].removeprefix("submission:")
        self.zustand.einreichungen.pop(kennung, None)  # done: no longer listed
        return self._json(201, b"", "application/json")

    def do_GET(self):  # noqa: N802
        teile = urlsplit(self.path)
        if not self._angemeldet():
            return None
        if teile.path == "/v1/submissions":
            ziel = parse_qs(teile.query).get("destinationId", [""])[0]
            liste = [
                {"destinationId": ziel, "submissionId": e.submission_id, "caseId": e.case_id}
                for e in self.zustand.einreichungen.values()
                if ziel == self.zustand.destination_id
            ]
            return self._json(200, {"count": len(liste), "offset": 0,
                                    "totalCount": len(liste), "submissions": liste})  # fmt: skip
        stuecke = teile.path.strip("/").split("/")
        if stuecke[:2] == ["v1", "submissions"] and len(stuecke) in (3, 5):
            eintrag = self.zustand.einreichungen.get(stuecke[2])
            if eintrag is None:
                return self._problem(404, "submission-not-found", stuecke[2])
            if len(stuecke) == 3:
                return self._json(200, eintrag.roh)
            return self._json(200, eintrag.anlagen[stuecke[4]].encode(), "application/jose")
        return self._problem(404, "not-found", teile.path)

    def log_message(self, *args):
        pass


def starten(client_id="eakte-erbach", client_secret="fc-geheim-123") -> FitconnectTestserver:  # noqa: S107
    schluessel_v = jwk.JWK.generate(kty="RSA", size=2048, kid="enc-1")
    schluessel_s = jwk.JWK.generate(kty="RSA", size=2048, kid="sig-1")
    zustand = FitconnectTestserver(
        client_id, client_secret, str(uuid.uuid4()), schluessel_v, schluessel_s
    )

    zustand.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    zustand.server.zustand = zustand
    threading.Thread(target=zustand.server.serve_forever, daemon=True).start()
    return zustand


def beenden(zustand: FitconnectTestserver) -> None:
    zustand.server.shutdown()
    zustand.server.server_close()
