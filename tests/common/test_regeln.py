"""Each named rule of the administration side, for every role: who may, who may not, and the
people of another Kommune or Verbund."""

import pytest
from django.contrib.auth.models import AnonymousUser

from eakte.common.regeln import darf
from eakte.kommunen.rollen import VERBUNDWEITE_ROLLEN, Rolle
from tests.factories import BenutzerFactory


@pytest.fixture
def schulung(erbach, hauptamt):
    return BenutzerFactory(kommune=erbach, username="schulung.erbach", rollen=[Rolle.SCHULUNG])


def test_unbekannte_regel_ist_ein_fehler(sachbearbeitung):
    with pytest.raises(KeyError):
        darf(sachbearbeitung, "kommunen.gibt_es_nicht")


def test_anonym_und_deaktiviert_duerfen_nichts(verbund_admin, erbach):
    assert not darf(AnonymousUser(), "kommunen.verbund_verwalten")
    verbund_admin.is_active = False
    assert not darf(verbund_admin, "kommunen.verbund_verwalten")
    assert not darf(verbund_admin, "kommunen.kommune_verwalten", erbach)


def test_verbund_verwalten_und_systemstatus_nur_verbund_admin(
    verbund_admin, kommunen_admin, sachbearbeitung, datenschutz, digitallotse
):
    for regel in ("kommunen.verbund_verwalten", "system.status_sehen"):
        assert darf(verbund_admin, regel)
        for andere in (kommunen_admin, sachbearbeitung, datenschutz, digitallotse):
            assert not darf(andere, regel), (regel, andere.username)


def test_kommune_verwalten(
    erbach,
    michelstadt,
    sontra,
    kommunen_admin,
    verbund_admin,
    sachbearbeitung,
    datenschutz,
    fremder_kommunen_admin,
    fremder_verbund_admin,
):
    regel = "kommunen.kommune_verwalten"
    assert darf(kommunen_admin, regel, erbach)
    assert not darf(kommunen_admin, regel, michelstadt)
    assert darf(verbund_admin, regel, erbach) and darf(verbund_admin, regel, michelstadt)
    assert not darf(verbund_admin, regel, sontra)  # another Verbund
    assert not darf(fremder_kommunen_admin, regel, erbach)
    assert not darf(fremder_verbund_admin, regel, erbach)
    assert not darf(sachbearbeitung, regel, erbach)
    assert not darf(datenschutz, regel, erbach)


def test_benutzer_bearbeiten(
    kommunen_admin, verbund_admin, sachbearbeitung, fremder_kommunen_admin, fremder_verbund_admin
):
    regel = "kommunen.benutzer_bearbeiten"
    assert darf(kommunen_admin, regel, sachbearbeitung)
    assert darf(verbund_admin, regel, sachbearbeitung)
    # A Verbund-Admin is changed only by a Verbund-Admin, also once deactivated.
    assert not darf(kommunen_admin, regel, verbund_admin)
    verbund_admin.is_active = False
    assert not darf(kommunen_admin, regel, verbund_admin)
    assert not darf(fremder_kommunen_admin, regel, sachbearbeitung)
    assert not darf(fremder_verbund_admin, regel, sachbearbeitung)
    assert not darf(sachbearbeitung, regel, sachbearbeitung)


def test_rolle_vergeben(kommunen_admin, verbund_admin, sachbearbeitung, fremder_verbund_admin):
    regel = "kommunen.rolle_vergeben"
    for rolle in Rolle:
        assert darf(verbund_admin, regel, rolle)
        assert darf(kommunen_admin, regel, rolle) == (rolle not in VERBUNDWEITE_ROLLEN)
        assert not darf(sachbearbeitung, regel, rolle)
    assert VERBUNDWEITE_ROLLEN == {
        Rolle.VERBUND_ADMIN,
        Rolle.SCHULUNG,
        Rolle.DIGITALLOTSE,
        Rolle.DATENSCHUTZ,
    }


def test_protokoll_lesen_nur_datenschutz(
    datenschutz, kommunen_admin, verbund_admin, sachbearbeitung
):
    assert darf(datenschutz, "protokoll.lesen")
    for andere in (kommunen_admin, verbund_admin, sachbearbeitung):
        assert not darf(andere, "protokoll.lesen")


def test_aktenplan_bearbeiten(
    aktenplan, digitallotse, verbund_admin, kommunen_admin, sachbearbeitung, fremder_digitallotse
):
    regel = "aktenplan.bearbeiten"
    assert darf(digitallotse, regel) and darf(digitallotse, regel, aktenplan)
    assert darf(verbund_admin, regel, aktenplan)
    assert darf(fremder_digitallotse, regel)  # edits the plans of their own Verbund …
    assert not darf(fremder_digitallotse, regel, aktenplan)  # … not this one
    assert not darf(kommunen_admin, regel) and not darf(sachbearbeitung, regel, aktenplan)


def test_schulung_redaktion_und_abschluss(
    schulung, verbund_admin, kommunen_admin, sachbearbeitung, datenschutz
):
    assert darf(schulung, "schulung.redaktion") and darf(verbund_admin, "schulung.redaktion")
    for andere in (kommunen_admin, sachbearbeitung, datenschutz):
        assert not darf(andere, "schulung.redaktion")
    for darf_sehen in (schulung, verbund_admin, kommunen_admin):
        assert darf(darf_sehen, "schulung.abschluss_sehen")
    assert not darf(sachbearbeitung, "schulung.abschluss_sehen")
    assert not darf(datenschutz, "schulung.abschluss_sehen")


def test_menue_und_startseite_folgen_den_regeln(client_als, datenschutz, kommunen_admin):
    seite = client_als(datenschutz).get("/").content.decode()
    assert 'href="/protokoll/"' in seite
    seite = client_als(kommunen_admin).get("/").content.decode()
    assert 'href="/protokoll/"' not in seite
    assert "Benutzer der Kommune" in seite
