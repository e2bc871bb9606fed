"""Who may see and change which Akte. Lists, detail pages, downloads, search and the API all
ask these functions; there is no second way to list Akten or Dokumente.

- Members of the federführende OE read and write the Akten of their OE.
- Kommunen-Admins read every Akte of their Kommune.
- Anyone in the Verbund reads (or also writes) an Akte explicitly shared with them.
Everything else is answered with 404.
"""

from django.db.models import Prefetch, Q, QuerySet

from eakte.kommunen.models import Organisationseinheit
from eakte.kommunen.rollen import Rolle

from .models import Akte, AkteBenutzerfreigabe, Dokument, Version, Vorgang, Wiedervorlage

LESEN, SCHREIBEN = "view_akte", "change_akte"


def _nutzbar(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _eigene_oes(user) -> QuerySet:
    return Organisationseinheit.objects.filter(mitglieder=user).values("pk")


def _freigaben(user, codename: str) -> QuerySet:
    return AkteBenutzerfreigabe.objects.filter(
        user=user,
        permission__codename=codename,
        content_object__kommune__verbund__kommunen=(user.kommune_id),
    ).values("content_object_id")


def akten_fuer(user) -> QuerySet[Akte]:
    if not _nutzbar(user):
        return Akte.objects.none()
    eigene = Q(kommune_id=user.kommune_id)
    if not user.hat_rolle(Rolle.KOMMUNEN_ADMIN):
        eigene &= Q(federfuehrende_oe__in=_eigene_oes(user))
    return Akte.objects.filter(eigene | Q(pk__in=_freigaben(user, LESEN)))


def freigegebene_akten(user) -> QuerySet[Akte]:
    """Akten shared with the user explicitly ("Für mich freigegeben")."""
    if not _nutzbar(user):
        return Akte.objects.none()
    return Akte.objects.filter(pk__in=_freigaben(user, LESEN))


def akten_meiner_oe(user) -> QuerySet[Akte]:
    """ "Meine Akten": the Akten of the user's OEs."""
    if not _nutzbar(user):
        return Akte.objects.none()
    return Akte.objects.filter(kommune_id=user.kommune_id, federfuehrende_oe__in=_eigene_oes(user))


def akten_beschreibbar_fuer(user) -> QuerySet[Akte]:
    if not _nutzbar(user):
        return Akte.objects.none()
    eigene = Q(kommune_id=user.kommune_id, federfuehrende_oe__in=_eigene_oes(user))
    return Akte.objects.filter(eigene | Q(pk__in=_freigaben(user, SCHREIBEN)))


def darf_schreiben(user, akte: Akte) -> bool:
    return akten_beschreibbar_fuer(user).filter(pk=akte.pk).exists()


def darf_wiedereroeffnen(user, akte: Akte) -> bool:
    return user.hat_rolle(Rolle.KOMMUNEN_ADMIN) and user.kommune_id == akte.kommune_id


def darf_freigeben(user, akte: Akte) -> bool:
    """Sharing is for the owning OE (and the Kommunen-Admin), not for those it was shared with."""
    if not _nutzbar(user) or user.kommune_id != akte.kommune_id:
        return False
    if user.hat_rolle(Rolle.KOMMUNEN_ADMIN):
        return True
    return _eigene_oes(user).filter(pk=akte.federfuehrende_oe_id).exists()


def akten_liste(queryset: QuerySet[Akte]) -> QuerySet[Akte]:
    """What list pages show per row, in a constant number of queries."""
    return queryset.select_related("aktenplaneinheit", "federfuehrende_oe", "kommune")


def vorgaenge_fuer(user) -> QuerySet[Vorgang]:
    return Vorgang.objects.filter(akte__in=akten_fuer(user))


def dokumente_fuer(user) -> QuerySet[Dokument]:
    """Dokumente inherit visibility from their Akte."""
    return Dokument.objects.filter(akte__in=akten_fuer(user))


def versionen_fuer(user) -> QuerySet[Version]:
    return Version.objects.filter(dokument__akte__in=akten_fuer(user))


def dokumente_mit_letzter_version(queryset: QuerySet[Dokument]) -> QuerySet[Dokument]:
    return queryset.select_related("vorgang").prefetch_related(
        Prefetch(
            "versionen",
            queryset=Version.objects.select_related("datei", "hochgeladen_von").order_by("-nummer"),
        )
    )


def gleicher_inhalt_in_akte(akte: Akte, sha256: str) -> QuerySet[Version]:
    return Version.objects.filter(dokument__akte=akte, datei__sha256=sha256).select_related(
        "dokument"
    )


def freigaben(akte: Akte) -> list[dict]:
    """Who the Akte is shared with, and whether read-only or read-write."""
    rechte: dict[int, dict] = {}
    for freigabe in AkteBenutzerfreigabe.objects.filter(content_object=akte).select_related(
        "user__kommune", "permission"
    ):
        eintrag = rechte.setdefault(
            freigabe.user_id, {"benutzer": freigabe.user, "schreiben": False}
        )
        eintrag["schreiben"] |= freigabe.permission.codename == SCHREIBEN
    return sorted(rechte.values(), key=lambda e: str(e["benutzer"]))


def wiedervorlagen_fuer(user) -> QuerySet[Wiedervorlage]:
    """A person's own open Wiedervorlagen on Akten they can still see."""
    if not _nutzbar(user):
        return Wiedervorlage.objects.none()
    return Wiedervorlage.objects.filter(
        benutzer=user, erledigt_am__isnull=True, akte__in=akten_fuer(user)
    ).select_related("akte", "vorgang")


def faellige_wiedervorlagen(user, *, stichtag) -> QuerySet[Wiedervorlage]:
    return wiedervorlagen_fuer(user).filter(datum__lte=stichtag)
