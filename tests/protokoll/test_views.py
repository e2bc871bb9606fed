"""The Protokoll in the browser: only the Datenschutz role, only its own Kommune, logged."""

import csv
import io
from datetime import date, datetime

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from eakte.protokoll import selectors
from eakte.protokoll.models import Aktion, Protokolleintrag
from tests.protokoll.conftest import eintrag, eintrag_am, ohne_schutz

pytestmark = pytest.mark.django_db
LISTE, CSV, KETTE = "/protokoll/", "/protokoll/export.csv", "/protokoll/kette/"


def _csv(antwort) -> tuple[str, list[list[str]]]:
    assert isinstance(antwort, StreamingHttpResponse)
    text = b"".join(antwort.streaming_content).decode("utf-8")
    return text, list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def _beschreibungen(antwort) -> list[str]:
    return [e.beschreibung for e in antwort.context["seite"]]


def test_datenschutz_sieht_nur_die_eigene_kommune(client_als, datenschutz, zwei_kommunen):
    antwort = client_als(datenschutz).get(LISTE)
    assert antwort.status_code == 200
    eintraege = list(antwort.context["seite"])
    assert {e.kommune_id for e in eintraege} == {datenschutz.kommune_id}
    texte = antwort.content.decode()
    assert zwei_kommunen["akte"].aktenzeichen in texte
    assert "Gaststättenerlaubnis" not in texte
    assert zwei_kommunen["fremde_akte"].aktenzeichen not in texte
    # what the Michelstadt grantee did on the Erbach Akte belongs to Erbach's Protokoll
    angesehen = next(e for e in eintraege if e.beschreibung.startswith("Dokument „Bauantrag“"))
    assert "(sb.michelstadt)" in angesehen.benutzer_name
    assert angesehen.ip_adresse == "198.51.100.23"
    assert "198.51.100.23" in texte


def test_datenschutz_der_anderen_kommune_sieht_nur_ihre(
    client_als, datenschutz_michelstadt, zwei_kommunen
):
    antwort = client_als(datenschutz_michelstadt).get(LISTE)
    texte = antwort.content.decode()
    assert zwei_kommunen["fremde_akte"].aktenzeichen in texte
    assert zwei_kommunen["akte"].aktenzeichen not in texte
    assert all(e.kommune_id == datenschutz_michelstadt.kommune_id for e in antwort.context["seite"])


@pytest.mark.parametrize(
    "person",
    [
        "sachbearbeitung",
        "kollegin_andere_oe",
        "kommunen_admin",
        "verbund_admin",
        "digitallotse",
        "fremde_sachbearbeitung",
        "fremder_kommunen_admin",
        "fremder_verbund_admin",
    ],
)
def test_andere_rollen_bekommen_404(client_als, request, person, erbach, michelstadt):
    eintrag(erbach, "Erbach")
    eintrag(michelstadt, "Michelstadt")
    client = client_als(request.getfixturevalue(person))
    vorher = Protokolleintrag.objects.count()
    for url in (LISTE, CSV, KETTE, f"{CSV}?aktion=angelegt"):
        assert client.get(url).status_code == 404, url
    assert Protokolleintrag.objects.count() == vorher


def test_ohne_anmeldung_zur_anmeldung(client, db):
    for url in (LISTE, CSV, KETTE):
        antwort = client.get(url)
        assert antwort.status_code == 302 and antwort.url.startswith("/anmelden/")


def test_deaktivierte_datenschutz_person_sieht_nichts(datenschutz, zwei_kommunen):
    assert selectors.protokoll_fuer(datenschutz).exists()
    datenschutz.is_active = False
    assert not selectors.protokoll_fuer(datenschutz).exists()


def test_ansehen_wird_selbst_protokolliert(client_als, datenschutz, erbach):
    client_als(datenschutz).get(LISTE, {"aktion": "hochgeladen"}, REMOTE_ADDR="192.0.2.10")
    letzter = Protokolleintrag.objects.filter(kommune=erbach).order_by("-laufnummer").first()
    assert letzter.aktion == Aktion.ANGESEHEN
    assert letzter.objekt_typ == "Protokoll" and letzter.objekt_uuid == erbach.uuid
    assert letzter.beschreibung == "Protokoll angesehen"
    assert letzter.details == {"filter": {"aktion": "hochgeladen"}}
    assert letzter.benutzer == datenschutz and letzter.ip_adresse == "192.0.2.10"


