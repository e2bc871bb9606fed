"""Import and export: CSV as Excel writes it in Germany, JSON, all-or-nothing, dry run."""

import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError

from aktenplan import services
from aktenplan.demo import STARTER_PLAN
from aktenplan.models import Aenderungsart, Aktenplan, Aktenplanaenderung, Aktenplaneinheit
from tests.hilfen import akteur_von

KOPF = "Kennzeichen;Übergeordnet;Titel;Beschreibung;Aufbewahrungsfrist;Aussonderungsart;Gültig ab;Gültig bis;Stillgelegt;Nachfolger"  # noqa: E501


def _csv(*zeilen: str, bom: bool = False) -> bytes:
    text = "\r\n".join([KOPF, *zeilen]) + "\r\n"
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def _import(aktenplan, inhalt, benutzer, probelauf=False, format="csv", **weiteres):
    return services.aktenplan_importieren(
        aktenplan=aktenplan,
        inhalt=inhalt,
        format=format,
        akteur=akteur_von(benutzer),
        probelauf=probelauf,
        **weiteres,
    )


GUTE_DATEI = _csv(
    "0;;Allgemeine Verwaltung;;10;B;01.01.2026;;nein;",
    "0.2;0;Gemeindeorgane;Gemeindevertretung, Magistrat;unbefristet;A;;;nein;",
    '0.2.01;0.2;Sitzungen;"Niederschriften; Einladungen";unbefristet;A;;;nein;',
)


@pytest.mark.parametrize("bom", [False, True])
def test_csv_import_mit_und_ohne_bom(aktenplan, digitallotse, bom):
    inhalt = _csv(
        "0;;Allgemeine Verwaltung;;10;B;01.01.2026;;nein;",
        '0.2;0;Gemeindeorgane;"Gemeindevertretung; Magistrat";unbefristet;a;;;nein;',
        bom=bom,
    )
    ergebnis = _import(aktenplan, inhalt, digitallotse)
    assert ergebnis.ok and ergebnis.angewendet
    organe = aktenplan.einheiten.get(kennzeichen="0.2")
    assert organe.parent.kennzeichen == "0"
    assert organe.beschreibung == "Gemeindevertretung; Magistrat"
    assert organe.aufbewahrungsfrist is None and organe.aussonderungsart == "A"
    assert organe.aenderungen.get().art == Aenderungsart.ANGELEGT


@pytest.mark.parametrize(
    ("zeilen", "erwartet"),
    [
        (
            ["0.2;0;Ohne Eltern;;10;B;;;nein;"],
            "Zeile 2: Die übergeordnete Einheit „0“ gibt es weder in der Datei noch im Aktenplan.",
        ),
        (
            ["0;;A;;10;B;;;nein;", "0;;B;;10;B;;;nein;"],
            "Zeile 3: Kennzeichen „0“ kommt doppelt vor (zuerst in Zeile 2).",
        ),
        (["0;;A;;zehn;B;;;nein;"], "Zeile 2: Aufbewahrungsfrist „zehn“ ist ungültig"),
        (["0;;A;;10;X;;;nein;"], "Zeile 2: Aussonderungsart „X“ ist ungültig"),
        (["0;;A;;10;B;31.02.2026;;nein;"], "Zeile 2: Gültig ab „31.02.2026“ ist kein Datum"),
        (["0;;A;;10;B;;;nein"], "Zeile 2: Die Zeile hat weniger Felder als die Kopfzeile."),
        (["0;;;;10;B;;;nein;"], "Zeile 2: Der Titel fehlt."),
        (
            ["0;;A;;10;B;;;nein;", "1.1;0;Falsch;;10;B;;;nein;"],
            "Zeile 3: Das Kennzeichen „1.1“ muss das Kennzeichen der übergeordneten Einheit „0“ fortsetzen",
        ),  # noqa: E501
        (["0.1;0.2;A;;10;B;;;nein;", "0.2;0.1;B;;10;B;;;nein;"], "Zyklus"),
    ],
)
def test_fehlerhafte_datei_aendert_nichts_und_nennt_die_zeile(
    aktenplan, digitallotse, zeilen, erwartet
):
    # A valid last row shows that nothing of a faulty file is written.
    ergebnis = _import(aktenplan, _csv(*zeilen, "9;;Finanzen;;10;B;;;nein;"), digitallotse)
    assert not ergebnis.ok and not ergebnis.angewendet
    meldungen = [str(f) for f in ergebnis.fehler]
    assert any(erwartet in meldung for meldung in meldungen), meldungen
    assert not Aktenplaneinheit.objects.exists()
    assert not Aktenplanaenderung.objects.exists()


def test_alle_fehler_einer_datei_werden_gemeldet(aktenplan, digitallotse):
    inhalt = _csv("0;;A;;zehn;B;;;nein;", "1;;B;;10;Q;;;nein;", "2.1;9;C;;10;B;;;nein;")
    zeilen = sorted({f.zeile for f in _import(aktenplan, inhalt, digitallotse).fehler})
    assert zeilen == [2, 3, 4]


