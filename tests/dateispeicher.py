"""The two file stores for tests: the local folder and a real S3-compatible server (moto in
server mode, on a free port, for the whole session).

`dateispeicher` is parametrised: a test (or a module with `pytest.mark.usefixtures`) that uses it
runs once against the folder and once against the bucket. It also offers what an outside hand
does to stored files (delete one, change one), so that the same test body works on both.
"""

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.hilfen import freier_port

BUCKET = "eakte-test"
REGION = "eu-central-1"


@dataclass
class S3Server:
    endpoint: str
    bucket: str = BUCKET
    zugang: str = "eakte-test"
    geheimnis: str = "eakte-test-geheimnis"

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.zugang,
            aws_secret_access_key=self.geheimnis,
            region_name=REGION,
        )

    def speicher_eintrag(self, praefix: str = "") -> dict:
        return {
            "BACKEND": "eakte.common.objektspeicher.Objektspeicher",
            "OPTIONS": {
                "bucket_name": self.bucket,
                "endpoint_url": self.endpoint,
                "region_name": REGION,
                "access_key": self.zugang,
                "secret_key": self.geheimnis,
                "location": praefix,
            },
        }

    def umgebung(self, praefix: str = "") -> dict[str, str]:
        """The environment a worker or a command process needs for this bucket."""
        return {
            "DATEISPEICHER": "s3",
            "S3_BUCKET": self.bucket,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": self.zugang,
            "S3_SECRET_ACCESS_KEY": self.geheimnis,
            "S3_PREFIX": praefix,
        }


@pytest.fixture(scope="session")
def s3_server():
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = freier_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    s3 = S3Server(endpoint=f"http://127.0.0.1:{port}")
    s3.client().create_bucket(
        Bucket=s3.bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    try:
        yield s3
    finally:
        server.stop()


@dataclass
class Speicherart:
    art: str
    eintrag: dict
    s3: S3Server | None = None
    umgebung: dict[str, str] = field(default_factory=dict)

    def _ordnerpfad(self, name: str) -> Path:
        return Path(self.eintrag["OPTIONS"]["location"]) / name

    def _schluessel(self, name: str) -> str:
        praefix = self.eintrag["OPTIONS"].get("location", "")
        return f"{praefix.strip('/')}/{name}" if praefix else name

    def loeschen(self, name: str) -> None:
        """Remove a stored file behind the application's back."""
        if self.s3 is None:
            self._ordnerpfad(name).unlink()
        else:
            self.s3.client().delete_object(Bucket=self.s3.bucket, Key=self._schluessel(name))

    def lesen(self, name: str) -> bytes:
        if self.s3 is None:
            return self._ordnerpfad(name).read_bytes()
        antwort = self.s3.client().get_object(Bucket=self.s3.bucket, Key=self._schluessel(name))
        return antwort["Body"].read()

    def veraendern(self, name: str, inhalt: bytes) -> None:
        """Replace a stored file's content behind the application's back (as a person with
        access to the disk or the bucket could)."""
        if self.s3 is None:
            pfad = self._ordnerpfad(name)
            os.chmod(pfad, 0o640)
            pfad.write_bytes(inhalt)
        else:
            self.s3.client().put_object(
                Bucket=self.s3.bucket,
                Key=self._schluessel(name),
                Body=inhalt,
                ChecksumAlgorithm="SHA256",
            )


@pytest.fixture(params=["ordner", "s3"])
def dateispeicher(request, settings, dateiablage) -> Speicherart:
    """The test runs with the folder and again with the S3 bucket as the file store."""
    settings.SPEICHERARTEN = {**settings.SPEICHERARTEN, "ordner": settings.STORAGES["default"]}
    if request.param == "ordner":
        return Speicherart("ordner", settings.STORAGES["default"])
    s3 = request.getfixturevalue("s3_server")
    eintrag = s3.speicher_eintrag()
    settings.STORAGES = {**settings.STORAGES, "default": eintrag}
    settings.SPEICHERARTEN = {**settings.SPEICHERARTEN, "s3": eintrag}
    settings.DATEISPEICHER = "s3"
    return Speicherart("s3", eintrag, s3=s3, umgebung=s3.umgebung())
