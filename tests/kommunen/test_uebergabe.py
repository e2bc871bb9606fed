"""A person leaves: the Kommunen-Admin hands their Wiedervorlagen and shares to a colleague."""

import pytest
from django.urls import reverse
from django.utils import timezone

from eakte.akten import selectors, services
from eakte.common.regeln import darf
from eakte.kommunen import services as kommunen_services
from eakte.kommunen.rollen import Rolle
from eakte.protokoll.models import Protokolleintrag
from tests.conftest import _person
from tests.hilfen import akteur_von

pytestmark = pytest.mark.django_db


@pytest.fixture
def weggang(
    akte,
    akte_anlegen,
    sachbearbeitung,
    fremde_sachbearbeitung,
    ordnungsamt_michelstadt,
    kollegin_andere_oe,
    hauptamt,
    kommunen_admin,
):
    """sb.erbach had a Wiedervorlage, a share of an Erbach Akte of another OE (read-write) and a
    share of a Michelstadt Akte, and is deactivated. Returns the Erbach Akte shared; the
    Michelstadt one is `weggang.mic`."""
    services.wiedervorlage_setzen(
        akteur=akteur_von(sachbearbeitung), akte=akte, datum=timezone.localdate(), notiz="Frist"
    )
    erb = akte_anlegen(kollegin_andere_oe, hauptamt, "Gewerbeanmeldung")
    services.akte_freigeben(
        akteur=akteur_von(kollegin_andere_oe), akte=erb, empfaenger=sachbearbeitung, schreiben=True
    )
    mic = akte_anlegen(fremde_sachbearbeitung, ordnungsamt_michelstadt, "Amtshilfe Michelstadt")
    services.akte_freigeben(
        akteur=akteur_von(fremde_sachbearbeitung),
        akte=mic,
        empfaenger=sachbearbeitung,
        schreiben=True,
    )
    kommunen_services.benutzer_deaktivieren(
        akteur=akteur_von(kommunen_admin), benutzer=sachbearbeitung
    )
    erb.mic = mic
    return erb


def _seite(person):
    return reverse(
        "kommunen:benutzer_bearbeiten", kwargs={"slug": person.kommune.slug, "uuid": person.uuid}
    )


def test_deaktivierte_person_zeigt_was_zu_uebergeben_ist(
    client_als, kommunen_admin, sachbearbeitung, weggang, akte
):
    inhalt = client_als(kommunen_admin).get(_seite(sachbearbeitung)).content.decode()
    assert (
        "ist deaktiviert" in inhalt
        and akte.aktenzeichen in inhalt
        and weggang.aktenzeichen in inhalt
        and weggang.mic.aktenzeichen in inhalt
    )
    # the page says before the handover that the Michelstadt share lapses
    assert "verfällt (Akte von Michelstadt)" in inhalt and "wird übertragen" in inhalt


def test_uebertragen_an_kollegin_derselben_oe(
    client_als, kommunen_admin, sachbearbeitung, weggang, akte, erbach, bauamt
):
    nachfolgerin = _person(erbach, "sb3.erbach", [Rolle.SACHBEARBEITUNG], [bauamt])
    client = client_als(kommunen_admin)
    adresse = reverse("akten:benutzer_uebergeben", kwargs={"benutzer_uuid": sachbearbeitung.uuid})
    antwort = client.post(
        adresse, {"was": "wiedervorlagen", "wiedervorlagen-an": nachfolgerin.username}, follow=True
    )
    assert "1 Wiedervorlage an sb3.erbach übertragen." in antwort.content.decode()
    assert [
        w.notiz
        for w in selectors.faellige_wiedervorlagen(nachfolgerin, stichtag=timezone.localdate())
    ] == ["Frist"]
    client.post(adresse, {"was": "freigaben", "freigaben-an": nachfolgerin.username})
    assert darf(nachfolgerin, "akten.schreiben", weggang)  # same right as before
    assert not selectors.akten_fuer(sachbearbeitung).filter(pk=weggang.pk).exists()
    eintrag = Protokolleintrag.objects.filter(akte_uuid=weggang.uuid).latest("laufnummer")
    assert eintrag.kommune_id == weggang.kommune_id and eintrag.benutzer == kommunen_admin
    assert "auf sb3.erbach" in eintrag.beschreibung


