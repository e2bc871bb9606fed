"""The tenancy safety net: no query on a Kommune's rows without an active scope (Bereich).

Selectors decide what a person may see; this module makes a forgotten selector fail loudly
instead of leaking. The manager of every model owned by a Kommune (`Mandantenmanager`) adds
`kommune_id IN <Bereich>` to each query, and refuses to run when no Bereich is active:

- a request gets the Bereich of its person (`MandantenbereichMiddleware`), computed lazily on the
  first tenant query from `request.user` (DRF authenticates API keys inside the view, after the
  middleware, and sets the user on the HttpRequest; the Bereich follows);
- Celery tasks and management commands run in `systembereich(grund)`: everything, said explicitly;
- code that must cross Kommunen on purpose (the Protokoll chain, the per-Kommune content
  dedupe, the Verbund's OEs for sharing) uses the second manager, `Model.alle`.

With no Bereich, `KeinMandantenbereich` is raised when `settings.MANDANTENBEREICH_STRENG` is on
(tests, DEBUG); in production the query is logged as an ERROR with a stack excerpt and returns
nothing (an empty page is a bug report; rows of another Kommune would be a data breach).
Modelled on django-scopes (pretalx), written small for one scope dimension.
"""

from __future__ import annotations

import contextlib
import logging
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar

from django.conf import settings
from django.db import models
from django.http import FileResponse

logger = logging.getLogger("eakte.mandantenbereich")


class KeinMandantenbereich(Exception):
    """A query on a Kommune's rows ran without an active Bereich."""


class Bereich:
    """An active scope: a fixed set of Kommune ids, the whole system, or a request's person."""

    def __init__(self, *, kommune_ids=None, system: bool = False, grund: str = "", anfrage=None):
        self.system = system
        self.grund = grund
        self.anfrage = anfrage
        self._ids = frozenset(kommune_ids) if kommune_ids is not None else None
        self._berechnet_fuer = _NICHTS

    def kommune_ids(self) -> frozenset[int] | None:
        """The Kommune ids to filter by; None for everything (system); raises without a person."""
        if self.system:
            return None
        if self.anfrage is None:
            return self._ids
        # The person of a request may change during it (DRF authenticates in the view, login and
        # logout switch it): recompute when `request.user` is another object.
        user = getattr(self.anfrage, "user", None)
        if user is not self._berechnet_fuer:
            self._berechnet_fuer = user
            self._ids = _ids_der_person(user)
        return self._ids

    def __repr__(self) -> str:
        if self.system:
            return f"<Bereich System: {self.grund}>"
        if self.anfrage is not None:
            return "<Bereich der Anfrage>"
        return f"<Bereich {sorted(self._ids or ())}>"


_NICHTS = object()
_KEINER = "keiner"  # a person-less request: no Bereich, like no scope at all
_aktiv: ContextVar[Bereich | None] = ContextVar("mandantenbereich", default=None)


def _ids_der_person(user):
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return _KEINER
    return bereich_fuer(user)


# Functions of higher apps that widen a person's Bereich: each takes the person and returns a
# queryset of Kommune ids (`.values("kommune_id")`), read as a subquery of the one Bereich query.
# akten registers the Kommunen of Akten shared with the person (common must not import akten).
_ERWEITERUNGEN: list[Callable] = []


def erweiterung_registrieren(funktion: Callable) -> None:
    if funktion not in _ERWEITERUNGEN:
        _ERWEITERUNGEN.append(funktion)


def bereich_fuer(user) -> frozenset[int] | None:
    """The Kommunen a person may touch at all (one query): the home Kommune; what the registered
    widenings add (akten: the Kommunen of Akten shared with them or one of their OEs, in their
    Verbund); for a Verbund-Admin every Kommune of the Verbund (they administer its OEs and
    people). A superuser (Django admin) gets everything.

    This is a net, not the rule: inside these Kommunen the selectors still decide.
    """
    from django.db.models import Q

    from eakte.common.regeln import darf
    from eakte.kommunen.models import Kommune

    if user.is_superuser:
        return None
    verbund = Kommune.objects.filter(pk=user.kommune_id).values("verbund_id")
    if darf(user, "kommunen.verbund_verwalten"):
        bedingung = Q(pk=user.kommune_id) | Q(verbund_id__in=verbund)
    else:
        geteilt = Q(pk__in=[])
        for erweiterung in _ERWEITERUNGEN:
            geteilt |= Q(pk__in=erweiterung(user))
        # widenings stay inside the person's Verbund
        bedingung = Q(pk=user.kommune_id) | (geteilt & Q(verbund_id__in=verbund))
    return frozenset(Kommune.objects.filter(bedingung).values_list("pk", flat=True))


