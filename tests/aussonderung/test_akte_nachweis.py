"""An Akte handed over to the archive or deleted is a read-only stub in the records (akten):
the rules refuse writing, sharing, reopening and a Geschäftsgang, with a German reason; and the
Löschsperre shows wherever the Akte appears (list, search, API)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from eakte.akten import services as akten_services
from eakte.akten.models import Verbleib, Vorgang
from eakte.aussonderung import services
from eakte.aussonderung.models import Loeschsperre
from eakte.common.akteur import Akteur
from eakte.common.regeln import darf
from eakte.geschaeftsgang import services as gang_services
from eakte.suche import services as suche_services
from tests.aussonderung.test_services import abgeben, bewertet, vorschlagen
from tests.hilfen import akteur_von

pytestmark = pytest.mark.django_db


@pytest.fixture
def geloescht(welt):
    lauf = vorschlagen(welt)
    services.loeschlauf_genehmigen(akteur=akteur_von(welt.zweite_admin), lauf=lauf)
    welt.vernichten.refresh_from_db()
    return welt.vernichten, lauf


@pytest.fixture
def archiviert(welt):
    prozess = bewertet(welt)
    abgeben(welt, prozess)
    services.uebernahme_bestaetigen(
        akteur=akteur_von(welt.admin),
        prozess=prozess,
        nachweis=SimpleUploadedFile("Schreiben.pdf", b"%PDF-1.4 Nachweis"),
    )
    welt.archivwuerdig.refresh_from_db()
    return welt.archivwuerdig


def test_geloeschte_akte_ist_ein_nachweis_und_nicht_wieder_zu_eroeffnen(welt, geloescht):
    akte, lauf = geloescht
    assert akte.verbleib == Verbleib.GELOESCHT and akte.ausgesondert_am
    assert akte.ausgesondert_nach == f"Löschlauf {lauf.uuid}"
    admin = akteur_von(welt.admin)
    for regel in ("akten.schreiben", "akten.wiedereroeffnen", "akten.freigeben"):
        assert not darf(welt.admin, regel, akte), regel
    assert darf(welt.admin, "akten.lesen", akte)
    with pytest.raises(ValidationError, match="gelöscht am .* nur noch ein Nachweis"):
        akten_services.akte_wiedereroeffnen(akteur=admin, akte=akte, grund="Versehen")
    with pytest.raises(ValidationError, match="gelöscht am"):
        akten_services.akte_aendern(akteur=admin, akte=akte, betreff="Neu")
    with pytest.raises(ValidationError, match="gelöscht am"):
        akten_services.vorgang_anlegen(akteur=admin, akte=akte, betreff="Neuer Vorgang")
    with pytest.raises(ValidationError, match="gelöscht am"):
        akten_services.akte_freigeben(akteur=admin, akte=akte, empfaenger=welt.zweite_admin)
    akte.refresh_from_db()
    assert akte.zda_am is not None  # nothing was changed


def test_auf_archivierter_akte_startet_kein_geschaeftsgang(welt, archiviert, sachbearbeitung):
    akte = archiviert
    assert akte.verbleib == Verbleib.ARCHIVIERT
    assert akte.verbleib_text.startswith("archiviert am ")
    assert akte.verbleib_text.endswith("(an Hessisches Staatsarchiv Darmstadt)")
    vorgang = Vorgang.objects.filter(akte=akte).first()
    assert not darf(welt.admin, "geschaeftsgang.starten", vorgang)
    with pytest.raises((PermissionDenied, ValidationError)):
        gang_services.geschaeftsgang_starten(
            akteur=akteur_von(welt.admin),
            vorgang=vorgang,
            schritte=[gang_services.SchrittAngabe(verfuegung="zk", person=sachbearbeitung)],
        )
    # even the system (routing rules of the intake) cannot start one
    with pytest.raises(ValidationError, match="archiviert am"):
        gang_services.geschaeftsgang_starten(
            akteur=Akteur.system("Test: Regeln des Eingangs"),
            vorgang=vorgang,
            schritte=[gang_services.SchrittAngabe(verfuegung="zk", person=sachbearbeitung)],
        )


def test_akteseite_zeigt_den_verbleib_ohne_knoepfe(welt, archiviert, client_als):
    text = client_als(welt.admin).get(f"/akten/{archiviert.uuid}/").content.decode()
    assert "Diese Akte ist archiviert am " in text
    assert "(an Hessisches Staatsarchiv Darmstadt)" in text
    assert "Wieder eröffnen" not in text and "Bearbeiten" not in text
    antwort = client_als(welt.admin).post(
        f"/akten/{archiviert.uuid}/wiedereroeffnen/", {"grund": "Versehen"}, follow=True
    )
    archiviert.refresh_from_db()
    assert archiviert.zda_am is not None and antwort.status_code in (200, 403)


def test_api_verweigert_die_wiedereroeffnung_mit_grund(welt, geloescht, api_als):
    akte, _ = geloescht
    antwort = api_als(welt.admin).post(
        f"/api/v1/akten/{akte.uuid}/wiedereroeffnen/", {"grund": "Versehen"}, format="json"
    )
    assert antwort.status_code in (400, 403)
    daten = api_als(welt.admin).get(f"/api/v1/akten/{akte.uuid}/").json()
    assert daten["verbleib"] == "geloescht"
    assert daten["verbleib_text"].startswith("gelöscht am ")
    assert daten["darf_schreiben"] is False and daten["darf_freigeben"] is False


def test_loeschsperre_in_liste_suche_und_api(welt, client_als, api_als):
    akte = welt.gesperrt
    akte.refresh_from_db()
    assert akte.hat_loeschsperre and akte.loeschsperre_grund == "Wahlanfechtung vor dem VG"
    liste = client_als(welt.admin).get("/akten/", {"alle": "1", "zda": "1"}).content.decode()
    assert 'title="Löschsperre: Wahlanfechtung vor dem VG"' in liste
    daten = api_als(welt.admin).get(f"/api/v1/akten/{akte.uuid}/").json()
    assert daten["loeschsperre"] is True
    assert daten["loeschsperre_grund"] == "Wahlanfechtung vor dem VG"
    frei = api_als(welt.admin).get(f"/api/v1/akten/{welt.laufend.uuid}/").json()
    assert frei["loeschsperre"] is False and frei["verbleib"] == ""
    for version_datei in akte.dokumente.values_list("versionen__datei_id", flat=True):
        suche_services.datei_indexieren(version_datei)
    treffer = api_als(welt.admin).get("/api/v1/suche/", {"q": "Klage"}).json()
    zeilen = [e["akte"] for e in treffer["ergebnisse"] if e["akte"]["uuid"] == str(akte.uuid)]
    assert zeilen and zeilen[0]["loeschsperre"] is True
    seite = client_als(welt.admin).get("/suche/", {"q": "Klage"}).content.decode()
    assert 'title="Wahlanfechtung vor dem VG">Löschsperre' in seite
    # lifted: shown nowhere any more
    sperre = Loeschsperre.objects.get(akte=akte, aufgehoben_am__isnull=True)
    services.loeschsperre_aufheben(akteur=akteur_von(welt.admin), sperre=sperre)
    assert api_als(welt.admin).get(f"/api/v1/akten/{akte.uuid}/").json()["loeschsperre"] is False


def test_migration_traegt_verbleib_und_loeschsperre_nach(welt, geloescht):
    """aussonderung 0002 fills the new Akte fields from what was recorded before them."""
    import importlib

    from django.apps import apps

    from eakte.akten.models import Akte

    akte, lauf = geloescht
    Akte.objects.filter(pk__in=[akte.pk, welt.gesperrt.pk]).update(
        verbleib="", ausgesondert_am=None, ausgesondert_nach="", loeschsperre_grund=""
    )
    migration = importlib.import_module(
        "eakte.aussonderung.migrations.0002_akten_verbleib_nachtragen"
    )
    migration.nachtragen(apps, None)
    akte.refresh_from_db()
    welt.gesperrt.refresh_from_db()
    assert akte.verbleib == Verbleib.GELOESCHT and akte.ausgesondert_am
    assert akte.ausgesondert_nach == f"Löschlauf {lauf.uuid}"
    assert welt.gesperrt.loeschsperre_grund == "Wahlanfechtung vor dem VG"
    assert Akte.objects.get(pk=welt.laufend.pk).verbleib == ""
