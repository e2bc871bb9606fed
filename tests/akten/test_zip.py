"""Several Dokumente of a Vorgang as one ZIP: chosen or all, every download logged, only what
the person may see, also by API."""

import io
import zipfile

from eakte.akten import services
from eakte.protokoll.models import Aktion, Protokolleintrag
from tests.hilfen import akteur_von


def _inhalt(antwort) -> dict[str, bytes]:
    archiv = zipfile.ZipFile(io.BytesIO(b"".join(antwort.streaming_content)))
    return {name: archiv.read(name) for name in archiv.namelist()}


def test_zip_ausgewaehlt_und_alle(client_als, sachbearbeitung, vorgang, pdf_datei):
    akteur = akteur_von(sachbearbeitung)
    erstes = services.dokument_hochladen(
        akteur=akteur, vorgang=vorgang, datei=pdf_datei("Antrag.pdf")
    ).dokument
    services.dokument_hochladen(akteur=akteur, vorgang=vorgang, datei=pdf_datei("Antrag.pdf", "2"))
    client = client_als(sachbearbeitung)
    adresse = f"/akten/vorgaenge/{vorgang.uuid}/zip/"
    alle = client.get(adresse)
    assert alle["Content-Type"] == "application/zip"
    assert sorted(_inhalt(alle)) == ["Antrag (2).pdf", "Antrag.pdf"]
    assert Protokolleintrag.objects.filter(aktion=Aktion.HERUNTERGELADEN).count() == 2
    eins = client.get(adresse, {"dokumente": [str(erstes.uuid)], "auswahl": "1"})
    assert list(_inhalt(eins)) == ["Antrag.pdf"]
    keins = client.get(adresse, {"auswahl": "1"}, follow=True)
    assert "Bitte mindestens ein Dokument auswählen." in keins.content.decode()
    seite = client.get(f"/akten/vorgaenge/{vorgang.uuid}/").content.decode()
    assert "Ausgewählte als ZIP herunterladen" in seite and 'form="zip-auswahl"' in seite


def test_zip_nur_fuer_berechtigte_und_per_api(
    client_als, api_als, sachbearbeitung, kollegin_andere_oe, fremde_sachbearbeitung, dokument
):
    adresse = f"/akten/vorgaenge/{dokument.vorgang.uuid}/zip/"
    assert client_als(kollegin_andere_oe).get(adresse).status_code == 404
    assert client_als(fremde_sachbearbeitung).get(adresse).status_code == 404
    api = api_als(sachbearbeitung).get(f"/api/v1/vorgaenge/{dokument.vorgang.uuid}/zip/")
    assert api.status_code == 200 and len(_inhalt(api)) == 1
    fremd = api_als(fremde_sachbearbeitung).get(f"/api/v1/vorgaenge/{dokument.vorgang.uuid}/zip/")
    assert fremd.status_code == 404


def test_gleicher_inhalt_in_anderer_akte_mit_und_ohne_link(
    client_als, akte_anlegen, sachbearbeitung, kollegin_andere_oe, bauamt, hauptamt, pdf_datei
):
    eigene = akte_anlegen(sachbearbeitung, bauamt)
    zweite = akte_anlegen(sachbearbeitung, bauamt)
    fremde_oe = akte_anlegen(kollegin_andere_oe, hauptamt)
    hochgeladen = []
    for akte, person in (
        (eigene, sachbearbeitung),
        (zweite, sachbearbeitung),
        (fremde_oe, kollegin_andere_oe),
    ):
        vorgang = services.vorgang_anlegen(akteur=akteur_von(person), akte=akte, betreff="V")
        hochgeladen.append(
            services.dokument_hochladen(
                akteur=akteur_von(person), vorgang=vorgang, datei=pdf_datei("Gleich.pdf")
            ).dokument
        )
    seite = client_als(sachbearbeitung).get(f"/akten/dokumente/{hochgeladen[0].uuid}/")
    text = seite.content.decode()
    assert f"(Akte {zweite.aktenzeichen})" in text
    assert f'href="/akten/dokumente/{hochgeladen[1].uuid}/"' in text
    assert "einer weiteren Akte Ihrer Kommune, die Sie nicht einsehen dürfen" in text
    assert fremde_oe.aktenzeichen not in text and str(hochgeladen[2].uuid) not in text
