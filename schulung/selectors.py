"""Who may read which Dienstanweisung, and who still has to confirm it; which Schulungen and
Termine a person sees, their registrations and certificates."""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from eakte.common.regeln import darf
from eakte.kommunen.models import Benutzer, Kommune, Organisationseinheit

from .models import (
    Anmeldestatus,
    Anmeldung,
    Dokument,
    Fassung,
    Fassungsstatus,
    Kenntnisnahme,
    Schulung,
    Schulungstermin,
)


def _usable(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def ist_redaktion(user) -> bool:
    """The rule `schulung.redaktion`: trainers and Verbund-Admins write; they also see drafts."""
    return darf(user, "schulung.redaktion")


def _rollen_q(rollen: list[str]) -> Q:
    bedingung = Q(pk__in=[])
    for rolle in rollen:
        bedingung |= Q(rollen__contains=[rolle])
    return bedingung


def schulungsdokumente_fuer(user) -> QuerySet[Dokument]:
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
    rollen = Q(rollen=[]) | _rollen_q([rolle.value for rolle in user.rollen])
    return bereich & rollen & _oe_geltung(user)


def _oe_geltung(user) -> Q:
    """No OEs chosen: for everyone; otherwise for the members of one of them."""
    oes = Dokument.organisationseinheiten.through.objects.filter(dokument=OuterRef("pk"))
    return ~Exists(oes) | Exists(oes.filter(organisationseinheit__mitglieder=user))


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
            dokument__in=schulungsdokumente_fuer(user).filter(_geltung(user)),
        )
        .filter(Q(gueltig_ab__isnull=True) | Q(gueltig_ab__lte=timezone.localdate()))
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
    elif darf(viewer, "schulung.abschluss_sehen"):
        kommunen = Kommune.objects.filter(pk=viewer.kommune_id, verbund_id=dokument.verbund_id)
    else:
        return []
    if not dokument.alle_kommunen:
        kommunen = kommunen.filter(pk__in=dokument.kommunen.values("pk"))
    personen = Benutzer.objects.filter(kommune__in=kommunen, is_active=True)
    if dokument.rollen:
        personen = personen.filter(groups__name__in=dokument.rollen).distinct()
    geltung = oes_des_dokuments(dokument)
    if geltung:
        personen = personen.filter(organisationseinheiten__in=geltung).distinct()
    bestaetigungen = dict(
        Kenntnisnahme.objects.filter(fassung=fassung, benutzer__in=personen).values_list(
            "benutzer_id", "zeitpunkt"
        )
    )
    personen = (
        personen.select_related("kommune")
        .prefetch_related(
            # the people's OEs, also of other Kommunen in a trainer's list
            Prefetch("organisationseinheiten", queryset=Organisationseinheit.alle.all())
        )
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


# --- Schulungen ------------------------------------------------------------------------------


def schulungen_fuer(user) -> QuerySet[Schulung]:
    """Schulungen of the user's Verbund aimed at one of the user's roles (or at everyone);
    the Redaktion sees every Schulung of its Verbund."""
    if not _usable(user):
        return Schulung.objects.none()
    schulungen = Schulung.objects.filter(verbund_id=user.kommune.verbund_id)
    if ist_redaktion(user):
        return schulungen
    return schulungen.filter(Q(rollen=[]) | _rollen_q([rolle.value for rolle in user.rollen]))


def termine_fuer(user) -> QuerySet[Schulungstermin]:
    """Termine of the Schulungen the user sees, with `belegt` (registered) and `wartend`
    (on the waiting list) counted, and `mein_status` / `meine_anmeldung` for the user."""
    if not _usable(user):
        return Schulungstermin.objects.none()
    eigene = Anmeldung.objects.filter(termin=OuterRef("pk"), benutzer=user)
    return (
        Schulungstermin.objects.filter(schulung__in=schulungen_fuer(user))
        .select_related("schulung")
        .annotate(
            belegt=Count("anmeldungen", filter=Q(anmeldungen__status=Anmeldestatus.ANGEMELDET)),
            wartend=Count("anmeldungen", filter=Q(anmeldungen__status=Anmeldestatus.WARTELISTE)),
            mein_status=Subquery(eigene.values("status")[:1]),
        )
        .order_by("beginn")
    )


def kommende(termine: QuerySet[Schulungstermin], jetzt=None) -> QuerySet[Schulungstermin]:
    return termine.filter(ende__gte=jetzt or timezone.now())


def freie_plaetze(termin: Schulungstermin) -> int:
    belegt = getattr(termin, "belegt", None)
    if belegt is None:
        belegt = termin.anmeldungen.filter(status=Anmeldestatus.ANGEMELDET).count()
    return max(termin.kapazitaet - belegt, 0)


def _vor_mir(anmeldung_ref) -> Q:
    return Q(zeitpunkt__lt=anmeldung_ref("zeitpunkt")) | Q(
        zeitpunkt=anmeldung_ref("zeitpunkt"), pk__lt=anmeldung_ref("pk")
    )


def wartelistenplatz(anmeldung: Anmeldung) -> int | None:
    """1 for the first on the waiting list; None when not on it."""
    if anmeldung.status != Anmeldestatus.WARTELISTE:
        return None
    vorher = Anmeldung.objects.filter(
        termin_id=anmeldung.termin_id, status=Anmeldestatus.WARTELISTE
    ).filter(
        Q(zeitpunkt__lt=anmeldung.zeitpunkt) | Q(zeitpunkt=anmeldung.zeitpunkt, pk__lt=anmeldung.pk)
    )
    return vorher.count() + 1


def warteliste(termin: Schulungstermin) -> QuerySet[Anmeldung]:
    """The waiting list of a Termin in order (first in, first to move up)."""
    return Anmeldung.objects.filter(termin=termin, status=Anmeldestatus.WARTELISTE).order_by(
        "zeitpunkt", "pk"
    )


def meine_anmeldungen(user) -> QuerySet[Anmeldung]:
    """The user's own registrations (not the withdrawn ones) within the Termine they may see,
    with the waiting-list position as `platz` (None unless on the waiting list)."""
    if not _usable(user):
        return Anmeldung.objects.none()
    vorher = (
        Anmeldung.objects.filter(termin=OuterRef("termin"), status=Anmeldestatus.WARTELISTE)
        .filter(_vor_mir(OuterRef))
        .order_by()
        .values("termin")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Anmeldung.objects.filter(
            benutzer=user,
            termin__schulung__verbund_id=user.kommune.verbund_id,
        )
        .exclude(status=Anmeldestatus.ABGEMELDET)
        .select_related("termin__schulung")
        .annotate(
            platz=Case(
                When(
                    status=Anmeldestatus.WARTELISTE,
                    then=Coalesce(Subquery(vorher), Value(0)) + 1,
                ),
                default=None,
                output_field=IntegerField(),
            )
        )
        .order_by("-termin__beginn")
    )


def teilnehmerliste(user, termin: Schulungstermin) -> QuerySet[Anmeldung]:
    """Registered people and the waiting list of a Termin, for the Redaktion only."""
    if not (ist_redaktion(user) and termin.schulung.verbund_id == user.kommune.verbund_id):
        return Anmeldung.objects.none()
    return (
        Anmeldung.objects.filter(termin=termin)
        .exclude(status=Anmeldestatus.ABGEMELDET)
        .select_related("benutzer__kommune")
        .order_by("status", "zeitpunkt", "pk")
    )


def bescheinigungen_fuer(user) -> QuerySet[Anmeldung]:
    """Certificates a user may download: only their own, only where they took part."""
    return meine_anmeldungen(user).filter(
        status=Anmeldestatus.ANGEMELDET, teilgenommen=True, bescheinigungsnummer__isnull=False
    )


# --- full-text search (German) ---------------------------------------------------------------


@dataclass(frozen=True)
class Suchtreffer:
    dokument: Dokument
    fassung: Fassung
    rang: float
    ausschnitt: str  # safe HTML: the text escaped, the hits in <mark>


_MARKE_AN, _MARKE_AUS = "\x02", "\x03"


def _ausschnitt(roh: str) -> str:
    text = escape(roh.replace("**", "").replace("__", ""))
    text = re.sub(r"(^|\n)#+\s*", r"\1", text)
    return mark_safe(  # noqa: S308 - escaped above, only our markers become tags
        " ".join(text.split()).replace(_MARKE_AN, "<mark>").replace(_MARKE_AUS, "</mark>")
    )


def dokumente_suchen(user, begriff: str, *, grenze: int = 50) -> list[Suchtreffer]:
    """Search the Fassungen in force of the documents the user may read (German stemming,
    web-search syntax: words, "phrases", -exclusions, or). Title hits weigh more than text."""
    begriff = (begriff or "").strip()
    if not begriff or not _usable(user):
        return []
    anfrage = SearchQuery(begriff, search_type="websearch", config="german")
    vektor = SearchVector("dokument__titel", weight="A", config="german") + SearchVector(
        "text", weight="B", config="german"
    )
    fassungen = (
        Fassung.objects.filter(
            status=Fassungsstatus.VEROEFFENTLICHT,
            dokument__in=schulungsdokumente_fuer(user).order_by().values("pk"),
        )
        .annotate(vektor=vektor)
        .filter(vektor=anfrage)
        .annotate(
            rang=SearchRank(vektor, anfrage),
            ausschnitt=SearchHeadline(
                "text",
                anfrage,
                config="german",
                start_sel=_MARKE_AN,
                stop_sel=_MARKE_AUS,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .select_related("dokument")
        .order_by("-rang", "dokument__titel")[:grenze]
    )
    return [
        Suchtreffer(
            dokument=f.dokument, fassung=f, rang=f.rang, ausschnitt=_ausschnitt(f.ausschnitt)
        )
        for f in fassungen
    ]


def oes_des_dokuments(dokument: Dokument) -> list[Organisationseinheit]:
    """The OEs a Dienstanweisung or Leitfaden is limited to, whichever Kommune of the Verbund they
    belong to. They are the document's scope, set by the Verbund-wide Schulung role, not records
    of one Kommune: read past the tenancy net on purpose (`alle`), or a trainer of Erbach would
    see a document limited to a Michelstadt OE as one for everybody."""
    cache = getattr(dokument, "_prefetched_objects_cache", {})
    if "organisationseinheiten" in cache:
        return list(cache["organisationseinheiten"])
    ids = Dokument.organisationseinheiten.through.objects.filter(dokument=dokument).values(
        "organisationseinheit_id"
    )
    return list(
        Organisationseinheit.alle.filter(pk__in=ids)
        .select_related("kommune")
        .order_by("kommune__name", "name")
    )


def oes_im_verbund_prefetch() -> Prefetch:
    """Prefetch of the documents' OEs across the Verbund (see `oes_des_dokuments`)."""
    return Prefetch(
        "organisationseinheiten", queryset=Organisationseinheit.alle.select_related("kommune")
    )
