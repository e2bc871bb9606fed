from django.contrib.auth.models import AnonymousUser

from eakte.kommunen import selectors
from eakte.kommunen.models import Organisationseinheit


def test_sachbearbeitung_sieht_nur_die_eigene_kommune(sachbearbeitung, erbach, michelstadt):
    assert list(selectors.kommunen_fuer(sachbearbeitung)) == [erbach]


def test_verbund_admin_sieht_alle_kommunen_des_eigenen_verbunds(
    verbund_admin, erbach, michelstadt, sontra
):
    assert set(selectors.kommunen_fuer(verbund_admin)) == {erbach, michelstadt}


def test_verbund_admin_eines_anderen_verbunds_sieht_dessen_kommunen_nicht(
    fremder_verbund_admin, erbach, michelstadt, sontra
):
    assert list(selectors.kommunen_fuer(fremder_verbund_admin)) == [sontra]


def test_abgemeldete_und_deaktivierte_sehen_nichts(sachbearbeitung, hauptamt):
    assert not selectors.kommunen_fuer(AnonymousUser()).exists()
    assert not selectors.organisationseinheiten_fuer(AnonymousUser()).exists()
    sachbearbeitung.is_active = False
    sachbearbeitung.save()
    assert not selectors.kommunen_fuer(sachbearbeitung).exists()
    assert not selectors.benutzer_fuer(sachbearbeitung).exists()


def test_oes_nur_der_eigenen_kommune(sachbearbeitung, hauptamt, bauamt, ordnungsamt_michelstadt):
    assert set(selectors.organisationseinheiten_fuer(sachbearbeitung)) == {hauptamt, bauamt}


def test_benutzer_ohne_adminrolle_sieht_nur_sich_selbst(sachbearbeitung, kollegin_andere_oe):
    assert list(selectors.benutzer_fuer(sachbearbeitung)) == [sachbearbeitung]


def test_kommunen_admin_sieht_alle_benutzer_der_kommune_und_keine_fremden(
    kommunen_admin, sachbearbeitung, kollegin_andere_oe, fremde_sachbearbeitung
):
    assert set(selectors.benutzer_fuer(kommunen_admin)) == {
        kommunen_admin,
        sachbearbeitung,
        kollegin_andere_oe,
    }


def test_tenant_scope_beschraenkt_auf_die_heimatkommune(
    verbund_admin, hauptamt, ordnungsamt_michelstadt
):
    # Even a Verbund-Admin sees records of their home Kommune only.
    scoped = selectors.tenant_scope(Organisationseinheit.objects.all(), verbund_admin)
    assert list(scoped) == [hauptamt]
    assert not selectors.tenant_scope(Organisationseinheit.objects.all(), AnonymousUser()).exists()


def test_oe_baum_baut_die_hierarchie_mit_einer_abfrage(
    sachbearbeitung, erbach, hauptamt, bauamt, django_assert_num_queries
):
    from tests.factories import OrganisationseinheitFactory

    personal = OrganisationseinheitFactory(
        kommune=erbach, name="Personal", kuerzel="HA-P", parent=hauptamt
    )
    assert sachbearbeitung.rollen  # roles are read once per request, before the tree
    with django_assert_num_queries(1):
        baum = selectors.oe_baum(viewer=sachbearbeitung, kommune=erbach)
    assert [knoten.oe for knoten in baum] == [bauamt, hauptamt]
    assert [kind.oe for kind in baum[1].kinder] == [personal]
    assert baum[0].oe.anzahl_mitglieder == 1
