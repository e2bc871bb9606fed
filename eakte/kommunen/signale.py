"""Signals of the tenancy for the apps built on it (they must not be imported from here)."""

from django.dispatch import Signal

# Sent inside the merge's transaction with `akteur`, `quelle` and `ziel` (Organisationseinheit):
# receivers move what belongs to `quelle` to `ziel`; an exception undoes the whole merge.
oe_zusammengelegt = Signal()

# Sent while a person's page in the user administration is rendered, with `request` and
# `benutzer`: receivers return a rendered section (HTML) or "". akten adds the handover of a
# leaving person's Wiedervorlagen and shares this way.
benutzer_seite = Signal()
