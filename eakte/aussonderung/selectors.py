"""Reads of the Aussonderung. Everything is confined to the person's own Kommune; the pages are
for the Kommune's administration (rules in regeln.py decide who opens them)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from eakte.akten.models import Akte, Dokument, Version, Vorgang

from . import xdomea
from .models import (
    Archiv,
    Aussonderungsvermerk,
    Bewertungsvorgabe,
    Datenschutzanfrage,
    Entscheidung,
    Laufstatus,
    Loeschlauf,
    LoeschlaufAkte,
    Loeschsperre,
    Nachricht,
    Prozess,
    ProzessAkte,
)


def _kommune(user) -> Q:
    return Q(kommune_id=user.kommune_id)


def aktive_sperren() -> QuerySet[Loeschsperre]:
    return Loeschsperre.objects.filter(aufgehoben_am__isnull=True)


def gesperrte_akten_ids(ids) -> set[int]:
    return set(aktive_sperren().filter(akte_id__in=ids).values_list("akte_id", flat=True))


def loeschsperre(akte) -> Loeschsperre | None:
    return aktive_sperren().filter(akte=akte).select_related("gesetzt_von").first()


def vermerk(akte) -> Aussonderungsvermerk | None:
    return Aussonderungsvermerk.objects.filter(akte=akte).first()


def _mit_art(queryset: QuerySet[Akte]) -> QuerySet[Akte]:
    """Annotates `art`: the Akte's own mark or its Aktenplaneinheit's."""
    from django.db.models import F, Subquery
    from django.db.models.functions import Coalesce

    eigene = Bewertungsvorgabe.objects.filter(akte=OuterRef("pk")).values("art")[:1]
    return queryset.annotate(
        art=Coalesce(Subquery(eigene), F("aktenplaneinheit__aussonderungsart"))
    )


def _faellig(user) -> QuerySet[Akte]:
    """Akten of the own Kommune whose retention has ended, not under Löschsperre, not yet
    ausgesondert and in no open Prozess or Löschlauf."""
    heute = timezone.localdate()
    offen_im_prozess = ProzessAkte.objects.filter(akte=OuterRef("pk")).exclude(
        entscheidung=Entscheidung.VERNICHTEN
    )
    im_lauf = LoeschlaufAkte.objects.filter(akte=OuterRef("pk"))
    return _mit_art(
        Akte.objects.filter(_kommune(user), aufbewahrung_bis__lt=heute)
        .exclude(Exists(aktive_sperren().filter(akte=OuterRef("pk"))))
        .exclude(Exists(Aussonderungsvermerk.objects.filter(akte=OuterRef("pk"))))
        .exclude(Exists(offen_im_prozess))
        .exclude(Exists(im_lauf))
    ).select_related("aktenplaneinheit", "federfuehrende_oe")


def faellige_akten_fuer(user) -> QuerySet[Akte]:
    """ "zur Anbietung fällig": retention ended, mark A or B, not in a Prozess yet."""
    bereits = ProzessAkte.objects.filter(akte=OuterRef("pk"))
    return (
        _faellig(user)
        .filter(art__in=["A", "B"])
        .exclude(Exists(bereits))
        .order_by("aufbewahrung_bis", "aktenzeichen")
    )


def zu_vernichten_fuer(user) -> QuerySet[Akte]:
    """Due for destruction: mark V (plan or Akte), or "vernichten" by the archive's Bewertung."""
    vom_archiv = ProzessAkte.objects.filter(
        akte=OuterRef("pk"), entscheidung=Entscheidung.VERNICHTEN
    )
    return (
        _faellig(user)
        .filter(Q(art="V") | Q(Exists(vom_archiv)))
        .order_by("aufbewahrung_bis", "aktenzeichen")
    )


def gesperrte_akten_fuer(user) -> QuerySet[Loeschsperre]:
    return aktive_sperren().filter(_kommune(user)).select_related("akte", "gesetzt_von")


def akten_der_kommune(user) -> QuerySet[Akte]:
    return Akte.objects.filter(_kommune(user))


def archiv_fuer(user) -> Archiv | None:
    return Archiv.objects.filter(_kommune(user)).first()


def prozesse_fuer(user) -> QuerySet[Prozess]:
    return Prozess.objects.filter(_kommune(user)).select_related("angelegt_von")


def prozess_akten(prozess) -> QuerySet[ProzessAkte]:
    return prozess.akten.select_related("akte").order_by("akte__aktenzeichen")


def nachrichten_fuer(user) -> QuerySet[Nachricht]:
    return Nachricht.objects.filter(_kommune(user)).select_related("prozess")


def loeschlaeufe_fuer(user) -> QuerySet[Loeschlauf]:
    return Loeschlauf.objects.filter(_kommune(user)).select_related(
        "vorgeschlagen_von", "genehmigt_von"
    )


def offene_loeschlaeufe(user) -> QuerySet[Loeschlauf]:
    return loeschlaeufe_fuer(user).filter(status=Laufstatus.VORGESCHLAGEN)


def lauf_akten(lauf) -> QuerySet[Akte]:
    return Akte.objects.filter(pk__in=lauf.akten.values("akte_id")).order_by("aktenzeichen")


def vermerke_des_laufs(lauf) -> QuerySet[Aussonderungsvermerk]:
    return Aussonderungsvermerk.objects.filter(lauf=lauf).order_by("aktenzeichen")


