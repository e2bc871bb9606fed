from django.contrib.auth.models import Group

from eakte.kommunen.rollen import BERECHTIGUNGEN, Rolle


def test_jede_rolle_ist_eine_gruppe_mit_ihren_berechtigungen(db):
    for rolle, codes in BERECHTIGUNGEN.items():
        gruppe = Group.objects.get(name=rolle.value)
        vorhanden = {f"{p.content_type.app_label}.{p.codename}" for p in gruppe.permissions.all()}
        assert vorhanden == set(codes), rolle


def test_rollen_wirken_ueber_djangos_berechtigungspruefung(
    kommunen_admin, sachbearbeitung, datenschutz
):
    assert kommunen_admin.has_perm("kommunen.benutzer_verwalten")
    assert not sachbearbeitung.has_perm("kommunen.benutzer_verwalten")
    assert datenschutz.has_perm("kommunen.protokoll_lesen")
    assert not kommunen_admin.has_perm("kommunen.verbund_verwalten")


def test_deaktivierte_person_hat_keine_rolle(kommunen_admin):
    assert kommunen_admin.hat_rolle(Rolle.KOMMUNEN_ADMIN)
    kommunen_admin.is_active = False
    assert not kommunen_admin.hat_rolle(Rolle.KOMMUNEN_ADMIN)
