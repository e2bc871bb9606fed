"""Signals of the tenancy for the apps built on it (they must not be imported from here)."""

from django.dispatch import Signal

# Sent inside the merge's transaction with `akteur`, `quelle` and `ziel` (Organisationseinheit):
# receivers move what belongs to `quelle` to `ziel`; an exception undoes the whole merge.
oe_zusammengelegt = Signal()
