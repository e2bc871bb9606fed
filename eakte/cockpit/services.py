"""The daily roll-up (`tag_verdichten`) behind the cockpit. Idempotent: the rows of a Kommune and
day are replaced as a whole in one transaction, so running it twice gives the same rows.

Definitions (also stated on the pages, docs/cockpit.md):
- a filing is a Version uploaded that day; it counts for the federführende OE of its Akte;
- scanned = recognised by OCR (or an image not yet recognised); every other filing is
  born-digital; pages come from the processing (`Verarbeitung.seiten`);
- paper avoided = the pages of every filing (one sheet per page, single-sided A4, 5 g a sheet);
- an OE files actively if it had at least one filing in the 30 days up to the day;
- active people = distinct people who filed something in the 7 days up to the day;
- the Kenntnisnahme rate = confirmations of the Kommune's active people for the published
  Dienstanweisungen that ask for one and apply to the Kommune, over people × Dienstanweisungen.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from eakte.akten.models import Akte, Version, Vorgang
from eakte.kommunen.models import Benutzer, Kommune, Organisationseinheit
from eakte.kommunen.rollen import Rolle
from schulung.models import Anmeldung, Dokumentart, Fassung, Fassungsstatus, Kenntnisnahme

from .models import Tagesstand

GRAMM_JE_BLATT = 5


def _grenzen(tag: date) -> tuple[datetime, datetime]:
    beginn = timezone.make_aware(datetime.combine(tag, time.min))
    return beginn, beginn + timedelta(days=1)


def _je_oe(queryset, feld: str, **werte) -> dict:
    return {zeile[feld]: zeile for zeile in queryset.values(feld).annotate(**werte).order_by()}


def _kommune_verdichten(kommune: Kommune, tag: date) -> list[Tagesstand]:
    beginn, ende = _grenzen(tag)
    oe_feld = "dokument__akte__federfuehrende_oe"
    versionen = Version.alle.filter(kommune=kommune)
    gescannt = Q(datei__verarbeitung__verfahren="ocr") | (
        Q(datei__verarbeitung__verfahren="") & Q(datei__mime_typ__startswith="image/")
    )
    seiten = Coalesce("datei__verarbeitung__seiten", 0)
    ablagen = _je_oe(
        versionen.filter(hochgeladen_am__gte=beginn, hochgeladen_am__lt=ende),
        oe_feld,
        n=Count("id"),
        n_scan=Count("id", filter=gescannt),
        s_scan=Coalesce(Sum(seiten, filter=gescannt), 0),
        s_alle=Coalesce(Sum(seiten), 0),
    )
    aktiv = _aktiv_in_30_tagen(kommune, tag, ablagen, versionen, oe_feld)
    woche = versionen.filter(hochgeladen_am__gte=ende - timedelta(days=7), hochgeladen_am__lt=ende)
    personen = _je_oe(woche, oe_feld, p=Count("hochgeladen_von", distinct=True))
    akten = _je_oe(
        Akte.alle.filter(kommune=kommune, angelegt_am__gte=beginn, angelegt_am__lt=ende),
        "federfuehrende_oe",
        n=Count("id"),
    )
    vorgaenge = _je_oe(
        Vorgang.alle.filter(kommune=kommune, angelegt_am__gte=beginn, angelegt_am__lt=ende),
        "akte__federfuehrende_oe",
        n=Count("id"),
    )
    zeilen = []
    oes = list(
        Organisationseinheit.alle.filter(kommune=kommune, aktiv=True).values_list("pk", flat=True)
    )
    for oe_id in oes:
        a = ablagen.get(oe_id, {})
        zeilen.append(
            Tagesstand(
                kommune=kommune,
                oe_id=oe_id,
                tag=tag,
                ablagen=a.get("n", 0),
                dokumente_gescannt=a.get("n_scan", 0),
                dokumente_digital=a.get("n", 0) - a.get("n_scan", 0),
                seiten_gescannt=a.get("s_scan", 0),
                seiten_digital=a.get("s_alle", 0) - a.get("s_scan", 0),
                akten_angelegt=akten.get(oe_id, {}).get("n", 0),
                vorgaenge_angelegt=vorgaenge.get(oe_id, {}).get("n", 0),
                aktiv_30_tage=oe_id in aktiv,
                aktive_personen_7_tage=personen.get(oe_id, {}).get("p", 0),
            )
        )
    zeilen.append(_kommunezeile(kommune, tag, oes, woche))
    return zeilen


def _aktiv_in_30_tagen(kommune, tag: date, ablagen: dict, versionen, oe_feld: str) -> set:
    """OEs with a filing in the 30 days up to `tag`. When the 29 days before are rolled up
    (the beat job and the backfill go forward day by day), they are read from the roll-ups plus
    today's filings; otherwise (a first run) from the filings themselves, which is slower."""
    _, ende = _grenzen(tag)
    frueher = (tag - timedelta(days=29), tag - timedelta(days=1))
    tage_da = Tagesstand.alle.filter(kommune=kommune, oe__isnull=True, tag__range=frueher).count()
    if tage_da == 29:
        vorher = Tagesstand.alle.filter(
            kommune=kommune, oe__isnull=False, tag__range=frueher, ablagen__gt=0
        ).values_list("oe_id", flat=True)
        return set(vorher) | {oe for oe, zeile in ablagen.items() if zeile["n"]}
    return set(
        versionen.filter(hochgeladen_am__gte=ende - timedelta(days=30), hochgeladen_am__lt=ende)
        .values_list(oe_feld, flat=True)
        .distinct()
    )


