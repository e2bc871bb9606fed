"""Who configures the sign-in of a Kommune, and who must confirm a second factor."""

import rules

from eakte.kommunen.regeln import (
    ist_datenschutz,
    ist_kommunen_admin,
    ist_verbund_admin,
    verwaltet_kommune,
)

# The identity source and group mapping of a Kommune (obj: Kommune).
rules.add_rule("identitaet.quelle_verwalten", verwaltet_kommune)
# Local accounts with these roles confirm a TOTP code (if the Verbund asks for it).
rules.add_rule(
    "identitaet.zweiter_faktor_noetig", ist_kommunen_admin | ist_verbund_admin | ist_datenschutz
)