def aktiver_bereich() -> Bereich | None:
    return _aktiv.get()


@contextlib.contextmanager
def _aktivieren(neuer: Bereich | None) -> Iterator[Bereich | None]:
    token = _aktiv.set(neuer)
    try:
        yield neuer
    finally:
        _aktiv.reset(token)


def systembereich(grund: str):
    """Everything, explicitly: tasks, commands, demo data. `grund` names who needs it."""
    if not grund:
        raise ValueError("Der Systembereich braucht einen Grund.")
    return _aktivieren(Bereich(system=True, grund=grund))


def bereich(kommune_ids: Iterable[int]):
    """Exactly these Kommunen (overrides an outer Bereich, also the system's)."""
    return _aktivieren(Bereich(kommune_ids=kommune_ids))


def ohne_bereich():
    """No Bereich at all (a person-less request; tests of the net itself)."""
    return _aktivieren(None)


def bereich_kennung():
    """What `eingrenzen` filters by right now (Kommune ids, None for the system, or "keiner"):
    a key for anything that keeps a queryset built under the active Bereich."""
    aktiv = _aktiv.get()
    return aktiv.kommune_ids() if aktiv is not None else _KEINER


def eingrenzen(queryset: models.QuerySet) -> models.QuerySet:
    """`queryset` restricted to the active Bereich; raises or logs without one."""
    ids = bereich_kennung()
    if ids is None:
        return queryset
    if ids is _KEINER:
        return _ohne_bereich(queryset)
    return queryset.filter(kommune_id__in=ids)


def _ohne_bereich(queryset: models.QuerySet) -> models.QuerySet:
    meldung = (
        f"Abfrage auf {queryset.model._meta.label} ohne Mandantenbereich: eine Ansicht, Aufgabe "
        "oder ein Befehl hat keinen Bereich geöffnet (Selektor vergessen?)."
    )
    if getattr(settings, "MANDANTENBEREICH_STRENG", False):
        raise KeinMandantenbereich(meldung)
    stapel = "".join(traceback.format_stack(limit=12)[:-2])
    logger.error("%s\n%s", meldung, stapel)
    return queryset.none()


class Mandantenmanager(models.Manager):
    """The default manager of a Kommune's rows: only rows of the active Bereich.

    Related managers (`akte.dokumente`) are built from this class and are scoped too; Django's
    `_base_manager` (forward relations, cascades) stays a plain manager.
    """

    def get_queryset(self) -> models.QuerySet:
        return eingrenzen(super().get_queryset())

    def none(self) -> models.QuerySet:
        # `queryset = Model.objects.none()` on viewsets and forms runs at import, without a
        # Bereich; an empty queryset reveals nothing.
        return super().get_queryset().none()


class MandantenbereichMiddleware:
    """Every request runs in the Bereich of its person (none for anonymous requests).

    Set for every request, so a request never inherits a Bereich from its caller (the test
    client runs inside a test's system Bereich). A streamed body is produced after this returns,
    so its iteration gets the Bereich again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        anfrage = Bereich(anfrage=request)
        with _aktivieren(anfrage):
            response = self.get_response(request)
        if response.streaming and not isinstance(response, FileResponse):
            response.streaming_content = _im_bereich(response.streaming_content, anfrage)
        return response


def _im_bereich(teile: Iterable, aktiv: Bereich) -> Iterator:
    iterator = iter(teile)
    while True:
        with _aktivieren(aktiv):
            try:
                teil = next(iterator)
            except StopIteration:
                return
        yield teil


class Systembefehl:
    """Mixin for management commands: the command runs in the system Bereich (its name)."""

    def execute(self, *args, **options):
        name = type(self).__module__.rsplit(".", 1)[-1]
        with systembereich(f"Befehl {name}"):
            return super().execute(*args, **options)