def _kommunezeile(kommune: Kommune, tag: date, oes: list[int], woche) -> Tagesstand:
    _, ende = _grenzen(tag)
    personen = Benutzer.objects.filter(kommune=kommune, is_active=True)
    anzahl_personen = personen.count()
    fassungen = (
        Fassung.objects.filter(
            status=Fassungsstatus.VEROEFFENTLICHT,
            dokument__verbund_id=kommune.verbund_id,
            dokument__art=Dokumentart.DIENSTANWEISUNG,
            dokument__erfordert_kenntnisnahme=True,
        )
        .filter(Q(dokument__alle_kommunen=True) | Q(dokument__kommunen=kommune))
        .distinct()
    )
    ist = Kenntnisnahme.objects.filter(
        fassung__in=fassungen, benutzer__in=personen, zeitpunkt__lt=ende
    ).count()
    lotsen_oes = set(
        personen.filter(groups__name=Rolle.DIGITALLOTSE)
        .values_list("organisationseinheiten", flat=True)
        .distinct()
    )
    return Tagesstand(
        kommune=kommune,
        oe=None,
        tag=tag,
        aktive_personen_7_tage=woche.values("hochgeladen_von").distinct().count(),
        oes_gesamt=len(oes),
        oes_ohne_lotse=len([oe for oe in oes if oe not in lotsen_oes]),
        kenntnisnahme_soll=anzahl_personen * fassungen.count(),
        kenntnisnahme_ist=ist,
        schulung_teilnahmen=Anmeldung.objects.filter(
            benutzer__kommune=kommune, teilgenommen=True, termin__beginn__lt=ende
        ).count(),
        aktenplaneinheiten_genutzt=Akte.alle.filter(kommune=kommune, angelegt_am__lt=ende)
        .values("aktenplaneinheit")
        .distinct()
        .count(),
    )


def tag_verdichten(*, tag: date, kommunen=None) -> int:
    """Compute the rows of `tag` for the given Kommunen (default: all); returns rows written.
    System code: reads every Kommune's tables through `alle` (no person's Bereich)."""
    kommunen = list(kommunen if kommunen is not None else Kommune.objects.all())
    geschrieben = 0
    for kommune in kommunen:
        zeilen = _kommune_verdichten(kommune, tag)
        with transaction.atomic():
            Tagesstand.alle.filter(kommune=kommune, tag=tag).delete()
            Tagesstand.alle.bulk_create(zeilen)
        geschrieben += len(zeilen)
    return geschrieben


def zeitraum_verdichten(*, von: date, bis: date, kommunen=None, fortschritt=None) -> int:
    """Backfill: every day from `von` to `bis`; `fortschritt(erledigt, gesamt)` after each day."""
    if bis < von:
        raise ValueError("Das Ende liegt vor dem Anfang.")
    gesamt = (bis - von).days + 1
    kommunen = list(kommunen if kommunen is not None else Kommune.objects.all())
    geschrieben = 0
    for i in range(gesamt):
        geschrieben += tag_verdichten(tag=von + timedelta(days=i), kommunen=kommunen)
        if fortschritt:
            fortschritt(i + 1, gesamt)
    return geschrieben