def test_filter(client_als, datenschutz, zwei_kommunen, sachbearbeitung, kollege_michelstadt):
    client = client_als(datenschutz)
    akte = zwei_kommunen["akte"]

    def beschreibungen(**filter):
        antwort = client.get(LISTE, filter)
        assert antwort.status_code == 200
        return _beschreibungen(antwort)

    vom_gast = beschreibungen(benutzer="SB.Michelstadt")
    assert vom_gast == ["Dokument „Bauantrag“ angesehen"]
    assert beschreibungen(benutzer=str(kollege_michelstadt.uuid)) == vom_gast
    eigene = beschreibungen(benutzer="sb.erbach")
    assert eigene and all(
        e.benutzer_id == sachbearbeitung.pk
        for e in Protokolleintrag.objects.filter(beschreibung__in=eigene)
    )
    zur_akte = beschreibungen(akte=akte.aktenzeichen)
    assert len(zur_akte) == 5  # angelegt, Vorgang, hochgeladen, freigegeben, angesehen
    assert beschreibungen(akte=str(akte.uuid)) == zur_akte
    assert beschreibungen(akte=akte.aktenzeichen[:10].lower()) == zur_akte
    assert beschreibungen(akte=zwei_kommunen["fremde_akte"].aktenzeichen) == []
    assert beschreibungen(aktion="freigegeben") == [
        f"Akte für {kollege_michelstadt} (Michelstadt) freigegeben: nur lesen"
    ]
    assert beschreibungen(benutzer="niemand") == []


def test_zeitraum_gilt_in_berliner_zeit_mit_beiden_enden(datenschutz, erbach):
    eintrag_am(erbach, datetime(2026, 3, 9, 23, 30), "spät am 9.")  # 22:30 UTC
    eintrag_am(erbach, datetime(2026, 3, 10, 0, 30), "früh am 10.")  # 23:30 UTC on the 9th
    eintrag_am(erbach, datetime(2026, 3, 11, 23, 59, 59), "spät am 11.")
    eintrag_am(erbach, datetime(2026, 3, 12, 0, 0), "Mitternacht 12.")
    alle = selectors.protokoll_fuer(datenschutz)

    def zeitraum(von=None, bis=None):
        return list(
            selectors.gefiltert(alle, von=von, bis=bis).values_list("beschreibung", flat=True)
        )

    assert zeitraum(date(2026, 3, 10), date(2026, 3, 10)) == ["früh am 10."]
    assert zeitraum(bis=date(2026, 3, 9)) == ["spät am 9."]
    assert zeitraum(date(2026, 3, 10), date(2026, 3, 11)) == ["spät am 11.", "früh am 10."]
    assert zeitraum(von=date(2026, 3, 12)) == ["Mitternacht 12."]


def test_zeitraum_im_formular(client_als, datenschutz, erbach):
    eintrag_am(erbach, datetime(2026, 3, 9, 23, 30), "spät am 9.")
    eintrag_am(erbach, datetime(2026, 3, 10, 0, 30), "früh am 10.")
    client = client_als(datenschutz)
    antwort = client.get(LISTE, {"von": "2026-03-10", "bis": "2026-03-10"})
    assert _beschreibungen(antwort) == ["früh am 10."]
    antwort = client.get(LISTE, {"von": "10.03.2026", "bis": "10.03.2026"})
    assert _beschreibungen(antwort) == ["früh am 10."]


def test_falscher_zeitraum_zeigt_fehler_und_nichts(client_als, datenschutz, zwei_kommunen):
    antwort = client_als(datenschutz).get(LISTE, {"von": "2026-03-10", "bis": "2026-03-01"})
    assert antwort.status_code == 200
    assert "Das Datum „von“ liegt nach dem Datum „bis“." in antwort.content.decode()
    assert _beschreibungen(antwort) == []
    antwort = client_als(datenschutz).get(LISTE, {"aktion": "gibtesnicht"})
    assert _beschreibungen(antwort) == []
    assert antwort.context["form"].errors


def test_seiten_zu_50_neueste_zuerst_mit_filter_in_den_links(client_als, datenschutz, erbach):
    for i in range(60):
        eintrag(erbach, f"Eintrag {i + 1}", aktion=Aktion.GEAENDERT)
    client = client_als(datenschutz)
    erste = client.get(LISTE, {"aktion": "geaendert"})
    nummern = [e.laufnummer for e in erste.context["seite"]]
    assert len(nummern) == 50 and nummern == sorted(nummern, reverse=True)
    assert _beschreibungen(erste)[0] == "Eintrag 60"
    assert 'href="?aktion=geaendert&amp;seite=2"' in erste.content.decode()
    zweite = client.get(LISTE, {"aktion": "geaendert", "seite": 2})
    assert _beschreibungen(zweite) == [f"Eintrag {i}" for i in range(10, 0, -1)]
    assert 'href="?aktion=geaendert&amp;seite=1"' in zweite.content.decode()