def test_falsche_kodierung_und_falsche_spalten(aktenplan, digitallotse):
    windows = _csv(
        "0;;Allgemeine Verwaltung;;10;B;;;nein;", "1;;Öffentliche Sicherheit;;10;B;;;nein;"
    )
    windows = windows.decode("utf-8").encode("cp1252")
    fehler = _import(aktenplan, windows, digitallotse).fehler
    # The header's "Ü" is the first byte that is not UTF-8.
    assert "nicht UTF-8-kodiert" in fehler[0].meldung and fehler[0].zeile == 1

    falsche_spalten = b"Nummer,Titel\n0,Allgemein\n"
    fehler = _import(aktenplan, falsche_spalten, digitallotse).fehler
    assert fehler[0].zeile == 1 and "Kopfzeile falsch" in fehler[0].meldung

    assert _import(aktenplan, b"", digitallotse).fehler[0].meldung == "Die Datei ist leer."
    kaputt = _import(aktenplan, b'{"einheiten": [', digitallotse, format="json")
    assert "Kein gültiges JSON" in kaputt.fehler[0].meldung


def test_probelauf_zeigt_neu_geaendert_stillgelegt_und_schreibt_nichts(aktenplan, digitallotse):
    _import(aktenplan, GUTE_DATEI, digitallotse)
    vorher = Aktenplanaenderung.objects.count()
    neue_fassung = _csv(
        "0;;Allgemeine Verwaltung;;10;B;01.01.2026;;nein;",
        "0.2;0;Gemeindeorgane und Gremien;Gemeindevertretung, Magistrat;unbefristet;A;;;nein;",
        "0.3;0;Personal;;30;B;;;nein;",
    )
    ersetzen = {"modus": "ersetzen"}
    ergebnis = _import(aktenplan, neue_fassung, digitallotse, probelauf=True, **ersetzen)
    assert ergebnis.ok and not ergebnis.angewendet
    assert ergebnis.neu == ["0.3"]
    assert ergebnis.geaendert == [("0.2", ["titel"])]
    assert ergebnis.stillgelegt == ["0.2.01"]
    assert ergebnis.unveraendert == 1
    assert Aktenplanaenderung.objects.count() == vorher
    assert not aktenplan.einheiten.filter(kennzeichen="0.3").exists()

    # Retiring units needs their number typed as confirmation; without it nothing changes.
    ohne = _import(aktenplan, neue_fassung, digitallotse, **ersetzen)
    assert not ohne.ok and "Zahl 1 eingeben" in str(ohne.fehler[0])
    assert Aktenplanaenderung.objects.count() == vorher
    ergebnis = _import(aktenplan, neue_fassung, digitallotse, bestaetigung="1", **ersetzen)
    assert ergebnis.angewendet
    assert aktenplan.einheiten.get(kennzeichen="0.2").titel == "Gemeindeorgane und Gremien"
    assert aktenplan.einheiten.get(kennzeichen="0.2.01").stillgelegt
    assert aktenplan.einheiten.get(kennzeichen="0.3").parent.kennzeichen == "0"


def test_ergaenzen_aendert_nur_die_zeilen_der_datei(aktenplan, digitallotse):
    _import(aktenplan, GUTE_DATEI, digitallotse)
    vier_zeilen = _csv(
        "0.2;0;Gemeindeorgane und Gremien;;unbefristet;A;;;nein;",
        "0.2.02;0.2;Wahlen;;10;B;;;nein;",
        "0.3;0;Personal;;30;B;;;nein;",
        "0.3.01;0.3;Personalakten;;30;V;;;nein;",
    )
    probe = _import(aktenplan, vier_zeilen, digitallotse, probelauf=True)
    assert (probe.neu, probe.stillgelegt) == (["0.2.02", "0.3", "0.3.01"], [])
    assert probe.geaendert == [("0.2", ["titel", "beschreibung"])]
    assert _import(aktenplan, vier_zeilen, digitallotse).angewendet
    assert not aktenplan.einheiten.filter(stillgelegt=True).exists()
    assert aktenplan.einheiten.count() == 6
    # A parent neither in the file nor in the plan is still an error.
    waise = _import(aktenplan, _csv("9.1;9;X;;5;V;;;nein;"), digitallotse)
    assert "gibt es weder in der Datei noch im Aktenplan." in str(waise.fehler[0])


def test_unbekannter_modus_wird_abgelehnt(aktenplan, digitallotse):
    with pytest.raises(ValidationError):
        _import(aktenplan, GUTE_DATEI, digitallotse, modus="alles")


def test_gleiche_datei_zweimal_aendert_nichts(aktenplan, digitallotse):
    _import(aktenplan, GUTE_DATEI, digitallotse)
    ergebnis = _import(aktenplan, GUTE_DATEI, digitallotse)
    assert (ergebnis.neu, ergebnis.geaendert, ergebnis.stillgelegt) == ([], [], [])
    assert ergebnis.unveraendert == 3


