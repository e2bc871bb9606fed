"""Who reads the Protokoll: the Datenschutz role, only the chain of its own Kommune (the
selector `protokoll_fuer` restricts the entries)."""

import rules

from eakte.kommunen.regeln import ist_datenschutz

rules.add_rule("protokoll.lesen", ist_datenschutz)
