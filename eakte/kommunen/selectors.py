"""Reads that decide what a user may see of the Verbund, its Kommunen, OEs and users.

Every view and API endpoint lists or fetches these objects through the functions below; an
object outside the returned queryset is answered with 404, never 403.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from eakte.common.regeln import darf

from .models import Benutzer, Kommune, Organisationseinheit
from .rollen import Rolle


def _is_usable(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def kommunen_fuer(user) -> QuerySet[Kommune]:
    """A user sees their home Kommune; a Verbund-Admin every Kommune of their Verbund."""
    if not _is_usable(user):
        return Kommune.objects.none()
    if darf(user, "kommunen.verbund_verwalten"):
        return Kommune.objects.filter(verbund__kommunen__id=user.kommune_id)
    return Kommune.objects.filter(pk=user.kommune_id)


def organisationseinheiten_fuer(user) -> QuerySet[Organisationseinheit]:
    return Organisationseinheit.objects.filter(kommune__in=kommunen_fuer(user))


def benutzer_fuer(user) -> QuerySet[Benutzer]:
    """Admins see the people of the Kommunen they administer; everyone else only themselves."""
    if not _is_usable(user):
        return Benutzer.objects.none()
    if darf(user, "kommunen.kommune_verwalten", user.kommune):
        return Benutzer.objects.filter(kommune__in=kommunen_fuer(user))
    return Benutzer.objects.filter(pk=user.pk)


def tenant_scope(queryset: QuerySet, user, *, field_name: str = "kommune") -> QuerySet:
    """Restrict a queryset of tenant-owned rows to the user's home Kommune.

    Records (Akten, Dokumente, Protokoll) belong to one Kommune only; explicit shares to users of
    other Kommunen are added by the selector of the record type, never by widening this.
    """
    if not _is_usable(user):
        return queryset.none()
    return queryset.filter(**{f"{field_name}_id": user.kommune_id})


def benutzer_liste(*, viewer, kommune: Kommune) -> QuerySet[Benutzer]:
    """The users of one Kommune as shown in lists: roles and OEs prefetched (no N+1)."""
    return (
        benutzer_fuer(viewer)
        .filter(kommune=kommune)
        .prefetch_related("groups", "organisationseinheiten")
        .order_by("last_name", "first_name", "username")
    )


def kommunen_uebersicht(user) -> QuerySet[Kommune]:
    return (
        kommunen_fuer(user)
        .select_related("verbund")
        .annotate(
            anzahl_benutzer=Count("benutzer", filter=Q(benutzer__is_active=True), distinct=True),
            anzahl_oes=Count("organisationseinheiten", distinct=True),
        )
    )


@dataclass
class OeKnoten:
    oe: Organisationseinheit
    kinder: list["OeKnoten"] = field(default_factory=list)


def oe_baum(*, viewer, kommune: Kommune) -> list[OeKnoten]:
    """The OE tree of a Kommune, built from one query (with member counts)."""
    einheiten = list(
        organisationseinheiten_fuer(viewer)
        .filter(kommune=kommune)
        .annotate(anzahl_mitglieder=Count("mitglieder", filter=Q(mitglieder__is_active=True)))
        .order_by("name")
    )
    knoten = {oe.pk: OeKnoten(oe) for oe in einheiten}
    wurzeln = []
    for oe in einheiten:
        eltern = knoten.get(oe.parent_id)
        (eltern.kinder if eltern else wurzeln).append(knoten[oe.pk])
    return wurzeln


def benutzer_profil(user) -> Benutzer:
    """The signed-in user with everything the profile page and /api/v1/benutzer/ich/ show."""
    return (
        Benutzer.objects.select_related("kommune__verbund")
        .prefetch_related(
            "groups",
            Prefetch(
                "organisationseinheiten",
                queryset=Organisationseinheit.objects.order_by("name"),
            ),
        )
        .get(pk=user.pk)
    )


def darf_benutzer_verwalten(user, kommune: Kommune) -> bool:
    """The rule `kommunen.kommune_verwalten` (kept for the callers in other apps)."""
    return darf(user, "kommunen.kommune_verwalten", kommune)


def vergebbare_rollen(user) -> list[Rolle]:
    """The roles `user` may grant or remove (rule `kommunen.rolle_vergeben`)."""
    return [rolle for rolle in Rolle if darf(user, "kommunen.rolle_vergeben", rolle)]


def oes_im_verbund(user) -> QuerySet[Organisationseinheit]:
    """Every OE of every Kommune of the person's Verbund. Sharing an Akte with an OE and limiting
    a Dienstanweisung to OEs reach the whole IKZ, so this reads past the person's Bereich on
    purpose (`alle`): the one place that does it for OEs."""
    return (
        Organisationseinheit.alle.filter(kommune__verbund__kommunen=user.kommune_id)
        .select_related("kommune")
        .order_by("kommune__name", "name")
    )


def personen_der_eigenen_kommune(user) -> QuerySet[Benutzer]:
    """The people of the user's home Kommune (active or not). That they exist is no secret
    inside the Kommune; what may be done with them is a rule (pages answer 403, not 404)."""
    if not _is_usable(user):
        return Benutzer.objects.none()
    return Benutzer.objects.filter(kommune_id=user.kommune_id).select_related("kommune")


# --- the person picker (eakte/kommunen/personenwahl.py) ----------------------------------------

PERSONEN_BEREICHE = ("kommune", "verbund")


def personen_waehlbar_fuer(user, bereich: str = "verbund") -> QuerySet[Benutzer]:
    """Whom a person may pick: the active people of their own Kommune ("kommune") or of their
    whole Verbund ("verbund": sharing reaches the IKZ). Nobody outside the Verbund, ever."""
    if not _is_usable(user):
        return Benutzer.objects.none()
    personen = Benutzer.objects.filter(is_active=True)
    if bereich == "kommune":
        return personen.filter(kommune_id=user.kommune_id)
    verbund = Kommune.objects.filter(pk=user.kommune_id).values("verbund_id")
    return personen.filter(kommune__verbund_id__in=verbund)


def _mit_vollem_namen(personen: QuerySet) -> QuerySet:
    from django.db.models import Value
    from django.db.models.functions import Concat

    return personen.annotate(
        voller_name=Concat("first_name", Value(" "), "last_name"),
        name_umgekehrt=Concat("last_name", Value(", "), "first_name"),
    )


def personen_suchen(personen: QuerySet, suchtext: str, *, anzahl: int = 10) -> list[Benutzer]:
    """Type-ahead over display name, login name, OE and Kommune: every word of `suchtext` must
    occur in one of them (case-insensitive). Best first: login or name starting with the text."""
    worte = suchtext.split()[:5]
    if not worte:
        return []
    treffer = personen
    for wort in worte:
        treffer = treffer.filter(
            Q(first_name__icontains=wort)
            | Q(last_name__icontains=wort)
            | Q(username__icontains=wort)
            | Q(organisationseinheiten__name__icontains=wort)
            | Q(kommune__name__icontains=wort)
        )
    ids = treffer.values("pk")
    return sorted(
        Benutzer.objects.filter(pk__in=ids)
        .select_related("kommune")
        .prefetch_related(
            # The OEs of people of other Kommunen of the Verbund are shown on purpose (as in
            # `oes_im_verbund`), hence `alle`.
            Prefetch(
                "organisationseinheiten",
                queryset=Organisationseinheit.alle.order_by("name"),
            )
        )
        .order_by("last_name", "first_name", "username")[: anzahl * 3],
        key=lambda p: (
            not (
                p.username.lower().startswith(suchtext.strip().lower())
                or p.get_full_name().lower().startswith(suchtext.strip().lower())
                or p.last_name.lower().startswith(suchtext.strip().lower())
            ),
        ),
    )[:anzahl]


def person_aufloesen(personen: QuerySet, eingabe: str) -> tuple[Benutzer | None, list[Benutzer]]:
    """The one person `eingabe` names among `personen`: "Name (login)" as the picker fills in,
    a login name, a UUID or a full name ("Paul Koch" or "Koch, Paul"). Returns (person, []) or
    (None, candidates) when the name is ambiguous, (None, []) when nobody matches."""
    import re
    import uuid as uuid_modul

    text = eingabe.strip()
    if not text:
        return None, []
    klammer = re.search(r"\(([^()]+)\)\s*$", text)
    if klammer:
        person = personen.filter(username__iexact=klammer.group(1).strip()).first()
        if person is not None:
            return person, []
    try:
        kennung = uuid_modul.UUID(text)
    except ValueError:
        kennung = None
    if kennung is not None:
        return personen.filter(uuid=kennung).first(), []
    person = personen.filter(username__iexact=text).first()
    if person is not None:
        return person, []
    gleich = list(
        _mit_vollem_namen(personen)
        .filter(Q(voller_name__iexact=text) | Q(name_umgekehrt__iexact=text))
        .select_related("kommune")[:6]
    )
    if len(gleich) == 1:
        return gleich[0], []
    return None, gleich