@pytest.mark.parametrize("format", ["csv", "json"])
def test_export_import_in_leeren_plan_ergibt_denselben_plan(
    aktenplan, digitallotse, verbund, format
):
    assert _import(aktenplan, STARTER_PLAN.read_bytes(), digitallotse).ok
    export = services.aktenplan_exportieren(aktenplan=aktenplan, format=format)
    leer = Aktenplan.objects.create(verbund=verbund, name="Kopie", stellen=aktenplan.stellen)
    ergebnis = _import(leer, export, digitallotse, format=format)
    assert ergebnis.ok, ergebnis.fehler[:3]
    assert (
        services.aktenplan_exportieren(aktenplan=leer, format=format).replace(
            b'"name": "Kopie"', b'"name": "Aktenplan IKZ Odenwald"'
        )
        == export
    )
    assert leer.einheiten.count() == aktenplan.einheiten.count() >= 250


def test_json_export_ist_lesbar(aktenplan, digitallotse):
    _import(aktenplan, GUTE_DATEI, digitallotse)
    daten = json.loads(services.aktenplan_exportieren(aktenplan=aktenplan, format="json"))
    assert daten["format"] == "eakte-aktenplan"
    assert daten["einheiten"][1] == {
        "kennzeichen": "0.2",
        "uebergeordnet": "0",
        "titel": "Gemeindeorgane",
        "beschreibung": "Gemeindevertretung, Magistrat",
        "aufbewahrungsfrist": None,
        "aussonderungsart": "A",
        "gueltig_ab": None,
        "gueltig_bis": None,
        "stillgelegt": False,
        "nachfolger": None,
    }


def test_csv_export_oeffnet_in_excel(aktenplan, digitallotse):
    _import(aktenplan, GUTE_DATEI, digitallotse)
    export = services.aktenplan_exportieren(aktenplan=aktenplan, format="csv")
    assert export.startswith("\ufeff".encode())
    assert export.decode("utf-8-sig").splitlines()[0] == KOPF


def test_import_ohne_recht_wird_abgelehnt(aktenplan, sachbearbeitung):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _import(aktenplan, GUTE_DATEI, sachbearbeitung)


def test_import_steht_im_protokoll_der_kommune_der_person(
    aktenplan, digitallotse_michelstadt, michelstadt
):
    from eakte.common.akteur import Akteur
    from eakte.protokoll.models import Aktion, Protokolleintrag

    _import(aktenplan, GUTE_DATEI, digitallotse_michelstadt, probelauf=True)
    assert not Protokolleintrag.objects.exists()  # the trial run writes nothing
    _import(aktenplan, GUTE_DATEI, digitallotse_michelstadt)
    _import(
        aktenplan,
        _csv("0;;Allgemeine Verwaltung (neu);;10;B;01.01.2026;;nein;"),
        digitallotse_michelstadt,
        modus="ersetzen",
        bestaetigung="2",
    )
    eintraege = Protokolleintrag.objects.filter(aktion=Aktion.IMPORTIERT).order_by("laufnummer")
    assert [(e.kommune, e.benutzer) for e in eintraege] == [
        (michelstadt, digitallotse_michelstadt)
    ] * 2
    assert eintraege[0].details["neu"] == 3
    assert {k: eintraege[1].details[k] for k in ("neu", "geaendert", "stillgelegt")} == {
        "neu": 0,
        "geaendert": 1,
        "stillgelegt": 2,
    }
    assert "1 geändert, 2 stillgelegt" in eintraege[1].beschreibung
    # The system (demo data, command line) imports without a Kommune's chain.
    services.aktenplan_importieren(
        aktenplan=aktenplan,
        inhalt=GUTE_DATEI,
        format="csv",
        akteur=Akteur.system("Test"),
        probelauf=False,
    )
    assert Protokolleintrag.objects.count() == 2


def test_csv_export_entschaerft_formeln_und_importiert_wieder_gleich(
    aktenplan, digitallotse, verbund
):
    werte = {
        "0": ("-Allgemeine Verwaltung", '=HYPERLINK("http://x")'),
        "0.2": ("@Gemeindeorgane", "'zitiert"),
    }
    einheiten = [
        {
            "kennzeichen": k,
            "uebergeordnet": k.rpartition(".")[0] or None,
            "titel": t,
            "beschreibung": b,
            "aufbewahrungsfrist": 10,
            "aussonderungsart": "B",
        }
        for k, (t, b) in werte.items()
    ]
    inhalt = json.dumps({"einheiten": einheiten}).encode()
    assert _import(aktenplan, inhalt, digitallotse, format="json").ok
    export = services.aktenplan_exportieren(aktenplan=aktenplan, format="csv")
    zeilen = list(csv.reader(io.StringIO(export.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert zeilen[1][2:4] == ["'-Allgemeine Verwaltung", '\'=HYPERLINK("http://x")']
    assert zeilen[2][2:4] == ["'@Gemeindeorgane", "''zitiert"]
    leer = Aktenplan.objects.create(verbund=verbund, name="Kopie", stellen=aktenplan.stellen)
    assert _import(leer, export, digitallotse).ok
    assert {e.kennzeichen: (e.titel, e.beschreibung) for e in leer.einheiten.all()} == werte