def test_freigabe_einer_anderen_kommune_wird_nicht_uebertragen_sondern_erlischt(
    client_als, kommunen_admin, sachbearbeitung, weggang, erbach, bauamt
):
    """Probe finding: an admin handed Michelstadt's share of one person to a colleague of their
    choosing, who then opened Michelstadt's Akte."""
    mic = weggang.mic
    nachfolgerin = _person(erbach, "sb3.erbach", [Rolle.SACHBEARBEITUNG], [bauamt])
    adresse = reverse("akten:benutzer_uebergeben", kwargs={"benutzer_uuid": sachbearbeitung.uuid})
    antwort = client_als(kommunen_admin).post(
        adresse, {"was": "freigaben", "freigaben-an": nachfolgerin.username}, follow=True
    )
    assert "1 Freigabe auf sb3.erbach übertragen." in antwort.content.decode()
    assert not selectors.akten_fuer(nachfolgerin).filter(pk=mic.pk).exists()
    # lapsed, also for the person who left (reactivated, they do not get it back)
    sachbearbeitung.is_active = True
    sachbearbeitung.save(update_fields=["is_active"])
    assert not selectors.akten_fuer(sachbearbeitung).filter(pk=mic.pk).exists()
    # and Michelstadt reads in its own Protokoll that the share is gone
    eintrag = Protokolleintrag.objects.filter(akte_uuid=mic.uuid).latest("laufnummer")
    assert eintrag.kommune_id == mic.kommune_id and eintrag.benutzer == kommunen_admin
    assert eintrag.aktion == "freigabe_entzogen" and "erloschen" in eintrag.beschreibung


def test_wiedervorlage_bleibt_wenn_die_nachfolge_die_akte_nicht_sieht(
    client_als, kommunen_admin, sachbearbeitung, kollegin_andere_oe, weggang
):
    adresse = reverse("akten:benutzer_uebergeben", kwargs={"benutzer_uuid": sachbearbeitung.uuid})
    antwort = client_als(kommunen_admin).post(
        adresse,
        {"was": "wiedervorlagen", "wiedervorlagen-an": kollegin_andere_oe.username},
        follow=True,
    )
    assert "1 blieb, weil sb2.erbach die Akte nicht sehen darf" in antwort.content.decode()


def test_nur_die_eigene_kommune_und_nur_admins(
    client_als, fremder_kommunen_admin, sachbearbeitung, kollegin_andere_oe, weggang
):
    adresse = reverse("akten:benutzer_uebergeben", kwargs={"benutzer_uuid": sachbearbeitung.uuid})
    assert (
        client_als(fremder_kommunen_admin)
        .post(adresse, {"was": "freigaben", "freigaben-an": kollegin_andere_oe.username})
        .status_code
        == 404
    )
    assert (
        client_als(kollegin_andere_oe)
        .post(adresse, {"was": "freigaben", "freigaben-an": kollegin_andere_oe.username})
        .status_code
        == 403
    )
    assert selectors.akten_fuer(kollegin_andere_oe).filter(pk=weggang.mic.pk).exists() is False


def test_uebergabe_per_api(
    api_als, kommunen_admin, sachbearbeitung, fremder_kommunen_admin, weggang, erbach, bauamt
):
    nachfolgerin = _person(erbach, "sb3.erbach", [Rolle.SACHBEARBEITUNG], [bauamt])
    adresse = f"/api/v1/benutzer/{sachbearbeitung.uuid}/uebergabe/"
    assert api_als(fremder_kommunen_admin).get(adresse).status_code == 404
    stand = api_als(kommunen_admin).get(adresse).json()
    assert sorted((f["aktenzeichen"], f["verfaellt"]) for f in stand["freigaben"]) == sorted(
        [(weggang.aktenzeichen, False), (weggang.mic.aktenzeichen, True)]
    )
    antwort = api_als(kommunen_admin).post(
        adresse, {"was": "freigaben", "an": "sb3.erbach"}, format="json"
    )
    assert antwort.json() == {"uebertragen": 1, "geblieben": 0}
    assert selectors.akten_fuer(nachfolgerin).filter(pk=weggang.pk).exists()
    falsch = api_als(kommunen_admin).post(
        adresse, {"was": "freigaben", "an": "sb.michelstadt"}, format="json"
    )
    assert falsch.status_code == 400


def test_verbund_admin_einer_anderen_kommune_sieht_und_bewegt_nichts(
    client_als, api_als, michelstadt, sachbearbeitung, weggang
):
    va = _person(michelstadt, "va.michelstadt", [Rolle.VERBUND_ADMIN])
    adresse = f"/api/v1/benutzer/{sachbearbeitung.uuid}/uebergabe/"
    assert api_als(va).get(adresse).status_code in (403, 404)
    seite = client_als(va).get(_seite(sachbearbeitung)).content.decode()
    assert weggang.aktenzeichen not in seite and weggang.mic.aktenzeichen not in seite


def test_nur_nach_deaktivieren_und_nicht_an_sich_selbst(
    kommunen_admin, sachbearbeitung, kollegin_andere_oe, akte
):
    from django.core.exceptions import ValidationError

    from eakte.akten.services import uebergabe

    with pytest.raises(ValidationError, match="erst, wenn die Person deaktiviert ist"):
        uebergabe.freigaben_uebertragen(
            akteur=akteur_von(kommunen_admin), von=kollegin_andere_oe, an=sachbearbeitung
        )
    kommunen_services.benutzer_deaktivieren(
        akteur=akteur_von(kommunen_admin), benutzer=sachbearbeitung
    )
    with pytest.raises(ValidationError, match="nicht sich selbst"):
        uebergabe.freigaben_uebertragen(
            akteur=akteur_von(kommunen_admin), von=sachbearbeitung, an=kommunen_admin
        )
