"""Who may see and change which Akte. Lists, detail pages, downloads, search and the API all
ask these functions; there is no second way to list Akten or Dokumente.

- Members of the federführende OE read and write the Akten of their OE.
- Kommunen-Admins read every Akte of their Kommune.
- Anyone in the Verbund reads (or also writes) an Akte explicitly shared with them.
Everything else is answered with 404.
"""

import uuid as uuid_modul

from django.contrib.auth.models import Permission
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import EmptyResultSet
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    Func,
    Max,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import RowNumber

from eakte.common.mandantenbereich import bereich_kennung
from eakte.common.regeln import darf
from eakte.kommunen import selectors as kommunen_selectors
from eakte.kommunen.models import Benutzer, Kommune, Organisationseinheit

from .models import (
    Akte,
    AkteBenutzerfreigabe,
    AkteGruppenfreigabe,
    Dokument,
    Version,
    Vorgang,
    Wiedervorlage,
)

LESEN, SCHREIBEN = "view_akte", "change_akte"


class _EinerVon(Func):
    """`feld = ANY(ARRAY(subquery))`.

    PostgreSQL computes the short list (the person's OEs, the Akten shared with them) once, as an
    InitPlan, and can then use the indexes on Akte. `feld IN (subquery)` inside an OR, the natural
    way to write "own OE or shared", makes it scan every Akte of every Kommune instead (measured
    in bench/akten.py; see docs/benchmarks.md).
    """

    output_field = BooleanField()

    def __init__(self, feld: str, liste: QuerySet):
        super().__init__(F(feld), ArraySubquery(liste.order_by()))

    def as_sql(self, compiler, connection, **extra_context):
        feld, feld_params = compiler.compile(self.source_expressions[0])
        liste, liste_params = compiler.compile(self.source_expressions[1])
        return f"{feld} = ANY({liste})", (*feld_params, *liste_params)


