"""S3-compatible object storage for the stored files, beside the local folder (settings
`DATEISPEICHER=s3`).

What it adds to django-storages' S3Storage:
- every object is written with a SHA-256 checksum that the SDK computes while sending and the
  server verifies and keeps; the checksum the server reports back is compared with our own
  SHA-256 of the content, and an object that does not match is removed again (nothing
  half-written stays behind);
- reading streams the object in blocks (never the whole file in memory or on disk);
- a missing object is a FileNotFoundError, as in the folder;
- there are no public or pre-signed URLs: every download goes through the permission check.

Names are `<kommune-uuid>/<ab>/<sha256>` (eakte/akten/dateien.py): every Kommune has its own
prefix in the bucket, under an optional common prefix (`S3_PREFIX`).
"""

import base64
import hashlib
import io

from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

BLOCK = 1024 * 1024


class SpeicherFehler(OSError):
    """The object storage did not take or give a file (unreachable, refused, checksum wrong)."""


def sha256_hex_aus_base64(wert: str) -> str:
    return base64.b64decode(wert).hex()


def _nicht_gefunden(fehler: ClientError) -> bool:
    antwort = fehler.response
    return antwort.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404 or antwort.get(
        "Error", {}
    ).get("Code") in {"NoSuchKey", "404", "NotFound"}


class Lesestrom(io.RawIOBase):
    """An object's body read block by block (boto3's StreamingBody behind a file interface)."""

    def __init__(self, body, name: str, groesse: int):
        super().__init__()
        self._body = body
        self.name = name
        self.groesse = groesse

    def readable(self) -> bool:
        return True

    def readinto(self, puffer) -> int:
        daten = self._body.read(len(puffer))
        puffer[: len(daten)] = daten
        return len(daten)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


class Objektspeicher(S3Storage):
    def __init__(self, **optionen):
        optionen.setdefault("default_acl", "private")
        optionen.setdefault("querystring_auth", True)
        # Never overwrite, as in the folder: a name taken already gets a new one (records are
        # content-addressed and checked before saving; other names, e.g. the 0501 and the 0503
        # ZIP of one Aussonderung, must not replace each other).
        optionen.setdefault("file_overwrite", False)
        super().__init__(**optionen)

    @property
    def client(self):
        return self.connection.meta.client

    def _schluessel(self, name: str) -> str:
        return self._normalize_name(clean_name(name))

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Gespeicherte Dateien werden nie verändert.")
        schluessel = self._schluessel(name)
        try:
            antwort = self.client.get_object(Bucket=self.bucket_name, Key=schluessel)
        except ClientError as fehler:
            if _nicht_gefunden(fehler):
                raise FileNotFoundError(f"Objekt fehlt: {schluessel}") from fehler
            raise SpeicherFehler(f"Objektspeicher: {fehler}") from fehler
        except BotoCoreError as fehler:
            raise SpeicherFehler(f"Objektspeicher nicht erreichbar: {fehler}") from fehler
        roh = Lesestrom(antwort["Body"], name, antwort.get("ContentLength", 0))
        return io.BufferedReader(roh, buffer_size=BLOCK)

    def _save(self, name, content):
        cleaned = clean_name(name)
        schluessel = self._normalize_name(cleaned)
        datei = getattr(content, "file", content)
        summe = hashlib.sha256()
        datei.seek(0)
        for stueck in iter(lambda: datei.read(BLOCK), b""):
            summe.update(stueck)
        datei.seek(0)
        erwartet = summe.hexdigest()
        parameter = {k: v for k, v in self._get_write_parameters(schluessel, content).items()}
        parameter.pop("ContentEncoding", None)
        try:
            antwort = self.client.put_object(
                Bucket=self.bucket_name,
                Key=schluessel,
                Body=datei,
                ChecksumAlgorithm="SHA256",
                **parameter,
            )
        except (ClientError, BotoCoreError) as fehler:
            raise SpeicherFehler(f"Objektspeicher hat die Datei nicht angenommen: {fehler}") from (
                fehler
            )
        gemeldet = antwort.get("ChecksumSHA256") or self._pruefsumme_base64(schluessel)
        if gemeldet is None or sha256_hex_aus_base64(gemeldet) != erwartet:
            self.client.delete_object(Bucket=self.bucket_name, Key=schluessel)
            raise SpeicherFehler(
                f"Die Prüfsumme des Objektspeichers für {schluessel} stimmt nicht mit der "
                "eigenen SHA-256 überein; das Objekt wurde wieder entfernt."
            )
        return cleaned

    def exists(self, name):
        try:
            return super().exists(name)
        except (ClientError, BotoCoreError) as fehler:
            raise SpeicherFehler(f"Objektspeicher nicht erreichbar: {fehler}") from fehler

    def size(self, name):
        try:
            return super().size(name)
        except (ClientError, BotoCoreError) as fehler:
            raise SpeicherFehler(f"Objektspeicher: {fehler}") from fehler

    def _pruefsumme_base64(self, schluessel: str) -> str | None:
        try:
            kopf = self.client.head_object(
                Bucket=self.bucket_name, Key=schluessel, ChecksumMode="ENABLED"
            )
        except ClientError as fehler:
            if _nicht_gefunden(fehler):
                raise FileNotFoundError(f"Objekt fehlt: {schluessel}") from fehler
            raise SpeicherFehler(f"Objektspeicher: {fehler}") from fehler
        except BotoCoreError as fehler:
            raise SpeicherFehler(f"Objektspeicher nicht erreichbar: {fehler}") from fehler
        return kopf.get("ChecksumSHA256")

    def pruefsumme(self, name: str) -> str | None:
        """The SHA-256 (hex) the server keeps for the object, without reading its content;
        None if the object has none (written by another tool). FileNotFoundError if missing."""
        wert = self._pruefsumme_base64(self._schluessel(name))
        return sha256_hex_aus_base64(wert) if wert else None

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise NotImplementedError(
            "Gespeicherte Dateien haben keine öffentliche Adresse; sie werden nur über die "
            "Berechtigungsprüfung ausgeliefert."
        )
