"""Who sees the health of the installation: Verbund-Admins (it covers every Kommune)."""

import rules

from eakte.kommunen.regeln import ist_verbund_admin

rules.add_rule("system.status_sehen", ist_verbund_admin)
