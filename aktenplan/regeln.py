"""Who edits the shared Aktenplan: Digitallotsen and Verbund-Admins, the plans of their own
Verbund (visibility from the selector `aktenplaene_fuer`)."""

import rules

from eakte.kommunen.regeln import ist_digitallotse, ist_verbund_admin


@rules.predicate
def bearbeitet_aktenplan(user, aktenplan) -> bool:
    """Without an object: whether the person edits the Aktenplan at all (menus, start page)."""
    from .selectors import aktenplaene_fuer

    if not (ist_digitallotse(user) or ist_verbund_admin(user)):
        return False
    return aktenplan is None or aktenplaene_fuer(user).filter(pk=aktenplan.pk).exists()


rules.add_rule("aktenplan.bearbeiten", bearbeitet_aktenplan)
