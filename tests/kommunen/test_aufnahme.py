"""Onboarding from a description file: idempotent, exact differences, all or nothing."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from eakte.common.akteur import Akteur
from eakte.kommunen.models import Benutzer, Kommune, Organisationseinheit
from eakte.kommunen.rollen import Rolle
from eakte.kommunen.services import aufnahme

BEISPIEL = Path(aufnahme.__file__).parent.parent / "beispiele" / "ikz-werra-meissner.yaml"


def _beschreibung(**aenderungen):
    daten = {
        "verbund": {"slug": "odenwald", "name": "IKZ Odenwald"},
        "kommunen": [
            {
                "name": "Bad König",
                "slug": "bad-koenig",
                "ags": "06437001",
                "aktenzeichen_praefix": "BKO",
                "organisationseinheiten": [
                    {"kuerzel": "HA-IT", "name": "IT", "uebergeordnet": "HA"},
                    {"kuerzel": "HA", "name": "Hauptamt"},
                ],
                "personen": [
                    {
                        "benutzername": "admin.badkoenig",
                        "email": "admin@bad-koenig.example",
                        "vorname": "Petra",
                        "nachname": "Lang",
                        "rollen": ["Kommunen-Admin"],
                        "oes": ["HA"],
                    },
                ],
            }
        ],
    }
    daten["kommunen"][0].update(aenderungen)
    return daten


def _ausfuehren(daten, probelauf=False):
    return aufnahme.abgleichen(
        aufnahme.aus_daten(daten), akteur=Akteur.system("Test"), probelauf=probelauf
    )


def test_neue_kommune_mit_oes_und_admin(verbund):
    bericht = _ausfuehren(_beschreibung())
    kommune = Kommune.objects.get(slug="bad-koenig")
    assert kommune.verbund == verbund
    assert Organisationseinheit.objects.get(kommune=kommune, kuerzel="HA-IT").parent.kuerzel == "HA"
    admin = Benutzer.objects.get(username="admin.badkoenig")
    assert admin.rollen == {Rolle.KOMMUNEN_ADMIN} and not admin.has_usable_password()
    assert "Kommune Bad König angelegt" in bericht and len(bericht) == 4


def test_zweiter_lauf_aendert_nichts(verbund):
    _ausfuehren(_beschreibung())
    assert _ausfuehren(_beschreibung()) == []


def test_geaenderte_datei_aendert_genau_die_unterschiede(verbund):
    _ausfuehren(_beschreibung())
    daten = _beschreibung()
    daten["kommunen"][0]["organisationseinheiten"][0]["name"] = "IT und Digitalisierung"
    daten["kommunen"][0]["personen"][0]["rollen"] = ["Kommunen-Admin", "Digitallotse"]
    daten["kommunen"][0]["personen"][0]["email"] = "verwaltung@bad-koenig.example"
    daten["kommunen"][0]["personen"].append(
        {
            "benutzername": "sb.badkoenig",
            "email": "sb@bad-koenig.example",
            "rollen": ["Sachbearbeitung"],
        }
    )
    bericht = _ausfuehren(daten)
    assert bericht == [
        "Bad König: OE HA-IT geändert",
        # what changed in German words, not the field names of the code ("email")
        "Bad König: Benutzer admin.badkoenig geändert (E-Mail-Adresse, Rollen)",
        "Bad König: Benutzer sb.badkoenig angelegt",
    ]
    assert (
        Organisationseinheit.objects.get(kuerzel="HA-IT", kommune__slug="bad-koenig").name
        == "IT und Digitalisierung"
    )


def test_probelauf_schreibt_nichts(verbund):
    bericht = _ausfuehren(_beschreibung(), probelauf=True)
    assert len(bericht) == 4
    assert not Kommune.objects.filter(slug="bad-koenig").exists()
    assert not Benutzer.objects.filter(username="admin.badkoenig").exists()


def test_alle_fehler_mit_ort_und_nichts_geschrieben(verbund):
    daten = _beschreibung(ags="")
    daten["kommunen"][0]["personen"][0].update(email="keine-adresse", rollen=["Chef"], oes=["XY"])
    with pytest.raises(aufnahme.Beschreibungsfehler) as fehler:
        _ausfuehren(daten)
    meldungen = "\n".join(fehler.value.fehler)
    assert "kommunen[1]: „ags“ fehlt." in meldungen
    assert "personen[1]: E-Mail-Adresse „keine-adresse“ ist ungültig." in meldungen
    assert "unbekannte Rolle „Chef“" in meldungen
    assert "unbekannten OE „XY“" in meldungen
    assert not Kommune.objects.filter(slug="bad-koenig").exists()


def test_fehler_der_datenbank_rollen_alles_zurueck(verbund, erbach):
    # The Aktenzeichen prefix ERB is taken by Erbach: nothing of the new Kommune may remain.
    with pytest.raises(aufnahme.Beschreibungsfehler) as fehler:
        _ausfuehren(_beschreibung(aktenzeichen_praefix="ERB"))
    assert "Präfix ist im Verbund schon vergeben" in str(fehler.value)
    assert not Kommune.objects.filter(slug="bad-koenig").exists()
    assert not Benutzer.objects.filter(username="admin.badkoenig").exists()


def test_benutzername_einer_anderen_kommune_wird_nicht_uebernommen(verbund, sachbearbeitung):
    daten = _beschreibung()
    daten["kommunen"][0]["personen"][0]["benutzername"] = "sb.erbach"
    with pytest.raises(aufnahme.Beschreibungsfehler, match="in einer anderen Kommune vergeben"):
        _ausfuehren(daten)
    sachbearbeitung.refresh_from_db()
    assert sachbearbeitung.kommune.slug == "erbach"


def test_beispiel_werra_meissner_ueber_die_kommandozeile(db):
    ausgabe = StringIO()
    call_command("kommunen_einspielen", str(BEISPIEL), stdout=ausgabe)
    assert Kommune.objects.filter(verbund__slug="werra-meissner").count() == 11
    sontra = yaml.safe_load(BEISPIEL.read_text())["kommunen"][1]
    assert (sontra["name"], Kommune.objects.get(slug="sontra").ags) == ("Sontra", "06636011")
    ausgabe = StringIO()
    call_command("kommunen_einspielen", str(BEISPIEL), stdout=ausgabe)
    assert "Keine Änderungen" in ausgabe.getvalue()


def test_kommandozeile_meldet_fehler_deutsch(db, tmp_path):
    datei = tmp_path / "kaputt.yaml"
    datei.write_text("verbund: [nicht, richtig]\n")
    with pytest.raises(CommandError, match="Nichts wurde geändert"):
        call_command("kommunen_einspielen", str(datei))
