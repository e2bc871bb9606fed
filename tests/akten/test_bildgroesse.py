"""A small file that claims a huge picture (a decompression bomb) is refused on upload with a
German message, before anything is stored."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eakte.akten.models import Datei, Dokument
from eakte.ocr import pipeline


def _chunk(art: bytes, daten: bytes) -> bytes:
    return struct.pack(">I", len(daten)) + art + daten + struct.pack(">I", zlib.crc32(art + daten))


def png(breite: int, hoehe: int) -> bytes:
    """Only the header and a few bytes of image data: PIL reads the size from the header."""
    kopf = struct.pack(">IIBBBBB", breite, hoehe, 8, 0, 0, 0, 0)  # 8-bit grey
    daten = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", kopf) + _chunk(b"IDAT", daten) + _chunk(b"IEND", b"")
    )


def test_riesiges_png_ueber_die_api(api_als, sachbearbeitung, vorgang):
    antwort = api_als(sachbearbeitung).post(
        "/api/v1/dokumente/",
        {"vorgang": str(vorgang.uuid), "datei": SimpleUploadedFile("scan.png", png(30000, 30000))},
        format="multipart",
    )
    assert antwort.status_code == 400
    assert "zu groß" in str(antwort.json()) and "Megapixel" in str(antwort.json())
    assert not Datei.objects.exists() and not Dokument.objects.exists()


def test_riesiges_png_auf_der_seite(client_als, sachbearbeitung, vorgang):
    adresse = reverse("akten:hochladen_datei", kwargs={"vorgang_uuid": vorgang.uuid})
    antwort = client_als(sachbearbeitung).post(
        adresse, {"datei": SimpleUploadedFile("scan.png", png(30000, 30000))}
    )
    assert antwort.status_code == 400
    assert "zu groß" in antwort.json()["fehler"]
    assert not Datei.objects.exists()


def test_grenze_kommt_aus_den_einstellungen(api_als, sachbearbeitung, vorgang, settings):
    settings.UPLOAD_BILD_MAX_PIXEL = 1_000_000
    client = api_als(sachbearbeitung)
    gross = client.post(
        "/api/v1/dokumente/",
        {"vorgang": str(vorgang.uuid), "datei": SimpleUploadedFile("a.png", png(2000, 1000))},
        format="multipart",
    )
    assert gross.status_code == 400 and "2000 × 1000" in str(gross.json())
    klein = client.post(
        "/api/v1/dokumente/",
        {"vorgang": str(vorgang.uuid), "datei": SimpleUploadedFile("b.png", png(1000, 1000))},
        format="multipart",
    )
    assert klein.status_code == 201


def test_seiten_zaehlen_eines_riesigen_bildes(tmp_path):
    pfad = tmp_path / "bombe.png"
    pfad.write_bytes(png(30000, 30000))
    with pytest.raises(pipeline.Eingabefehler, match="zu groß"):
        pipeline.bildseiten(pfad)
    assert pipeline.seiten_zaehlen(pfad, "image/png") is None