def test_liste_mit_fester_anzahl_abfragen(
    client_als, datenschutz, erbach, django_assert_max_num_queries
):
    client = client_als(datenschutz)
    for i in range(5):
        eintrag(erbach, f"Eintrag {i}", details={"vorher": {"a": 1}})
    client.get(LISTE)  # session and permission caches warm up the same way each time
    with CaptureQueriesContext(connection) as wenige:
        client.get(LISTE)
    for i in range(120):
        eintrag(erbach, f"mehr {i}", details={"vorher": {"a": 1}})
    # (+1: the person's Bereich)
    with django_assert_max_num_queries(13), CaptureQueriesContext(connection) as viele:
        assert len(client.get(LISTE).context["seite"]) == 50
    assert len(viele) == len(wenige)


def test_csv_export(client_als, datenschutz, erbach, zwei_kommunen):
    eintrag(erbach, "=SUM(1)", aktion=Aktion.GEAENDERT, details={"feld": "@wert"})
    eintrag(erbach, "+49 6062 640", aktion=Aktion.GEAENDERT)
    eintrag(erbach, "nur lesen", aktion=Aktion.ANGESEHEN)
    antwort = client_als(datenschutz).get(CSV, {"aktion": "geaendert"})
    assert antwort.status_code == 200
    assert antwort["Content-Type"] == "text/csv; charset=utf-8"
    assert antwort["Content-Disposition"].startswith('attachment; filename="protokoll-erbach-')
    text, zeilen = _csv(antwort)
    assert text.startswith("\ufeffNr.;Zeitpunkt;Benutzer;Aktion;")
    assert zeilen[0][:4] == ["Nr.", "Zeitpunkt", "Benutzer", "Aktion"]
    assert [z[8] for z in zeilen[1:]] == ["'+49 6062 640", "'=SUM(1)"]
    assert {z[3] for z in zeilen[1:]} == {"geändert"}
    assert zeilen[2][9] == '{"feld": "@wert"}'
    assert ";=SUM(1)" not in text
    eintrag_db = Protokolleintrag.objects.get(beschreibung="=SUM(1)")
    assert zeilen[2][0] == str(eintrag_db.laufnummer) and zeilen[2][11] == eintrag_db.hash


def test_csv_ohne_filter_nur_eigene_kommune_und_protokolliert(
    client_als, datenschutz, erbach, zwei_kommunen
):
    client = client_als(datenschutz)  # signing in writes an entry, too
    anzahl_vorher = Protokolleintrag.objects.filter(kommune=erbach).count()
    _, zeilen = _csv(client.get(CSV))
    # the export's own entry is written first and is part of the file
    assert len(zeilen) - 1 == anzahl_vorher + 1
    assert zeilen[1][3] == "exportiert" and zeilen[1][8] == "Protokoll als CSV exportiert"
    assert zwei_kommunen["fremde_akte"].aktenzeichen not in {z[6] for z in zeilen}
    assert zwei_kommunen["akte"].aktenzeichen in {z[6] for z in zeilen}


def test_kettenpruefung_in_ordnung(client_als, datenschutz, erbach, michelstadt):
    for i in range(1233):
        eintrag(erbach, f"Eintrag {i}")
    eintrag(michelstadt, "fremd")
    client = client_als(datenschutz)  # + the entry of signing in
    antwort = client.get(KETTE)
    assert antwort.status_code == 200
    assert "Kette geprüft: 1.234 Einträge in Ordnung." in antwort.content.decode()
    letzter = Protokolleintrag.objects.filter(kommune=erbach).order_by("-laufnummer").first()
    assert letzter.beschreibung == "Hash-Kette des Protokolls geprüft"
    assert letzter.details == {"ergebnis": "in Ordnung"}


def test_kettenpruefung_zeigt_die_erste_bruchstelle(client_als, datenschutz, erbach):
    for i in range(5):
        eintrag(erbach, f"Eintrag {i + 1}")
    with ohne_schutz():
        Protokolleintrag.objects.filter(kommune=erbach, laufnummer=3).update(beschreibung="x")
    texte = client_als(datenschutz).get(KETTE).content.decode()
    assert "Kette gebrochen bei Eintrag Nr. 3: Inhalt wurde nachträglich verändert." in texte
