"""`manage.py dateien_umziehen`: folder → bucket → folder, checked, resumable."""

import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from eakte.akten import services
from tests.hilfen import akteur_von

pytestmark = pytest.mark.django_db


def _umziehen(von, nach) -> tuple[str, CommandError | None]:
    ausgabe = StringIO()
    try:
        call_command("dateien_umziehen", "--von", von, "--nach", nach, stdout=ausgabe)
    except CommandError as fehler:
        return ausgabe.getvalue(), fehler
    return ausgabe.getvalue(), None


@pytest.fixture
def beide(settings, s3_server, dateiablage, tmp_path):
    """The folder in use (the test session's), a fresh prefix in the bucket as the target."""
    s3 = s3_server.speicher_eintrag(praefix=f"umzug-{uuid.uuid4().hex[:8]}")
    ordner = settings.STORAGES["default"]
    settings.SPEICHERARTEN = {"ordner": ordner, "s3": s3}
    return ordner, s3


@pytest.fixture
def versionen(vorgang, sachbearbeitung, pdf_datei):
    return [
        services.dokument_hochladen(
            akteur=akteur_von(sachbearbeitung), vorgang=vorgang, datei=pdf_datei(name), titel=name
        )
        for name in ("Bauantrag.pdf", "Lageplan.pdf", "Statik.pdf")
    ]


def test_hin_und_zurueck_mit_wiederaufnahme(beide, versionen, settings, s3_server, tmp_path):
    ordner, s3 = beide
    ausgabe, fehler = _umziehen("ordner", "s3")
    assert fehler is None, ausgabe
    assert "3 kopiert, 0 schon am Ziel, 0 Fehler" in ausgabe and "100%" in ausgabe

    client = s3_server.client()
    praefix = s3["OPTIONS"]["location"]
    for version in versionen:
        kopf = client.head_object(
            Bucket=s3_server.bucket,
            Key=f"{praefix}/{version.datei.speicherort}",
            ChecksumMode="ENABLED",
        )
        assert kopf["ContentLength"] == version.datei.groesse

    # an interrupted run: one object did not arrive; the next run copies only that one
    client.delete_object(Bucket=s3_server.bucket, Key=f"{praefix}/{versionen[1].datei.speicherort}")
    ausgabe, fehler = _umziehen("ordner", "s3")
    assert fehler is None and "1 kopiert, 2 schon am Ziel, 0 Fehler" in ausgabe

    # and back into an empty folder, now with the bucket as the store in use
    leer = tmp_path / "zurueck"
    settings.STORAGES = {**settings.STORAGES, "default": s3}
    settings.SPEICHERARTEN = {
        "ordner": {**ordner, "OPTIONS": {"location": str(leer)}},
        "s3": s3,
    }
    ausgabe, fehler = _umziehen("s3", "ordner")
    assert fehler is None and "3 kopiert" in ausgabe
    for version in versionen:
        original = Path(ordner["OPTIONS"]["location"]) / version.datei.speicherort
        assert (leer / version.datei.speicherort).read_bytes() == original.read_bytes()


def test_veraenderte_quelle_wird_nicht_verbreitet(beide, versionen, s3_server):
    ordner, s3 = beide
    pfad = Path(ordner["OPTIONS"]["location"]) / versionen[0].datei.speicherort
    pfad.chmod(0o640)
    pfad.write_bytes(pfad.read_bytes() + b"% manipuliert")
    ausgabe, fehler = _umziehen("ordner", "s3")
    assert isinstance(fehler, CommandError) and "2 kopiert, 0 schon am Ziel, 1 Fehler" in str(
        fehler
    )
    assert f"{versionen[0].datei.speicherort}" in ausgabe and "in der Quelle verändert" in ausgabe
    schluessel = f"{s3['OPTIONS']['location']}/{versionen[0].datei.speicherort}"
    antwort = s3_server.client().list_objects_v2(Bucket=s3_server.bucket, Prefix=schluessel)
    assert antwort.get("KeyCount", 0) == 0


def test_gleiche_art_und_unbekannte_art(beide):
    with pytest.raises(CommandError, match="dieselbe Speicherart"):
        call_command("dateien_umziehen", "--von", "s3", "--nach", "s3")
    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("dateien_umziehen", "--von", "ordner", "--nach", "band")
