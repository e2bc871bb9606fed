"""Who may read which Dienstanweisung, and who still has to confirm it."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from eakte.kommunen.models import Benutzer, Kommune
from eakte.kommunen.rollen import Rolle

from .models import Dokument, Fassung, Fassungsstatus, Kenntnisnahme


def _usable(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def ist_redaktion(user) -> bool:
    """Trainers (role Schulung) and Verbund-Admins write; they also see drafts."""
    return user.hat_rolle(Rolle.SCHULUNG, Rolle.VERBUND_ADMIN)


def _rollen_q(rollen: list[str]) -> Q:
    bedingung = Q(pk__in=[])
    for rolle in rollen:
        bedingung |= Q(rollen__contains=[rolle])
    return bedingung


def dokumente_for(user) -> QuerySet[Dokument]:
    """Published documents in the user's scope; the editorial team sees all of its Verbund."""
    if not _usable(user):
        return Dokument.objects.none()
    verbund = Dokument.objects.filter(verbund__kommunen__id=user.kommune_id)
    if ist_redaktion(user):
        return verbund
    veroeffentlicht = Fassung.objects.filter(dokument=OuterRef("pk")).exclude(
        status=Fassungsstatus.ENTWURF
    )
    return verbund.filter(_geltung(user)).filter(Exists(veroeffentlicht)).distinct()


def _geltung(user) -> Q:
    bereich = Q(alle_kommunen=True) | Q(kommunen__id=user.kommune_id)
    return bereich & (Q(rollen=[]) | _rollen_q([rolle.value for rolle in user.rollen]))


def sichtbare_fassungen(user, dokument: Dokument) -> QuerySet[Fassung]:
    fassungen = dokument.fassungen.all()
    if not ist_redaktion(user):
        fassungen = fassungen.exclude(status=Fassungsstatus.ENTWURF)
    return fassungen.order_by("-nummer")


def gueltige_fassung(dokument: Dokument) -> Fassung | None:
    return dokument.fassungen.filter(status=Fassungsstatus.VEROEFFENTLICHT).first()


def zu_bestaetigen(user) -> list[Fassung]:
    """Current Fassungen the user must confirm and has not yet (start page, API)."""
    if not _usable(user):
        return []
    bestaetigt = Kenntnisnahme.objects.filter(fassung=OuterRef("pk"), benutzer=user)
    return list(
        Fassung.objects.filter(
            status=Fassungsstatus.VEROEFFENTLICHT,
            dokument__erfordert_kenntnisnahme=True,
            dokument__in=dokumente_for(user).filter(_geltung(user)),
        )
        .filter(Q(gueltig_ab__isnull=True) | Q(gueltig_ab__lte=date.today()))
        .exclude(Exists(bestaetigt))
        .select_related("dokument")
        .order_by("dokument__titel")
    )


def hat_bestaetigt(user, fassung: Fassung):
    return Kenntnisnahme.objects.filter(fassung=fassung, benutzer=user).first()


@dataclass(frozen=True)
class Abschlusszeile:
    person: Benutzer
    kommune: Kommune
    oes: str
    bestaetigt_am: object


def abschluss(viewer, fassung: Fassung) -> list[Abschlusszeile]:
    """Who in the scope has confirmed the Fassung and when. Trainers see every Kommune of the
    scope, Kommunen-Admins only their own; everyone else nobody."""
    dokument = fassung.dokument
    if ist_redaktion(viewer):
        kommunen = Kommune.objects.filter(verbund_id=dokument.verbund_id)
    elif viewer.hat_rolle(Rolle.KOMMUNEN_ADMIN):
        kommunen = Kommune.objects.filter(pk=viewer.kommune_id, verbund_id=dokument.verbund_id)
    else:
        return []
    if not dokument.alle_kommunen:
        kommunen = kommunen.filter(pk__in=dokument.kommunen.values("pk"))
    personen = Benutzer.objects.filter(kommune__in=kommunen, is_active=True)
    if dokument.rollen:
        personen = personen.filter(groups__name__in=dokument.rollen).distinct()
    bestaetigungen = dict(
        Kenntnisnahme.objects.filter(fassung=fassung, benutzer__in=personen).values_list(
            "benutzer_id", "zeitpunkt"
        )
    )
    personen = (
        personen.select_related("kommune")
        .prefetch_related(Prefetch("organisationseinheiten"))
        .order_by("kommune__name", "last_name", "first_name")
    )
    return [
        Abschlusszeile(
            person=p,
            kommune=p.kommune,
            oes=", ".join(oe.kuerzel for oe in p.organisationseinheiten.all()),
            bestaetigt_am=bestaetigungen.get(p.pk),
        )
        for p in personen
    ]
