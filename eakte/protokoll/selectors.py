"""Who may read which part of the Protokoll.

Only the Datenschutz role (rule `protokoll.lesen`) reads the Protokoll, and only
the chain of its own Kommune: that includes what people of other Kommunen did on this Kommune's
Akten (through an explicit share), never what this Kommune's people did elsewhere.
"""

import re
import uuid
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone

from eakte.common.regeln import darf

from .models import Protokolleintrag


def darf_protokoll_lesen(user) -> bool:
    """The rule `protokoll.lesen` (the menu, the page and the API ask the same)."""
    return darf(user, "protokoll.lesen")


def protokoll_fuer(user) -> QuerySet[Protokolleintrag]:
    """The entries of the user's own Kommune, newest first; none() for everybody else."""
    if not darf_protokoll_lesen(user):
        return Protokolleintrag.objects.none()
    return Protokolleintrag.objects.filter(kommune_id=user.kommune_id).order_by("-laufnummer")


def _als_uuid(wert: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(wert.strip())
    except ValueError:
        return None


def nach_benutzer(eintraege: QuerySet, benutzer: str) -> QuerySet:
    """By the person as the person picker fills it in ("Anna Schäfer (a.schaefer)"), by login
    name, full name ("Anna Schäfer", "Schäfer, Anna"; case-insensitive) or the person's UUID."""
    kennung = _als_uuid(benutzer)
    if kennung is not None:
        return eintraege.filter(benutzer__uuid=kennung)
    text = benutzer.strip()
    klammer = re.search(r"\(([^()]+)\)\s*$", text)
    if klammer:
        return eintraege.filter(benutzer__username__iexact=klammer.group(1).strip())
    return eintraege.annotate(
        _voller_name=Concat("benutzer__first_name", Value(" "), "benutzer__last_name"),
        _name_umgekehrt=Concat("benutzer__last_name", Value(", "), "benutzer__first_name"),
    ).filter(
        Q(benutzer__username__iexact=text)
        | Q(_voller_name__iexact=text)
        | Q(_name_umgekehrt__iexact=text)
        | Q(benutzer_name__iexact=text)
    )


def nach_akte(eintraege: QuerySet, akte: str) -> QuerySet:
    """By the Akte's UUID, or by its Aktenzeichen (or the beginning of it, e.g. `ERB-0.2.01`)."""
    kennung = _als_uuid(akte)
    if kennung is not None:
        return eintraege.filter(akte_uuid=kennung)
    return eintraege.filter(aktenzeichen__istartswith=akte.strip())


def _tagesbeginn(tag: date) -> datetime:
    """Midnight of `tag` in the project's time zone (Europe/Berlin)."""
    return timezone.make_aware(datetime.combine(tag, time.min))


def ab_tag(eintraege: QuerySet, von: date) -> QuerySet:
    return eintraege.filter(zeitpunkt__gte=_tagesbeginn(von))


def bis_tag(eintraege: QuerySet, bis: date) -> QuerySet:
    """Up to and including the whole day `bis`."""
    if bis >= date.max:  # 31.12.9999: the day after cannot be written, and nothing is later
        return eintraege
    return eintraege.filter(zeitpunkt__lt=_tagesbeginn(bis + timedelta(days=1)))


def gefiltert(
    eintraege: QuerySet,
    *,
    benutzer: str = "",
    akte: str = "",
    aktion: str = "",
    von: date | None = None,
    bis: date | None = None,
) -> QuerySet[Protokolleintrag]:
    """The filters of the Protokoll page, the CSV export and the API in one place."""
    if benutzer:
        eintraege = nach_benutzer(eintraege, benutzer)
    if akte:
        eintraege = nach_akte(eintraege, akte)
    if aktion:
        eintraege = eintraege.filter(aktion=aktion)
    if von:
        eintraege = ab_tag(eintraege, von)
    if bis:
        eintraege = bis_tag(eintraege, bis)
    return eintraege
