"""Where an entry has no address, the list and the CSV say why (issue 16): a Systemvorgang
names its task or command, a person's entry without address says that none was sent."""

import csv
import io

import pytest

from eakte.common.akteur import Akteur
from eakte.protokoll import services as protokoll_services
from eakte.protokoll.models import Aktion, Protokolleintrag
from eakte.protokoll.pruefung import kette_pruefen
from tests.hilfen import akteur_von
from tests.protokoll.conftest import ohne_schutz

pytestmark = pytest.mark.django_db


def _schreiben(kommune, akteur, beschreibung):
    return protokoll_services.protokollieren(
        kommune_id=kommune.pk, akteur=akteur, aktion=Aktion.ANGELEGT, beschreibung=beschreibung
    )


@pytest.fixture
def vier_eintraege(erbach, sachbearbeitung):
    return {
        "system": _schreiben(
            erbach, Akteur.system("Wiedervorlagen melden (Hintergrundauftrag)"), "Systemeintrag"
        ),
        "im_namen": _schreiben(
            erbach, Akteur.system("Demodaten", im_namen_von=sachbearbeitung), "Demo-Eintrag"
        ),
        "person": _schreiben(erbach, akteur_von(sachbearbeitung, ip="192.0.2.7"), "Mit Adresse"),
        "ohne": _schreiben(erbach, akteur_von(sachbearbeitung), "Ohne Adresse"),
    }


def test_der_grund_wird_aufgezeichnet_und_angezeigt(vier_eintraege, sachbearbeitung):
    system, im_namen = vier_eintraege["system"], vier_eintraege["im_namen"]
    assert system.systemgrund == "Wiedervorlagen melden (Hintergrundauftrag)"
    assert system.adresse_anzeige == (
        "– (Systemvorgang: Wiedervorlagen melden (Hintergrundauftrag))"
    )
    # demo data in a person's name: the person is named, the address column says why it is empty
    assert im_namen.benutzer == sachbearbeitung
    assert im_namen.adresse_anzeige == "– (Systemvorgang: Demodaten)"
    assert vier_eintraege["person"].adresse_anzeige == "192.0.2.7"
    assert vier_eintraege["person"].systemgrund == ""
    assert vier_eintraege["ohne"].adresse_anzeige == "– (Adresse nicht übermittelt)"


def test_liste_und_csv_nennen_den_grund(client_als, datenschutz, vier_eintraege):
    seite = client_als(datenschutz).get("/protokoll/").content.decode()
    assert "– (Systemvorgang: Demodaten)" in seite
    assert "– (Systemvorgang: Wiedervorlagen melden (Hintergrundauftrag))" in seite
    assert "– (Adresse nicht übermittelt)" in seite
    antwort = client_als(datenschutz).get("/protokoll/export.csv")
    text = b"".join(antwort.streaming_content).decode("utf-8").removeprefix("\ufeff")
    zeilen = list(csv.reader(io.StringIO(text), delimiter=";"))
    spalte = zeilen[0].index("IP-Adresse")
    text_spalte = zeilen[0].index("Beschreibung")
    adressen = {zeile[text_spalte]: zeile[spalte] for zeile in zeilen[1:]}
    assert adressen["Demo-Eintrag"] == "– (Systemvorgang: Demodaten)"
    assert adressen["Mit Adresse"] == "192.0.2.7"
    assert adressen["Ohne Adresse"] == "– (Adresse nicht übermittelt)"


def test_aeltere_eintraege_ohne_anmeldeart(erbach, sachbearbeitung):
    eintrag = _schreiben(erbach, akteur_von(sachbearbeitung), "alt")
    eintrag.anmeldeart = ""
    assert eintrag.adresse_anzeige == "– (älterer Eintrag ohne Angabe)"


def test_der_grund_ist_durch_die_kette_geschuetzt(erbach, vier_eintraege):
    assert kette_pruefen(erbach.pk)[1] is None
    with ohne_schutz():
        Protokolleintrag.objects.filter(pk=vier_eintraege["system"].pk).update(
            systemgrund="etwas anderes"
        )
    bruch = kette_pruefen(erbach.pk)[1]
    assert bruch is not None and bruch.laufnummer == vier_eintraege["system"].laufnummer


def test_einzelheiten_mit_deutschen_namen(client_als, datenschutz, erbach, sachbearbeitung):
    """The list names the details in German (no "zweitkanal", "True", "sha256")."""
    protokoll_services.protokollieren(
        kommune_id=erbach.pk,
        akteur=akteur_von(sachbearbeitung, ip="192.0.2.7"),
        aktion=Aktion.FREIGEGEBEN,
        beschreibung="Einzelheiten-Test",
        details={
            "zweitkanal": True,
            "download_erlaubt": False,
            "sha256": "ab" * 32,
            "vertreter": ["a.b", "c.d"],
            "vorname": {"vorher": "Eva", "nachher": "Ева"},
        },
    )
    seite = client_als(datenschutz).get("/protokoll/").content.decode()
    assert "<dt>zweiter Kanal</dt><dd>ja</dd>" in seite
    assert "<dt>Herunterladen erlaubt</dt><dd>nein</dd>" in seite
    assert "<dt>Prüfsumme (SHA-256)</dt>" in seite
    assert "<dt>Vertretung</dt><dd>a.b, c.d</dd>" in seite
    assert "<dt>Vorname</dt><dd>vorher: Eva; nachher: Ева</dd>" in seite
    assert "<dt>zweitkanal</dt>" not in seite and "True" not in seite


def test_csv_nennt_die_objektart_deutsch(client_als, datenschutz, erbach):
    """The CSV names the kind of object in German ("Löschlauf"), not the class ("Loeschlauf")."""
    from eakte.aussonderung.models import Loeschlauf

    lauf = Loeschlauf(kommune=erbach)
    protokoll_services.protokollieren(
        kommune_id=erbach.pk,
        akteur=Akteur.system("Test"),
        aktion=Aktion.GELOESCHT,
        beschreibung="Objektart-Test",
        objekt=lauf,
    )
    antwort = client_als(datenschutz).get("/protokoll/export.csv")
    text = b"".join(antwort.streaming_content).decode("utf-8").removeprefix("\ufeff")
    zeilen = list(csv.reader(io.StringIO(text), delimiter=";"))
    objekt, beschreibung = zeilen[0].index("Objekt"), zeilen[0].index("Beschreibung")
    (zeile,) = [z for z in zeilen[1:] if z[beschreibung] == "Objektart-Test"]
    assert zeile[objekt] == "Löschlauf"
