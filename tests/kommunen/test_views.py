import re

import pytest
from django.urls import reverse

from tests.factories import BenutzerFactory


def _detail(kommune):
    return reverse("kommunen:detail", kwargs={"slug": kommune.slug})


def _benutzer(kommune):
    return reverse("kommunen:benutzer", kwargs={"slug": kommune.slug})


def _oe(oe):
    return reverse("kommunen:oe", kwargs={"slug": oe.kommune.slug, "uuid": oe.uuid})


@pytest.mark.parametrize(
    "url", ["/", "/kommunen/", "/kommunen/erbach/", "/kommunen/erbach/benutzer/", "/konto/"]
)
def test_ohne_anmeldung_geht_es_zur_anmeldung(client, erbach, url):
    antwort = client.get(url)
    assert antwort.status_code == 302
    assert antwort.url.startswith("/anmelden/?next=")


def test_kommune_detail_zeigt_eigene_kommune_mit_oe_baum(
    client_als, sachbearbeitung, erbach, hauptamt
):
    antwort = client_als(sachbearbeitung).get(_detail(erbach))
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "Erbach" in inhalt and "Hauptamt" in inhalt and "06437006" in inhalt


def test_kommune_einer_anderen_kommune_ist_404(client_als, sachbearbeitung, michelstadt):
    assert client_als(sachbearbeitung).get(_detail(michelstadt)).status_code == 404


def test_verbund_admin_oeffnet_andere_kommune_des_verbunds(client_als, verbund_admin, michelstadt):
    assert client_als(verbund_admin).get(_detail(michelstadt)).status_code == 200


def test_verbund_admin_eines_anderen_verbunds_bekommt_404(
    client_als, fremder_verbund_admin, erbach
):
    assert client_als(fremder_verbund_admin).get(_detail(erbach)).status_code == 404


def _ohne_csrf(antwort) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", antwort.content.decode())


def test_unbekannte_und_fremde_kommune_sind_nicht_zu_unterscheiden(
    client_als, sachbearbeitung, michelstadt
):
    fremd = client_als(sachbearbeitung).get(_detail(michelstadt))
    unbekannt = client_als(sachbearbeitung).get("/kommunen/gibt-es-nicht/")
    assert fremd.status_code == unbekannt.status_code == 404
    assert _ohne_csrf(fremd) == _ohne_csrf(unbekannt)


def test_kommunenliste_zeigt_nur_sichtbare_kommunen(
    client_als, sachbearbeitung, verbund_admin, erbach, michelstadt
):
    inhalt = client_als(sachbearbeitung).get("/kommunen/").content.decode()
    assert "Erbach" in inhalt and "Michelstadt" not in inhalt
    inhalt = client_als(verbund_admin).get("/kommunen/").content.decode()
    assert "Erbach" in inhalt and "Michelstadt" in inhalt


def test_kommunenliste_zaehlt_keine_fremden_benutzer(
    client_als, sachbearbeitung, fremde_sachbearbeitung, fremder_kommunen_admin
):
    antwort = client_als(sachbearbeitung).get("/kommunen/")
    kommunen = list(antwort.context["kommunen"])
    assert [(k.slug, k.anzahl_benutzer) for k in kommunen] == [("erbach", 1)]


def test_benutzerliste_fuer_kommunen_admin(
    client_als, kommunen_admin, sachbearbeitung, kollegin_andere_oe, fremde_sachbearbeitung, erbach
):
    inhalt = client_als(kommunen_admin).get(_benutzer(erbach)).content.decode()
    assert "sb.erbach" in inhalt and "sb2.erbach" in inhalt
    assert "sb.michelstadt" not in inhalt


def test_benutzerliste_ist_fuer_sachbearbeitung_verboten(client_als, sachbearbeitung, erbach):
    assert client_als(sachbearbeitung).get(_benutzer(erbach)).status_code == 403


def test_benutzerliste_einer_fremden_kommune_ist_404(client_als, fremder_kommunen_admin, erbach):
    assert client_als(fremder_kommunen_admin).get(_benutzer(erbach)).status_code == 404


def test_benutzerliste_mit_fester_anzahl_abfragen(
    client_als, kommunen_admin, erbach, bauamt, django_assert_max_num_queries
):
    from eakte.kommunen.rollen import Rolle

    BenutzerFactory.create_batch(
        40, kommune=erbach, rollen=[Rolle.SACHBEARBEITUNG], organisationseinheiten=[bauamt]
    )
    client = client_als(kommunen_admin)
    with django_assert_max_num_queries(9):
        antwort = client.get(_benutzer(erbach))
    assert antwort.context["seite"].paginator.count == 41


def test_oe_detail_eigene_kommune(client_als, sachbearbeitung, bauamt):
    antwort = client_als(sachbearbeitung).get(_oe(bauamt))
    assert antwort.status_code == 200
    assert "Bauamt" in antwort.content.decode()


def test_oe_detail_gleiche_kommune_andere_oe_zeigt_keine_mitglieder(
    client_als, kollegin_andere_oe, sachbearbeitung, bauamt
):
    # The colleague may see the OE (same Kommune) but not who else works in it.
    antwort = client_als(kollegin_andere_oe).get(_oe(bauamt))
    assert antwort.status_code == 200
    assert list(antwort.context["mitglieder"]) == []


def test_oe_einer_fremden_kommune_ist_404_auch_unter_eigener_adresse(
    client_als, sachbearbeitung, erbach, ordnungsamt_michelstadt
):
    client = client_als(sachbearbeitung)
    assert client.get(_oe(ordnungsamt_michelstadt)).status_code == 404
    untergeschoben = reverse(
        "kommunen:oe", kwargs={"slug": erbach.slug, "uuid": ordnungsamt_michelstadt.uuid}
    )
    assert client.get(untergeschoben).status_code == 404
