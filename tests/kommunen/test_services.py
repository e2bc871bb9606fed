import pytest
from django.core.exceptions import ValidationError

from eakte.kommunen import services
from eakte.kommunen.models import Benutzer
from eakte.kommunen.rollen import Rolle


def test_oe_mit_uebergeordneter_einheit_einer_anderen_kommune_wird_abgelehnt(
    erbach, ordnungsamt_michelstadt
):
    with pytest.raises(ValidationError) as fehler:
        services.organisationseinheit_anlegen_ungeprueft(
            kommune=erbach, name="Außenstelle", kuerzel="AS", parent=ordnungsamt_michelstadt
        )
    assert "anderen Kommune" in str(fehler.value)


def test_kuerzel_ist_je_kommune_eindeutig_mit_deutscher_meldung(erbach, michelstadt, hauptamt):
    with pytest.raises(ValidationError) as fehler:
        services.organisationseinheit_anlegen_ungeprueft(
            kommune=erbach, name="Doppelt", kuerzel="HA"
        )
    assert "schon vergeben" in str(fehler.value)
    # The same Kürzel in another Kommune is fine.
    assert services.organisationseinheit_anlegen_ungeprueft(
        kommune=michelstadt, name="Hauptamt", kuerzel="HA"
    )


def test_benutzer_anlegen_mit_rollen_und_oes(erbach, bauamt):
    person = services.benutzer_anlegen_ungeprueft(
        kommune=erbach,
        username="neu.erbach",
        email="neu@erbach.invalid",
        password="Ein-Langes-Pw-1",
        rollen=[Rolle.SACHBEARBEITUNG, Rolle.DIGITALLOTSE],
        organisationseinheiten=[bauamt],
    )
    person = Benutzer.objects.get(pk=person.pk)
    assert person.rollen == {Rolle.SACHBEARBEITUNG, Rolle.DIGITALLOTSE}
    assert list(person.organisationseinheiten.all()) == [bauamt]
    assert person.check_password("Ein-Langes-Pw-1")


def test_benutzer_in_fremder_oe_wird_nicht_halb_angelegt(erbach, ordnungsamt_michelstadt):
    with pytest.raises(ValidationError):
        services.benutzer_anlegen_ungeprueft(
            kommune=erbach,
            username="falsch.erbach",
            email="f@erbach.invalid",
            organisationseinheiten=[ordnungsamt_michelstadt],
        )
    assert not Benutzer.objects.filter(username="falsch.erbach").exists()


def test_benutzername_ist_ohne_gross_und_kleinschreibung_eindeutig(sachbearbeitung, erbach):
    with pytest.raises(ValidationError) as fehler:
        services.benutzer_anlegen_ungeprueft(
            kommune=erbach, username="SB.Erbach", email="x@erbach.invalid"
        )
    assert "schon vergeben" in str(fehler.value)


def test_aktenzeichen_praefix_ist_im_verbund_eindeutig(verbund, erbach):
    with pytest.raises(ValidationError) as fehler:
        services.kommune_anlegen_ungeprueft(
            verbund=verbund,
            name="Erbach-Kopie",
            slug="erbach-kopie",
            ags="06437099",
            aktenzeichen_praefix="ERB",
        )
    assert "Präfix ist im Verbund schon vergeben" in str(fehler.value)


@pytest.mark.parametrize(
    ("feld", "wert", "meldung"),
    [
        ("ags", "6437", "genau acht Ziffern"),
        ("aktenzeichen_praefix", "mi c", "Großbuchstaben"),
    ],
)
def test_kommune_mit_ungueltigen_angaben_wird_abgelehnt(verbund, feld, wert, meldung):
    daten = {
        "name": "Neustadt",
        "slug": "neustadt",
        "ags": "06437098",
        "aktenzeichen_praefix": "NEU",
    }
    daten[feld] = wert
    with pytest.raises(ValidationError) as fehler:
        services.kommune_anlegen_ungeprueft(verbund=verbund, **daten)
    assert meldung in str(fehler.value)