def _nutzbar(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _je_person(user, name: str, bauen) -> QuerySet:
    """The scope querysets built once per person object (in a request: once per request).

    Building them (nested subqueries for OEs, shares, permission and Verbund) costs more CPU than
    PostgreSQL needs to run them; a page asks for them several times (the view, each rule in the
    template). What is kept is the unevaluated query: the memberships and shares are read by
    PostgreSQL each time it runs, so a change is seen at once. What the query takes from Python
    (the Kommune, the roles) is part of the key, and so is the Mandantenbereich the managers
    filter by. Each caller gets its own clone (`.all()`), so no result is ever cached.
    """
    ablage = user.__dict__.setdefault("_akten_bereiche", {})
    schluessel = (name, user.kommune_id, user.rollen, bereich_kennung())
    if schluessel not in ablage:
        ablage[schluessel] = bauen()
    return ablage[schluessel].all()


# The compiled statements of akten_fuer_sql, kept by the process (emptied when full).
_KOMPILIERT: dict[tuple, tuple[str, tuple]] = {}
_KOMPILIERT_HOECHSTENS = 2_000


def akten_fuer_sql(user, *felder: str) -> tuple[str, tuple]:
    """The statement of `akten_fuer(user).values(*felder)` and its parameters, compiled once per
    person and process: composing it costs a millisecond of CPU, more than PostgreSQL needs to
    plan it, and the search runs it on every request. Kept for the reason `_je_person` keeps its
    querysets: what the statement takes from Python (the person, their Kommune and roles, the
    Mandantenbereich) is the key; memberships and shares are subqueries PostgreSQL reads each
    time it runs. Raises EmptyResultSet for a person who is not logged in or not active."""
    if not _nutzbar(user):
        raise EmptyResultSet
    schluessel = (felder, user.pk, user.kommune_id, user.rollen, bereich_kennung())
    anweisung = _KOMPILIERT.get(schluessel)
    if anweisung is None:
        anweisung = akten_fuer(user).order_by().values(*felder).query.sql_with_params()
        if len(_KOMPILIERT) >= _KOMPILIERT_HOECHSTENS:
            _KOMPILIERT.clear()  # a dict's operations are atomic: other threads just recompile
        _KOMPILIERT[schluessel] = anweisung
    return anweisung


def _eigene_oes(user) -> QuerySet:
    return Organisationseinheit.objects.filter(mitglieder=user).values("pk")


def in_eigener_oe(user, kommune_id: int, oe_id: int | None) -> bool:
    """Whether `oe_id` is one of the person's OEs in their own Kommune: the "own OE" half of
    the write and create rules, asked as one short query (read each time, like the scopes)
    instead of composing a whole scope query for one object."""
    return (
        _nutzbar(user)
        and oe_id is not None
        and kommune_id == user.kommune_id
        and Organisationseinheit.objects.filter(pk=oe_id, mitglieder=user).exists()
    )


def _recht_und_verbund(user, codename: str) -> dict:
    """Permission and Verbund as scalar subqueries, not joins: fewer tables keep the planner
    within its join-search limit when this is combined with the list pages' select_related."""
    recht = Permission.objects.filter(codename=codename, content_type__app_label="akten").order_by()
    verbund = Kommune.objects.filter(pk=user.kommune_id).order_by()
    return {
        "permission_id": Subquery(recht.values("pk")[:1]),
        "content_object__kommune__verbund_id": Subquery(verbund.values("verbund_id")[:1]),
    }


def _freigaben(user, codename: str) -> QuerySet:
    """Ids of the Akten shared with `user` personally, with this permission, in their Verbund."""
    return AkteBenutzerfreigabe.objects.filter(
        user=user, **_recht_und_verbund(user, codename)
    ).values("content_object_id")


def _oe_freigaben(user, codename: str) -> QuerySet:
    """Ids of the Akten shared with one of the user's OEs (membership read from the OE)."""
    return AkteGruppenfreigabe.objects.filter(
        group__freigabe_oe__oe__in=_eigene_oes(user), **_recht_und_verbund(user, codename)
    ).values("content_object_id")


def _eigene(user) -> Q:
    """The Akten of the user's OEs (of the whole Kommune for its Kommunen-Admins)."""
    eigene = Q(kommune_id=user.kommune_id)
    if not darf(user, "akten.alle_der_kommune_sehen"):
        eigene &= Q(_EinerVon("federfuehrende_oe_id", _eigene_oes(user)))
    return eigene


def _geteilt(user, codename: str) -> Q:
    """Shared with the person or with one of their OEs (two short lists, each computed once)."""
    return Q(_EinerVon("pk", _freigaben(user, codename))) | Q(
        _EinerVon("pk", _oe_freigaben(user, codename))
    )


def akten_fuer(user) -> QuerySet[Akte]:
    if not _nutzbar(user):
        return Akte.objects.none()
    return _je_person(
        user, "lesen", lambda: Akte.objects.filter(_eigene(user) | _geteilt(user, LESEN))
    )


def freigegebene_akten(user) -> QuerySet[Akte]:
    """Akten shared with the user or their OE explicitly ("Für mich freigegeben")."""
    if not _nutzbar(user):
        return Akte.objects.none()
    return Akte.objects.filter(_geteilt(user, LESEN))


def akten_meiner_oe(user) -> QuerySet[Akte]:
    """ "Meine Akten": the Akten of the user's OEs."""
    if not _nutzbar(user):
        return Akte.objects.none()
    return _je_person(
        user,
        "meine",
        lambda: Akte.objects.filter(
            _EinerVon("federfuehrende_oe_id", _eigene_oes(user)), kommune_id=user.kommune_id
        ),
    )


def _beschreibbar(user) -> Q:
    eigene = Q(kommune_id=user.kommune_id) & Q(_EinerVon("federfuehrende_oe_id", _eigene_oes(user)))
    return eigene | _geteilt(user, SCHREIBEN)


def akten_beschreibbar_fuer(user) -> QuerySet[Akte]:
    if not _nutzbar(user):
        return Akte.objects.none()
    return _je_person(user, "schreiben", lambda: Akte.objects.filter(_beschreibbar(user)))


def mit_rechten(queryset: QuerySet[Akte], user) -> QuerySet[Akte]:
    """Annotate `darf_schreiben` and `darf_freigeben` per row, as conditions on the row itself:
    the rules `akten.schreiben` and `akten.freigeben` (regeln.py) for a whole list in SQL.

    Cheaper than Exists(akten_beschreibbar_fuer(user).filter(pk=OuterRef("pk"))): PostgreSQL
    evaluates such an Exists by hashing every Akte the person may write before returning the
    first row.
    """
    if not _nutzbar(user):
        return queryset.annotate(
            darf_schreiben=Value(False, BooleanField()), darf_freigeben=Value(False, BooleanField())
        )
    aenderbar = Q(verbleib="")  # a handed-over or deleted Akte is a read-only stub
    return queryset.annotate(
        darf_schreiben=ExpressionWrapper(
            aenderbar & _beschreibbar(user), output_field=BooleanField()
        ),
        darf_freigeben=ExpressionWrapper(aenderbar & _eigene(user), output_field=BooleanField()),
    )


def akten_liste(queryset: QuerySet[Akte]) -> QuerySet[Akte]:
    """What list pages show per row, in a constant number of queries."""
    return queryset.select_related("aktenplaneinheit", "federfuehrende_oe", "kommune")


def vorgaenge_fuer(user) -> QuerySet[Vorgang]:
    if not _nutzbar(user):
        return Vorgang.objects.none()
    return _je_person(user, "vorgaenge", lambda: Vorgang.objects.filter(akte__in=akten_fuer(user)))


def dokumente_fuer(user) -> QuerySet[Dokument]:
    """Dokumente inherit visibility from their Akte."""
    if not _nutzbar(user):
        return Dokument.objects.none()
    return _je_person(user, "dokumente", lambda: Dokument.objects.filter(akte__in=akten_fuer(user)))


def versionen_fuer(user) -> QuerySet[Version]:
    if not _nutzbar(user):
        return Version.objects.none()
    return _je_person(
        user, "versionen", lambda: Version.objects.filter(dokument__akte__in=akten_fuer(user))
    )


def dokumente_mit_letzter_version(queryset: QuerySet[Dokument]) -> QuerySet[Dokument]:
    return queryset.select_related("vorgang", "anlage_zu").prefetch_related(
        Prefetch(
            "versionen",
            queryset=Version.objects.select_related(
                "datei__verarbeitung", "hochgeladen_von"
            ).order_by("-nummer"),
        ),
    )


def gleicher_inhalt_in_akte(akte: Akte, sha256: str) -> QuerySet[Version]:
    return Version.objects.filter(dokument__akte=akte, datei__sha256=sha256).select_related(
        "dokument"
    )


def gleicher_inhalt_anderswo(user, akte: Akte, sha256: str) -> tuple[list[Version], int]:
    """The same content in other Akten of the Akte's Kommune: the Versionen the person may see
    (with a link) and how many more there are that the person may not see (named without a
    link, so nothing about them is revealed but that they exist in the own Kommune). People of
    another Kommune learn nothing from this: they get ([], 0)."""
    if not _nutzbar(user) or user.kommune_id != akte.kommune_id:
        return [], 0
    anderswo = Version.objects.filter(kommune_id=akte.kommune_id, datei__sha256=sha256).exclude(
        dokument__akte=akte
    )
    sichtbar = list(
        anderswo.filter(dokument__akte__in=akten_fuer(user)).select_related("dokument__akte")[:3]
    )
    verborgen = (
        anderswo.exclude(dokument__akte__in=akten_fuer(user))
        .values("dokument__akte")
        .distinct()
        .count()
    )
    return sichtbar, verborgen


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


def oe_freigaben(akte: Akte) -> list[dict]:
    """The OEs the Akte is shared with, and whether read-only or read-write."""
    rechte: dict[int, dict] = {}
    for freigabe in AkteGruppenfreigabe.objects.filter(content_object=akte).select_related(
        "group__freigabe_oe__oe__kommune", "permission"
    ):
        oe = freigabe.group.freigabe_oe.oe
        eintrag = rechte.setdefault(oe.pk, {"oe": oe, "schreiben": False})
        eintrag["schreiben"] |= freigabe.permission.codename == SCHREIBEN
    return sorted(rechte.values(), key=lambda e: (e["oe"].kommune.name, e["oe"].name))


def oes_im_verbund(user) -> QuerySet[Organisationseinheit]:
    """The active OEs of every Kommune of the user's Verbund (an Akte may be shared with them)."""
    return kommunen_selectors.oes_im_verbund(user).filter(aktiv=True)


def wiedervorlagen_fuer(user) -> QuerySet[Wiedervorlage]:
    """A person's own open Wiedervorlagen on Akten they can still see."""
    if not _nutzbar(user):
        return Wiedervorlage.objects.none()
    return _je_person(
        user,
        "wiedervorlagen",
        lambda: Wiedervorlage.objects.filter(
            benutzer=user, erledigt_am__isnull=True, akte__in=akten_fuer(user)
        ).select_related("akte", "vorgang"),
    )


def neu_freigegeben(user, *, seit) -> QuerySet[Akte]:
    """Akten shared with the person since `seit` (a notice on the start page), newest first."""
    if not _nutzbar(user):
        return Akte.objects.none()
    return (
        akten_fuer(user)
        .filter(freigaben__user=user, freigaben__angelegt_am__gte=seit)
        .select_related("kommune")
        .annotate(freigegeben_am=Max("freigaben__angelegt_am"))
        .order_by("-freigegeben_am")
    )


def offene_wiedervorlagen_der_akte(akte: Akte) -> QuerySet[Wiedervorlage]:
    """Everyone's open Wiedervorlagen on one Akte (what a zdA affects)."""
    return akte.wiedervorlagen.filter(erledigt_am__isnull=True).select_related(
        "benutzer", "vorgang"
    )


def faellige_wiedervorlagen(user, *, stichtag) -> QuerySet[Wiedervorlage]:
    return wiedervorlagen_fuer(user).filter(datum__lte=stichtag)


# --- reads of the browser pages -----------------------------------------------------------

AKTEN_SORTIERUNGEN = {
    "aktenzeichen": ("aktenzeichen", "id"),
    "-aktenzeichen": ("-aktenzeichen", "-id"),
    "betreff": ("betreff", "id"),
    "-betreff": ("-betreff", "-id"),
    "angelegt": ("angelegt_am", "id"),
    "-angelegt": ("-angelegt_am", "-id"),
}
AKTEN_SORTIERUNG_STANDARD = "-angelegt"


def akten_filtern(
    queryset: QuerySet[Akte], *, suchtext: str = "", mit_zda: bool = False, sortierung: str = ""
) -> QuerySet[Akte]:
    """Filter text on Aktenzeichen/Betreff, open ones only unless `mit_zda`, whitelisted order."""
    suchtext = suchtext.strip()
    if suchtext:
        queryset = queryset.filter(
            Q(aktenzeichen__icontains=suchtext) | Q(betreff__icontains=suchtext)
        )
    if not mit_zda:
        queryset = queryset.filter(zda_am__isnull=True)
    reihenfolge = AKTEN_SORTIERUNGEN.get(sortierung, AKTEN_SORTIERUNGEN[AKTEN_SORTIERUNG_STANDARD])
    return queryset.order_by(*reihenfolge)


def akte_mit_angaben(queryset: QuerySet[Akte]) -> QuerySet[Akte]:
    """What the Akte page shows about the Akte itself, in one query."""
    return queryset.select_related(
        "aktenplaneinheit",
        "federfuehrende_oe",
        "aktenfuehrende_oe",
        "kommune",
        "zda_durch",
        "angelegt_von",
    )


# The Akte page lists this many of the newest Dokumente per Vorgang; the Vorgang page all of them
# (paginated). A page of an Akte with hundreds of Dokumente spent its time rendering rows.
DOKUMENTE_JE_VORGANG = 20


def ohne_stornierte(dokumente: QuerySet[Dokument], stornierte: bool = False) -> QuerySet[Dokument]:
    """Lists leave stornierte Dokumente out unless asked for ("stornierte anzeigen")."""
    return dokumente if stornierte else dokumente.filter(storniert_am__isnull=True)


def dokumente_der_akte(
    akte: Akte, je_vorgang: int | None = None, *, stornierte: bool = False
) -> QuerySet[Dokument]:
    """The newest `je_vorgang` (DOKUMENTE_JE_VORGANG) Dokumente of each Vorgang of the Akte."""
    je_vorgang = je_vorgang or DOKUMENTE_JE_VORGANG
    nummer = Window(
        RowNumber(),
        partition_by=[F("vorgang_id")],
        order_by=[F("angelegt_am").desc(), F("id").desc()],
    )
    return dokumente_mit_letzter_version(
        ohne_stornierte(akte.dokumente.all(), stornierte)
        .annotate(nummer_im_vorgang=nummer)
        .filter(nummer_im_vorgang__lte=je_vorgang)
        .order_by("vorgang_id", "-angelegt_am", "-id")
    )


def oes_fuer_federfuehrung(user) -> QuerySet[Organisationseinheit]:
    """For whom a person may create Akten: their own OEs; every OE of the Kommune for its
    Kommunen-Admins. Only active ones."""
    if not _nutzbar(user):
        return Organisationseinheit.objects.none()
    oes = Organisationseinheit.objects.filter(kommune_id=user.kommune_id, aktiv=True)
    if not darf(user, "akten.fuer_jede_oe_anlegen"):
        oes = oes.filter(pk__in=_eigene_oes(user))
    return oes.order_by("name")


def oes_der_kommune(user) -> QuerySet[Organisationseinheit]:
    """The active OEs of the person's own Kommune (aktenführende OE, handing an Akte over)."""
    if not _nutzbar(user):
        return Organisationseinheit.objects.none()
    return Organisationseinheit.objects.filter(kommune_id=user.kommune_id, aktiv=True).order_by(
        "name"
    )


def einheit_nach_kennzeichen(user, kennzeichen: str):
    """The unit of the Aktenplan in force for the person with this Kennzeichen, or None."""
    from aktenplan import selectors as aktenplan_selectors

    aktenplan = aktenplan_selectors.aktueller_aktenplan(user)
    if aktenplan is None or not kennzeichen.strip():
        return None
    return aktenplan.einheiten.filter(kennzeichen=kennzeichen.strip()).first()


def personen_im_verbund(user):
    """Whom an Akte can be shared with: the active people of the person's Verbund."""
    from eakte.kommunen.models import Benutzer, Kommune

    if not _nutzbar(user):
        return Benutzer.objects.none()
    verbund = Kommune.objects.filter(pk=user.kommune_id).values("verbund_id")
    return Benutzer.objects.filter(is_active=True, kommune__verbund_id__in=verbund)


def verschiebeziele(user, dokument: Dokument) -> QuerySet[Vorgang]:
    """Where a Dokument may be moved: open Vorgänge of open Akten of its Kommune that the person
    may write in (not its current Vorgang)."""
    return verschiebeziele_aus(user, dokument.vorgang)


def verschiebeziele_aus(user, vorgang: Vorgang) -> QuerySet[Vorgang]:
    """Where Dokumente of `vorgang` may be moved (see verschiebeziele)."""
    return (
        Vorgang.objects.filter(
            kommune_id=vorgang.kommune_id,
            zda_am__isnull=True,
            akte__zda_am__isnull=True,
            akte__in=akten_beschreibbar_fuer(user),
        )
        .exclude(pk=vorgang.pk)
        .select_related("akte")
        .order_by("akte__aktenzeichen", "nummer")
    )


def kommunen_der_akten_fuer_person(user) -> QuerySet:
    """The Kommunen (ids, for a subquery) of Akten shared with `user` directly: how shares widen
    the tenancy net (common.mandantenbereich). Read with the plain manager: this is what decides
    the Bereich, it cannot run inside one. One indexed lookup each (an OR of the two kinds of
    share in one statement made PostgreSQL scan every Akte)."""
    geteilt = AkteBenutzerfreigabe.objects.filter(user_id=user.pk).values("content_object_id")
    return Akte.alle.filter(pk__in=geteilt).values("kommune_id")


def kommunen_der_akten_fuer_oes(user) -> QuerySet:
    """The same for Akten shared with one of the person's OEs."""
    eigene_oes = Benutzer.organisationseinheiten.through.objects.filter(benutzer_id=user.pk).values(
        "organisationseinheit_id"
    )
    geteilt = AkteGruppenfreigabe.objects.filter(group__freigabe_oe__oe_id__in=eigene_oes).values(
        "content_object_id"
    )
    return Akte.alle.filter(pk__in=geteilt).values("kommune_id")


def neueste_versionen(
    vorgang: Vorgang, uuids: list[str], *, hoechstens: int = 201
) -> list[Version]:
    """The newest Versionen of the chosen Dokumente of a Vorgang (all of them without a choice;
    what is not a Dokument of this Vorgang is ignored). For downloading several at once; the
    caller got the Vorgang from `vorgaenge_fuer(user)`."""
    dokumente = vorgang.dokumente.all()
    if uuids:
        gueltig = []
        for wert in uuids[:hoechstens]:
            try:
                gueltig.append(uuid_modul.UUID(str(wert)))
            except ValueError:
                continue
        dokumente = dokumente.filter(uuid__in=gueltig)
    dokumente = dokumente_mit_letzter_version(dokumente.order_by("angelegt_am", "id"))
    return [d.versionen.all()[0] for d in dokumente[:hoechstens] if d.versionen.all()]
