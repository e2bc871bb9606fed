from django.contrib.auth.models import Group

from eakte.kommunen.rollen import Rolle


def test_jede_rolle_ist_eine_gruppe_ohne_django_berechtigungen(db):
    # Rights come from the named rules (regeln.py), not from Django permissions on the groups.
    for rolle in Rolle:
        gruppe = Group.objects.get(name=rolle.value)
        assert not gruppe.permissions.exists(), rolle


def test_deaktivierte_person_hat_keine_rolle(kommunen_admin):
    assert kommunen_admin.hat_rolle(Rolle.KOMMUNEN_ADMIN)
    kommunen_admin.is_active = False
    assert not kommunen_admin.hat_rolle(Rolle.KOMMUNEN_ADMIN)
