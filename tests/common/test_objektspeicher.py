"""Files in S3-compatible object storage (a real moto server on a free port) and in the folder:
the same behaviour, per-Kommune prefixes, server-side SHA-256, streamed downloads, no URLs."""

import base64
import hashlib
import io
import uuid

import pytest
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eakte.akten import dateien, services
from eakte.common import beispielscans as scans
from eakte.common.objektspeicher import SpeicherFehler
from eakte.ocr.models import Status, Verarbeitung
from tests.conftest import _beenden, worker_starten
from tests.hilfen import akteur_von, warten_bis

pytestmark = pytest.mark.django_db


@pytest.fixture
def s3(settings, s3_server):
    eintrag = s3_server.speicher_eintrag(praefix="eakte")
    settings.STORAGES = {**settings.STORAGES, "default": eintrag}
    return s3_server


def test_upload_liegt_unter_dem_praefix_der_kommune_mit_pruefsumme(s3, vorgang, sachbearbeitung):
    version = services.dokument_hochladen(
        akteur=akteur_von(sachbearbeitung),
        vorgang=vorgang,
        datei=SimpleUploadedFile("Bauantrag.pdf", scans.als_pdf([scans.seite("Bauantrag")])),
    )
    datei = version.datei
    schluessel = f"eakte/{vorgang.kommune.uuid}/{datei.sha256[:2]}/{datei.sha256}"
    kopf = s3.client().head_object(Bucket=s3.bucket, Key=schluessel, ChecksumMode="ENABLED")
    assert base64.b64decode(kopf["ChecksumSHA256"]).hex() == datei.sha256
    assert kopf["ContentLength"] == datei.groesse
    assert dateien.speicher().pruefsumme(datei.speicherort) == datei.sha256
    # stored once, under the common prefix and the Kommune's own prefix, nowhere else
    schluessel_im_bucket = [
        o["Key"]
        for seite in s3.client().get_paginator("list_objects_v2").paginate(Bucket=s3.bucket)
        for o in seite.get("Contents", [])
        if datei.sha256 in o["Key"]
    ]
    assert schluessel_im_bucket == [schluessel]


def test_keine_oeffentliche_adresse(s3):
    with pytest.raises(NotImplementedError, match="keine öffentliche Adresse"):
        dateien.speicher().url("irgendwas")


def test_acl_ist_privat(s3, erbach):
    datei = dateien.inhalt_ablegen(kommune=erbach, inhalt=b"%PDF-1.4 privat", mime_typ="x/y")
    schluessel = f"eakte/{datei.speicherort}"
    acl = s3.client().get_object_acl(Bucket=s3.bucket, Key=schluessel)
    assert not [g for g in acl["Grants"] if "AllUsers" in str(g.get("Grantee", {}).get("URI"))]


class AendertSichBeimLesen(io.RawIOBase):
    """A file whose content changes after our SHA-256 pass, before it is sent (a file still
    being written by the scanner): the server's checksum is of other bytes than ours."""

    def __init__(self):
        self.durchgang = 0
        self.inhalt = io.BytesIO(b"erste Fassung")

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, pos, whence=0):
        if pos == 0 and whence == 0:
            self.durchgang += 1
            fassung = b"erste Fassung" if self.durchgang <= 1 else b"zweite Fassung!"
            self.inhalt = io.BytesIO(fassung)
            return 0
        return self.inhalt.seek(pos, whence)

    def tell(self):
        return self.inhalt.tell()

    def readinto(self, puffer):
        daten = self.inhalt.read(len(puffer))
        puffer[: len(daten)] = daten
        return len(daten)


def test_abweichende_pruefsumme_laesst_nichts_im_bucket(s3):
    name = f"{uuid.uuid4()}/ab/test"
    with pytest.raises(SpeicherFehler, match="Prüfsumme"):
        dateien.speicher().save(name, File(AendertSichBeimLesen(), name="x"))
    assert not dateien.speicher().exists(name)


def test_fehlendes_objekt_ist_file_not_found(s3):
    with pytest.raises(FileNotFoundError):
        dateien.speicher().open(f"{uuid.uuid4()}/ab/fehlt")


def test_unerreichbarer_bucket_sagt_es_deutlich(settings, s3_server, erbach):
    from tests.hilfen import freier_port

    eintrag = s3_server.speicher_eintrag()
    eintrag["OPTIONS"] = {**eintrag["OPTIONS"], "endpoint_url": f"http://127.0.0.1:{freier_port()}"}
    settings.STORAGES = {**settings.STORAGES, "default": eintrag}
    with pytest.raises(SpeicherFehler, match="Objektspeicher"):
        dateien.speicher().save(f"{erbach.uuid}/ab/x", ContentFile(b"inhalt"))


def test_herunterladen_streamt(s3, client_als, sachbearbeitung, vorgang):
    inhalt = scans.als_pdf([scans.seite("Lageplan Flur 3")])
    version = services.dokument_hochladen(
        akteur=akteur_von(sachbearbeitung),
        vorgang=vorgang,
        datei=SimpleUploadedFile("Lageplan.pdf", inhalt),
    )
    antwort = client_als(sachbearbeitung).get(
        reverse("akten:version_datei", kwargs={"version_uuid": version.uuid})
    )
    assert antwort.status_code == 200 and antwort.streaming
    assert antwort["Content-Length"] == str(len(inhalt))
    assert b"".join(antwort.streaming_content) == inhalt


@pytest.mark.worker
def test_hochladen_ocr_herunterladen_mit_echtem_worker(
    transactional_db,
    dateispeicher,
    vorgang,
    sachbearbeitung,
    client_als,
    settings,
    tmp_path,
    dateiablage,
):
    """Upload → OCR in a real worker (which copies the original from the store into a temp
    folder for OCRmyPDF) → archive version and thumbnail stored → both downloaded."""
    queue = f"ocr-{dateispeicher.art}-{uuid.uuid4().hex[:6]}"
    settings.OCR_QUEUE = queue
    worker = worker_starten(
        tmp_path, dateiablage, queues=[queue], CELERY_OCR_QUEUE=queue, **dateispeicher.umgebung
    )
    try:
        scan = scans.als_pdf([scans.seite(scans.BEISPIELTEXT)])
        version = services.dokument_hochladen(
            akteur=akteur_von(sachbearbeitung),
            vorgang=vorgang,
            datei=SimpleUploadedFile("Scan.pdf", scan),
        )
        verarbeitung = Verarbeitung.objects.get(datei=version.datei)

        def fertig():
            verarbeitung.refresh_from_db()
            return verarbeitung.status in (Status.FERTIG, Status.FEHLER)

        warten_bis(fertig, sekunden=180, was=lambda: worker.log.read_text()[-3000:])
        assert verarbeitung.status == Status.FERTIG, verarbeitung.meldung
        archiv, bild = verarbeitung.archiv, verarbeitung.vorschaubild
        for datei in (archiv, bild):
            gespeichert = dateispeicher.lesen(datei.speicherort)
            assert hashlib.sha256(gespeichert).hexdigest() == datei.sha256
        client = client_als(sachbearbeitung)
        original = client.get(reverse("akten:version_datei", kwargs={"version_uuid": version.uuid}))
        assert b"".join(original.streaming_content) == scan
        pdfa = client.get(reverse("ocr:archiv", kwargs={"version_uuid": version.uuid}))
        assert pdfa.status_code == 200
        inhalt = b"".join(pdfa.streaming_content)
        assert inhalt.startswith(b"%PDF") and hashlib.sha256(inhalt).hexdigest() == archiv.sha256
    finally:
        _beenden(worker.process)
