"""Who may administer the Verbund, a Kommune, a person and which roles.

The role predicates below are the only place (with rollen.py and the model) that asks for a role
by name; the other apps build their rules from them. Predicates about objects use the selectors
for visibility.
"""

import rules

from .rollen import VERBUNDWEITE_ROLLEN, Rolle


def _rolle(rolle: Rolle, name: str):
    @rules.predicate(name=name)
    def hat(user) -> bool:
        return user.hat_rolle(rolle)

    return hat


ist_sachbearbeitung = _rolle(Rolle.SACHBEARBEITUNG, "ist_sachbearbeitung")
ist_digitallotse = _rolle(Rolle.DIGITALLOTSE, "ist_digitallotse")
ist_kommunen_admin = _rolle(Rolle.KOMMUNEN_ADMIN, "ist_kommunen_admin")
ist_verbund_admin = _rolle(Rolle.VERBUND_ADMIN, "ist_verbund_admin")
ist_schulung = _rolle(Rolle.SCHULUNG, "ist_schulung")
ist_datenschutz = _rolle(Rolle.DATENSCHUTZ, "ist_datenschutz")


@rules.predicate
def verwaltet_kommune(user, kommune) -> bool:
    """Kommunen-Admins their own Kommune; Verbund-Admins every Kommune of their Verbund."""
    from .selectors import kommunen_fuer

    if kommune is None:
        return False
    if ist_verbund_admin(user):
        return kommunen_fuer(user).filter(pk=kommune.pk).exists()
    return ist_kommunen_admin(user) and user.kommune_id == kommune.pk


@rules.predicate
def verwaltet_person(user, benutzer) -> bool:
    """The administrator of the person's Kommune; a person holding a role that reaches beyond
    the Kommune (Verbund-Admin, Schulung, Digitallotse, Datenschutz; active or not) only by a
    Verbund-Admin: whoever could change their e-mail and send them a password link could act
    with that role, so a Kommunen-Admin would get through the account what they may not grant."""
    if benutzer is None or not verwaltet_kommune(user, benutzer.kommune):
        return False
    return not benutzer.hat_verbundweite_rolle or ist_verbund_admin(user)


@rules.predicate
def vergibt_rolle(user, rolle) -> bool:
    """Roles of the Kommune by its administrators; roles reaching beyond it by a Verbund-Admin."""
    if rolle is None:
        return False
    if Rolle(rolle) in VERBUNDWEITE_ROLLEN:
        return ist_verbund_admin(user)
    return ist_kommunen_admin(user) or ist_verbund_admin(user)


# Bringing Kommunen into the Verbund, the list of all its Kommunen.
rules.add_rule("kommunen.verbund_verwalten", ist_verbund_admin)
# People and OEs of a Kommune (obj: Kommune); also who sees its list of people.
rules.add_rule("kommunen.kommune_verwalten", verwaltet_kommune)
# Change, deactivate, reactivate a person or send them a password link (obj: Benutzer).
rules.add_rule("kommunen.benutzer_bearbeiten", verwaltet_person)
# Grant or remove a role (obj: Rolle). Nobody grants roles to themselves (checked by the service).
rules.add_rule("kommunen.rolle_vergeben", vergibt_rolle)
