"""The named rules of the Antragseingang (loaded by EingangConfig.ready).

| rule                        | object  | who
|-----------------------------|---------|-----
| eingang.plattform_verwalten | Verbund | Verbund-Admin of that Verbund
| eingang.zulassung_erteilen  | Kommune | its administrators (kommunen.kommune_verwalten)
| eingang.postfach_verwalten  | Kommune | its administrators (functional mailboxes)
| eingang.zustellpunkt_verwalten | Kommune | its administrators (FIT-Connect destinations)
| eingang.regel_verwalten     | Verbund | Digitallotse of the Verbund (defaults)
|                             | Kommune | its administrators (rules of the Kommune)
| eingang.uebermitteln        | Antrag  | who may write the Akte of its Vorgang (akten.schreiben)
| eingang.alle_antraege_sehen | –       | Kommunen-Admin (every Antrag of the own Kommune)
"""

import rules

from eakte.common.regeln import darf
from eakte.kommunen.models import Kommune, Verbund
from eakte.kommunen.regeln import ist_digitallotse, ist_kommunen_admin, ist_verbund_admin


@rules.predicate
def im_verbund(user, verbund) -> bool:
    return isinstance(verbund, Verbund) and user.kommune.verbund_id == verbund.pk


@rules.predicate
def regel_verwalten(user, ziel) -> bool:
    if isinstance(ziel, Verbund):
        return ist_digitallotse(user) and im_verbund(user, ziel)
    if isinstance(ziel, Kommune):
        return darf(user, "kommunen.kommune_verwalten", ziel)
    return False


@rules.predicate
def verwaltet_kommune(user, kommune) -> bool:
    return darf(user, "kommunen.kommune_verwalten", kommune)


@rules.predicate
def schreibt_im_vorgang(user, antrag) -> bool:
    return (
        antrag is not None
        and antrag.vorgang_id is not None
        and darf(user, "akten.schreiben", antrag.vorgang.akte)
    )


rules.add_rule("eingang.plattform_verwalten", ist_verbund_admin & im_verbund)
rules.add_rule("eingang.zulassung_erteilen", verwaltet_kommune)
rules.add_rule("eingang.postfach_verwalten", verwaltet_kommune)
rules.add_rule("eingang.zustellpunkt_verwalten", verwaltet_kommune)
rules.add_rule("eingang.regel_verwalten", regel_verwalten)
rules.add_rule("eingang.uebermitteln", schreibt_im_vorgang)
rules.add_rule("eingang.alle_antraege_sehen", ist_kommunen_admin)
