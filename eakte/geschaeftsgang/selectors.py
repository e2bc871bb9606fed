"""What a person sees of the Geschäftsgang: their Postkorb, an OE's Postkorb, the routes of a
Vorgang, templates and Vertretungen.

The Postkorb is one query (with the person's OEs, roles and the people they stand in for as
subqueries, each read once by PostgreSQL through `= ANY(ARRAY(...))`), so its cost does not grow
with the number of OEs or Vertretungen; the partial indexes on open steps (models.py) serve it.
"""

from django.contrib.auth.models import Group
from django.db.models import BooleanField, ExpressionWrapper, F, Prefetch, Q, QuerySet
from django.utils import timezone

from eakte.akten.selectors import _EinerVon, vorgaenge_fuer
from eakte.kommunen.models import Benutzer, Kommune, Organisationseinheit

from .models import (
    Geschaeftsgang,
    Schritt,
    Schrittstatus,
    Verbundeinstellung,
    Vertretung,
    Vorlage,
)


def _nutzbar(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _eigene_oes(user) -> QuerySet:
    return Benutzer.organisationseinheiten.through.objects.filter(benutzer_id=user.pk).values(
        "organisationseinheit_id"
    )


def _eigene_rollen(user) -> QuerySet:
    return Group.objects.filter(user=user).values("name")


def vertretene_fuer(user, stichtag=None) -> QuerySet:
    """Ids of the people `user` stands in for on `stichtag` (today). Read past the Bereich on
    purpose: a deputy of another Kommune of the Verbund is allowed where the Verbund says so."""
    stichtag = stichtag or timezone.localdate()
    return Vertretung.alle.filter(vertreter=user, von__lte=stichtag, bis__gte=stichtag).values(
        "abwesend_id"
    )


def _postkorb_bedingung(user, *, auch_uebernommene: bool = False) -> Q:
    """Each branch names a column with an index of its own (person, taker, OE, role), so that
    PostgreSQL combines four index scans (BitmapOr) instead of reading every free OE item.
    `auch_uebernommene`: OE and role items count also when someone has taken them already."""
    frei = Q(empfaenger_person__isnull=True)
    if not auch_uebernommene:
        frei &= Q(bearbeiter__isnull=True)
    oe = frei & Q(_EinerVon("empfaenger_oe_id", _eigene_oes(user)), empfaenger_rolle="")
    rolle = (
        frei
        & ~Q(empfaenger_rolle="")  # lets PostgreSQL use the partial index on role steps
        & Q(
            _EinerVon("empfaenger_rolle", _eigene_rollen(user)),
            empfaenger_kommune_id=user.kommune_id,
        )
        & (Q(empfaenger_oe__isnull=True) | Q(_EinerVon("empfaenger_oe_id", _eigene_oes(user))))
    )
    return (
        Q(empfaenger_person_id=user.pk)
        | Q(bearbeiter_id=user.pk)
        | oe
        | rolle
        | Q(_EinerVon("empfaenger_person_id", vertretene_fuer(user)))
    )


def postkorb_fuer(user) -> QuerySet[Schritt]:
    """The open steps waiting for `user`: addressed to them, taken by them, waiting in the
    Postkorb of one of their OEs or for their role, or for someone they stand in for today."""
    if not _nutzbar(user):
        return Schritt.objects.none()
    return Schritt.objects.filter(Q(status=Schrittstatus.AKTIV) & _postkorb_bedingung(user))


def schritte_an(user) -> QuerySet[Schritt]:
    """The open steps addressed to `user` (also OE and role items someone else has taken):
    who may try to take an item."""
    if not _nutzbar(user):
        return Schritt.objects.none()
    return Schritt.objects.filter(
        Q(status=Schrittstatus.AKTIV) & _postkorb_bedingung(user, auch_uebernommene=True)
    )


def postkorb_liste(user) -> QuerySet[Schritt]:
    """The Postkorb as pages and the API show it, in one query: most urgent Frist first, then
    the newest; `in_vertretung` marks items of someone the person stands in for."""
    if not _nutzbar(user):
        return Schritt.objects.none()
    # The ids first, as an array PostgreSQL computes once (InitPlan): it then fetches the few
    # hundred rows and their relations by primary key, instead of hashing every route and
    # Vorgang of the Kommune because it cannot know how few steps the OR of branches finds.
    liste = Schritt.objects.filter(_EinerVon("pk", postkorb_fuer(user).values("pk"))).annotate(
        in_vertretung=ExpressionWrapper(
            Q(_EinerVon("empfaenger_person_id", vertretene_fuer(user)))
            & ~Q(empfaenger_person_id=user.pk),
            output_field=BooleanField(),
        )
    )
    return _zeilen(liste)


_PERSON = ("uuid", "username", "first_name", "last_name", "kommune_id")
_PERSONEN = ("absender", "empfaenger_person", "bearbeiter")
# What a Postkorb row shows (page, start page, API, e-mail): the wide rows of Vorgänge and
# Dokumente are read only in these columns.
_ZEILE = (
    *(f.name for f in Schritt._meta.concrete_fields if not f.is_relation),
    *(f.attname for f in Schritt._meta.concrete_fields if f.is_relation),
    "geschaeftsgang__uuid",
    "geschaeftsgang__betreff",
    "geschaeftsgang__akte_id",
    "geschaeftsgang__kommune_id",
    "geschaeftsgang__gestartet_von_id",
    "geschaeftsgang__vorgang__uuid",
    "geschaeftsgang__vorgang__vorgangszeichen",
    "geschaeftsgang__vorgang__betreff",
    "geschaeftsgang__vorgang__akte_id",
    "geschaeftsgang__vorgang__kommune_id",
    "geschaeftsgang__dokument__uuid",
    "geschaeftsgang__dokument__titel",
    "geschaeftsgang__dokument__akte_id",
    "geschaeftsgang__dokument__kommune_id",
    "empfaenger_oe__uuid",
    "empfaenger_oe__name",
    "empfaenger_oe__kuerzel",
    "empfaenger_oe__kommune_id",
)


def _zeilen(liste: QuerySet[Schritt]) -> QuerySet[Schritt]:
    """Most urgent Frist first, then the newest. The people (sender, recipient, taker) come in
    one small query each: joined into the row query they made PostgreSQL spend ~30 ms choosing
    among the orders of eight tables (measured with bench/geschaeftsgang.py)."""
    personen = Benutzer.objects.only(*_PERSON)
    return (
        liste.select_related("geschaeftsgang__vorgang", "geschaeftsgang__dokument", "empfaenger_oe")
        .prefetch_related(*(Prefetch(feld, queryset=personen) for feld in _PERSONEN))
        .only(*_ZEILE)
        .order_by(F("frist").asc(nulls_last=True), "-aktiviert_am", "-id")
    )


def postkorb_anzahl(user) -> int:
    return postkorb_fuer(user).count() if _nutzbar(user) else 0


def postkorb_oes_fuer(user) -> QuerySet[Organisationseinheit]:
    """The OEs whose Postkorb a person may open at all: those of the own Kommune (whether the
    person is a member decides the rule geschaeftsgang.oe_postkorb_sehen)."""
    return Organisationseinheit.objects.filter(kommune_id=user.kommune_id)


def oe_postkorb(oe: Organisationseinheit) -> QuerySet[Schritt]:
    """The open steps addressed to the OE (also to a role within it), taken or not."""
    liste = Schritt.objects.filter(status=Schrittstatus.AKTIV, empfaenger_oe=oe)
    return _zeilen(liste)


def eigene_oes(user) -> QuerySet[Organisationseinheit]:
    if not _nutzbar(user):
        return Organisationseinheit.objects.none()
    return Organisationseinheit.objects.filter(mitglieder=user).order_by("name")


def geschaeftsgaenge_fuer(user) -> QuerySet[Geschaeftsgang]:
    """Routes on Vorgänge the person sees, and routes they take part in."""
    if not _nutzbar(user):
        return Geschaeftsgang.objects.none()
    return Geschaeftsgang.objects.filter(
        Q(vorgang__in=vorgaenge_fuer(user)) | Q(schritte__in=postkorb_fuer(user))
    ).distinct()


def geschaeftsgaenge_des_vorgangs(vorgang) -> QuerySet[Geschaeftsgang]:
    """Every route of the Vorgang with its steps, for the Geschäftsgangvermerk (3 queries)."""
    return (
        Geschaeftsgang.objects.filter(vorgang=vorgang)
        .select_related("gestartet_von", "dokument", "schlussgezeichnet_von", "vorlage")
        .prefetch_related(
            Prefetch(
                "schritte",
                queryset=Schritt.objects.select_related(
                    "empfaenger_person",
                    "empfaenger_oe",
                    "bearbeiter",
                    "in_vertretung_fuer",
                    "absender",
                ).order_by("position", "id"),
            )
        )
        .order_by("gestartet_am", "id")
    )


def dokumente_zum_starten(vorgang, suche: str = ""):
    """The Dokumente of a Vorgang a route may be started on, filtered by title, for a list
    page by page (the start page)."""
    dokumente = vorgang.dokumente.all()
    if suche:
        dokumente = dokumente.filter(titel__icontains=suche)
    return dokumente.order_by("titel", "id")


def vorlagen_fuer(user) -> QuerySet[Vorlage]:
    """Templates of the person's Kommune and of their Verbund (active ones)."""
    if not _nutzbar(user):
        return Vorlage.objects.none()
    verbund = Kommune.objects.filter(pk=user.kommune_id).values("verbund_id")
    return (
        Vorlage.objects.filter(aktiv=True, verbund_id__in=verbund)
        .filter(Q(kommune_id=user.kommune_id) | Q(kommune__isnull=True))
        .prefetch_related("schritte__person", "schritte__oe")
        .order_by("name", "id")
    )


def vertretungen_fuer(user) -> QuerySet[Vertretung]:
    """Absences the person may see: their own, those where they are deputy, and for a
    Kommunen-Admin every absence of the Kommune (tenancy net limits the rest)."""
    from eakte.common.regeln import darf

    if not _nutzbar(user):
        return Vertretung.objects.none()
    bedingung = Q(abwesend=user) | Q(vertreter=user)
    if darf(user, "akten.alle_der_kommune_sehen"):
        bedingung |= Q(kommune_id=user.kommune_id)
    return (
        Vertretung.objects.filter(bedingung)
        .filter(bis__gte=timezone.localdate())
        .select_related("abwesend")
        .prefetch_related("vertreter")
        .distinct()
        .order_by("von", "id")
    )


def personen_im_verbund(user) -> QuerySet[Benutzer]:
    """Whom a step can be addressed to: the active people of the person's Verbund."""
    if not _nutzbar(user):
        return Benutzer.objects.none()
    verbund = Kommune.objects.filter(pk=user.kommune_id).values("verbund_id")
    return (
        Benutzer.objects.filter(is_active=True, kommune__verbund_id__in=verbund)
        .select_related("kommune")
        .order_by("kommune__name", "last_name", "first_name", "username")
    )


def vertretung_kommunenuebergreifend(verbund_id: int) -> bool:
    return Verbundeinstellung.objects.filter(
        verbund_id=verbund_id, vertretung_kommunenuebergreifend=True
    ).exists()


def wiedervorlagen_in_vertretung(user):
    """Open, due Wiedervorlagen of the people `user` stands in for today."""
    from eakte.akten.models import Wiedervorlage

    if not _nutzbar(user):
        return Wiedervorlage.objects.none()
    return (
        Wiedervorlage.objects.filter(
            benutzer_id__in=vertretene_fuer(user),
            erledigt_am__isnull=True,
            datum__lte=timezone.localdate(),
        )
        .select_related("akte", "vorgang", "benutzer")
        .order_by("datum", "id")
    )


def oes_im_verbund(user) -> QuerySet[Organisationseinheit]:
    """The active OEs of the Verbund a step can be addressed to."""
    from eakte.kommunen import selectors as kommunen_selectors

    if not _nutzbar(user):
        return Organisationseinheit.objects.none()
    return kommunen_selectors.oes_im_verbund(user).filter(aktiv=True)


def eigene_kommune_oes(user) -> QuerySet[Organisationseinheit]:
    if not _nutzbar(user):
        return Organisationseinheit.objects.none()
    return Organisationseinheit.objects.filter(kommune_id=user.kommune_id, aktiv=True).order_by(
        "name"
    )


def personen_der_kommune(user) -> QuerySet[Benutzer]:
    if not _nutzbar(user):
        return Benutzer.objects.none()
    return (
        Benutzer.objects.filter(is_active=True, kommune_id=user.kommune_id)
        .select_related("kommune")
        .order_by("last_name", "first_name", "username")
    )