def anfragen_fuer(user) -> QuerySet[Datenschutzanfrage]:
    return Datenschutzanfrage.objects.filter(_kommune(user))


def dokumente_zur_person(user, begriffe: str) -> QuerySet[Dokument]:
    """Every Dokument of the own Kommune naming the person: the full-text index (title, text)
    and the Absender/Empfänger fields."""
    from django.contrib.postgres.search import SearchQuery

    begriffe = begriffe.strip()
    suche = SearchQuery(begriffe, config="german", search_type="websearch")
    treffer = Q(suchdokument__vektor=suche)
    for wort in begriffe.split():
        treffer |= Q(absender__icontains=wort) | Q(empfaenger__icontains=wort)
    return (
        Dokument.objects.filter(_kommune(user))
        .filter(treffer)
        .select_related("akte", "vorgang")
        .order_by("akte__aktenzeichen", "titel")
        .distinct()
    )


# --- The metadata of the messages (one Akte at a time) ---------------------------------------


def aussonderungsarten(akten) -> dict[int, str]:
    eigene = dict(Bewertungsvorgabe.objects.filter(akte__in=akten).values_list("akte_id", "art"))
    return {a.pk: eigene.get(a.pk, a.aktenplaneinheit.aussonderungsart) for a in akten}


def _primaerdatei(version: Version) -> tuple[xdomea.Primaerdatei, object]:
    datei = version.datei
    verarbeitung = getattr(datei, "verarbeitung", None)
    archiv = getattr(verarbeitung, "archiv", None) if verarbeitung else None
    name = version.dateiname
    if archiv is not None:
        stamm = name.rsplit(".", 1)[0] if "." in name else name
        return (
            xdomea.Primaerdatei(
                name=f"{version.uuid}_{stamm}.pdf",
                original=name,
                format_code="044",
                sha256=archiv.sha256,
                groesse=archiv.groesse,
            ),
            archiv,
        )
    return (
        xdomea.Primaerdatei(
            name=f"{version.uuid}_{name}",
            original=name,
            format_code=xdomea.DATEIFORMATE.get(datei.mime_typ, "100"),
            sha256=datei.sha256,
            groesse=datei.groesse,
        ),
        datei,
    )


# Akten read together: a few queries per block instead of several per Vorgang, and never more
# than one block's Dokumente in memory.
BLOCK = 100


def _dok(dok: Dokument, dateiliste: list) -> xdomea.Dok:
    versionen = []
    for version in sorted(dok.versionen.all(), key=lambda v: v.nummer):
        primaer, datei = _primaerdatei(version)
        dateiliste.append((primaer.name, datei))
        versionen.append(xdomea.DokVersion(version.nummer, version.hochgeladen_am, [primaer]))
    return xdomea.Dok(
        id=dok.uuid,
        titel=dok.titel,
        typ=dok.get_typ_display(),
        posteingangsdatum=dok.posteingangsdatum,
        postausgangsdatum=dok.postausgangsdatum,
        absender=dok.absender,
        empfaenger=dok.empfaenger,
        versionen=versionen,
    )


def _block(akten, mit_inhalt: bool, dateiliste: list) -> dict[int, list[xdomea.Vorg]]:
    """The Vorgänge (with their Dokumente for a 0503) of a block of Akten, by Akte id."""
    dokumente: dict[int, list] = {}
    if mit_inhalt:
        for dok in (
            Dokument.objects.filter(akte__in=akten)
            .order_by("angelegt_am", "pk")
            .prefetch_related("versionen__datei__verarbeitung__archiv")
        ):
            dokumente.setdefault(dok.vorgang_id, []).append(dok)
    ergebnis: dict[int, list] = {}
    for vorgang in Vorgang.objects.filter(akte__in=akten).order_by("akte_id", "nummer"):
        ergebnis.setdefault(vorgang.akte_id, []).append(
            xdomea.Vorg(
                id=vorgang.uuid,
                betreff=vorgang.betreff,
                kennzeichen=vorgang.vorgangszeichen,
                zda_am=vorgang.zda_am,
                beginn=timezone.localdate(vorgang.angelegt_am),
                dokumente=[_dok(d, dateiliste) for d in dokumente.get(vorgang.pk, [])],
            )
        )
    return ergebnis


def akten_daten(akten, arten: dict[int, str], *, mit_inhalt=False, dateiliste=None):
    """The Akten as xdomea data, generated one after the other (the writer streams them)."""
    dateiliste = dateiliste if dateiliste is not None else []
    akten = list(akten)
    for start in range(0, len(akten), BLOCK):
        block = akten[start : start + BLOCK]
        vorgaenge = _block(block, mit_inhalt, dateiliste)
        for akte in block:
            einheit = akte.aktenplaneinheit
            yield xdomea.AkteDaten(
                id=akte.uuid,
                aktenzeichen=akte.aktenzeichen,
                betreff=akte.betreff,
                beginn=akte.beginn,
                ende=akte.ende or akte.zda_am,
                zda_am=akte.zda_am,
                aufbewahrung_bis=akte.aufbewahrung_bis,
                frist_jahre=einheit.aufbewahrungsfrist,
                einheit_kennzeichen=einheit.kennzeichen,
                einheit_titel=einheit.titel,
                art=arten[akte.pk],
                federfuehrung=akte.federfuehrende_oe.name,
                vorgaenge=vorgaenge.get(akte.pk, []),
            )
