"""The named rules of the records, person by person: who may and who may not.

People: the clerk of the federführende OE (Bauamt Erbach), a colleague of another OE of the same
Kommune, the Kommunen-Admin of Erbach, a clerk and the Kommunen-Admin of Michelstadt (another
Kommune of the Verbund), a read-only and a read-write share holder (Michelstadt), and someone of
another Verbund.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from eakte.akten import services
from eakte.akten.models import Wiedervorlage
from eakte.common.regeln import darf
from eakte.kommunen.rollen import Rolle
from tests.conftest import _person
from tests.hilfen import akteur_von

pytestmark = pytest.mark.django_db

PERSONEN = [
    "federfuehrung",
    "andere_oe",
    "kommunen_admin",
    "fremde_kommune",
    "fremder_admin",
    "leser",
    "schreiber",
    "anderer_verbund",
]


@pytest.fixture
def leute(
    akte,
    sachbearbeitung,
    kollegin_andere_oe,
    kommunen_admin,
    fremde_sachbearbeitung,
    fremder_kommunen_admin,
    fremder_verbund_admin,
    michelstadt,
    ordnungsamt_michelstadt,
):
    leser = _person(michelstadt, "leser.mic", [Rolle.SACHBEARBEITUNG], [ordnungsamt_michelstadt])
    schreiber = _person(
        michelstadt, "schreiber.mic", [Rolle.SACHBEARBEITUNG], [ordnungsamt_michelstadt]
    )
    services.akte_freigeben(akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=leser)
    services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=schreiber, schreiben=True
    )
    return {
        "federfuehrung": sachbearbeitung,
        "andere_oe": kollegin_andere_oe,
        "kommunen_admin": kommunen_admin,
        "fremde_kommune": fremde_sachbearbeitung,
        "fremder_admin": fremder_kommunen_admin,
        "leser": leser,
        "schreiber": schreiber,
        "anderer_verbund": fremder_verbund_admin,
    }


ERWARTET = {
    "akten.lesen": {"federfuehrung", "kommunen_admin", "leser", "schreiber"},
    "akten.schreiben": {"federfuehrung", "schreiber"},
    "akten.freigeben": {"federfuehrung", "kommunen_admin"},
    "akten.freigaben_sehen": {"federfuehrung", "kommunen_admin"},
    "akten.zustaendigkeit_aendern": {"federfuehrung", "kommunen_admin"},
    "akten.wiedereroeffnen": {"kommunen_admin"},
}


@pytest.mark.parametrize("regel", sorted(ERWARTET))
def test_regeln_zur_akte(leute, akte, regel):
    duerfen = {name for name, person in leute.items() if darf(person, regel, akte)}
    assert duerfen == ERWARTET[regel]


def test_deaktivierte_person_darf_nichts(leute, akte):
    person = leute["schreiber"]
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert not darf(person, "akten.lesen", akte) and not darf(person, "akten.schreiben", akte)


def test_regeln_ohne_objekt(leute):
    for regel in ("akten.alle_der_kommune_sehen", "akten.fuer_jede_oe_anlegen"):
        duerfen = {name for name, person in leute.items() if darf(person, regel)}
        assert duerfen == {"kommunen_admin", "fremder_admin"}, regel


def test_akten_anlegen_fuer_eine_oe(leute, bauamt, hauptamt, ordnungsamt_michelstadt):
    duerfen = {
        (name, oe.name)
        for name, person in leute.items()
        for oe in (bauamt, hauptamt, ordnungsamt_michelstadt)
        if darf(person, "akten.anlegen_fuer", oe)
    }
    assert duerfen == {
        ("federfuehrung", bauamt.name),
        ("andere_oe", hauptamt.name),
        ("kommunen_admin", bauamt.name),
        ("kommunen_admin", hauptamt.name),
        ("fremde_kommune", ordnungsamt_michelstadt.name),
        ("fremder_admin", ordnungsamt_michelstadt.name),
        ("leser", ordnungsamt_michelstadt.name),
        ("schreiber", ordnungsamt_michelstadt.name),
    }


def test_wiedervorlage_erledigt_nur_wer_sie_hat(leute, akte):
    wiedervorlage = services.wiedervorlage_setzen(
        akteur=akteur_von(leute["leser"]), akte=akte, datum=timezone.localdate()
    )
    assert isinstance(wiedervorlage, Wiedervorlage)
    duerfen = {
        name
        for name, person in leute.items()
        if darf(person, "akten.wiedervorlage_erledigen", wiedervorlage)
    }
    assert duerfen == {"leser"}


def test_uebergeben_nur_der_kommunen_admin_der_eigenen_kommune(leute, verbund_admin):
    von = leute["andere_oe"]
    duerfen = {name for name, person in leute.items() if darf(person, "akten.uebergeben", von)}
    assert duerfen == {"kommunen_admin"}
    assert not darf(verbund_admin, "akten.uebergeben", von)


def test_ocr_erneut_versuchen_wie_schreiben(leute, dokument):
    version = dokument.versionen.get()
    duerfen = {
        name for name, person in leute.items() if darf(person, "ocr.erneut_versuchen", version)
    }
    assert duerfen == ERWARTET["akten.schreiben"]


def test_unbekannte_regel_ist_ein_fehler(leute):
    with pytest.raises(KeyError):
        darf(leute["federfuehrung"], "akten.gibt_es_nicht")


# --- one rule, one message: the share list on the page and in the API --------------------


def test_lesende_freigabe_sieht_die_anderen_freigaben_weder_auf_der_seite_noch_per_api(
    leute, akte, client_als, api_als
):
    """Probe finding: the page answered 403, GET …/freigaben/ listed every share holder."""
    leser = leute["leser"]
    seite = client_als(leser).get(reverse("akten:freigaben", kwargs={"akte_uuid": akte.uuid}))
    api = api_als(leser).get(f"/api/v1/akten/{akte.uuid}/freigaben/")
    assert seite.status_code == api.status_code == 403
    assert leute["schreiber"].username not in api.content.decode()
    assert api.json()["detail"] == services.NUR_FEDERFUEHRUNG  # the page raises the same
    assert api_als(leser).get(f"/api/v1/akten/{akte.uuid}/oe-freigaben/").status_code == 403
    # the Akte itself stays readable for them, without the share list
    inhalt = client_als(leser).get(reverse("akten:detail", kwargs={"akte_uuid": akte.uuid}))
    assert inhalt.status_code == 200 and "schreiber.mic" not in inhalt.content.decode()
    # the federführende OE sees both
    liste = api_als(leute["federfuehrung"]).get(f"/api/v1/akten/{akte.uuid}/freigaben/").json()
    assert {f["benutzer"] for f in liste} >= {"leser.mic", "schreiber.mic"}
