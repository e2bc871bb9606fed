"""Named authorization rules, written once and asked everywhere.

Each app declares its rules in `<app>/regeln.py` with the `rules` package
(`rules.add_rule("akten.schreiben", predicate)`); views, API permission classes, services,
templates (`{% load rules %}{% test_rule "akten.schreiben" user akte as darf %}`) and the menu
ask for the rule by name, never for a role. *Which* objects a person may see at all stays in the
selectors; predicates that concern objects build on them.
"""

from __future__ import annotations

from functools import wraps

import rules
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission


def darf(user, regel: str, obj=None) -> bool:
    """Whether `user` may do `regel` (to `obj`). An unknown rule name is an error, not a no."""
    if not rules.rule_exists(regel):
        raise KeyError(f"Unbekannte Regel: {regel}")
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return rules.test_rule(regel, user, obj)


def pruefen(user, regel: str, obj=None, *, meldung: str = "") -> None:
    """Raise PermissionDenied (403, German message) unless `user` may do `regel`."""
    if not darf(user, regel, obj):
        raise PermissionDenied(meldung or "Dafür fehlt Ihnen die Berechtigung.")


def regel_noetig(regel: str, *, meldung: str = ""):
    """View decorator for rules without an object (pages of a role): 403 with a German text."""

    def dekorator(view):
        @wraps(view)
        def geprueft(request, *args, **kwargs):
            pruefen(request.user, regel, meldung=meldung)
            return view(request, *args, **kwargs)

        return geprueft

    return dekorator


class RegelErlaubnis(BasePermission):
    """DRF permission: `permission_classes = [IsAuthenticated, RegelErlaubnis.fuer("x.y")]`.

    Without an object the rule is asked with `obj=None`; `has_object_permission` asks it with the
    object, for rules that concern one object.
    """

    regel: str = ""
    objekt_regel: str = ""
    message = "Dafür fehlt Ihnen die Berechtigung."

    @classmethod
    def fuer(cls, regel: str = "", *, objekt: str = "", meldung: str = ""):
        return type(
            "RegelErlaubnis",
            (cls,),
            {"regel": regel, "objekt_regel": objekt, "message": meldung or cls.message},
        )

    def has_permission(self, request, view) -> bool:
        return not self.regel or darf(request.user, self.regel)

    def has_object_permission(self, request, view, obj) -> bool:
        return not self.objekt_regel or darf(request.user, self.objekt_regel, obj)
