"""The document lists of Vorgang and Akte show the processing state (live while it runs) and,
once there, the thumbnail; without extra queries per row."""

from eakte.ocr.models import Status, Verarbeitung


def _verarbeitung(dokument):
    version = dokument.versionen.get()
    verarbeitung, _ = Verarbeitung.alle.get_or_create(
        datei=version.datei, defaults={"kommune": dokument.kommune}
    )
    return version, verarbeitung


def test_vorgang_und_akte_zeigen_den_verarbeitungsstand(client_als, sachbearbeitung, dokument):
    version, verarbeitung = _verarbeitung(dokument)
    verarbeitung.status = Status.WARTET
    verarbeitung.save()
    client = client_als(sachbearbeitung)
    for adresse in (
        f"/akten/vorgaenge/{dokument.vorgang.uuid}/",
        f"/akten/{dokument.akte.uuid}/",
    ):
        inhalt = client.get(adresse).content.decode()
        assert f'id="ocr-{version.uuid}"' in inhalt
        assert "wartet auf die Texterkennung" in inhalt
        assert f"/texterkennung/versionen/{version.uuid}/status/?liste=1" in inhalt  # polls itself

    verarbeitung.status = Status.FERTIG
    verarbeitung.verfahren = "textebene"
    verarbeitung.vorschaubild = version.datei
    verarbeitung.save()
    inhalt = client.get(f"/akten/vorgaenge/{dokument.vorgang.uuid}/").content.decode()
    assert f"/texterkennung/versionen/{version.uuid}/vorschaubild/" in inhalt
    assert "Text übernommen" in inhalt and "every 2s" not in inhalt
    zelle = client.get(f"/texterkennung/versionen/{version.uuid}/status/?liste=1").content.decode()
    assert "vorschaubild" in zelle
