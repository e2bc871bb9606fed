"""Who writes Dienstanweisungen and plans Schulungen (the editorial team: role Schulung and
Verbund-Admins, for their own Verbund) and who sees who has confirmed them."""

import rules

from eakte.kommunen.regeln import ist_kommunen_admin, ist_schulung, ist_verbund_admin

ist_redaktion = ist_schulung | ist_verbund_admin

# Write, publish, withdraw Dienstanweisungen; plan Schulungen and Termine, take attendance.
rules.add_rule("schulung.redaktion", ist_redaktion)
# See the completion list of a Fassung and remind people: the editorial team for every Kommune
# of the scope, Kommunen-Admins for their own (which Kommunen: selector `abschluss`).
rules.add_rule("schulung.abschluss_sehen", ist_redaktion | ist_kommunen_admin)
