"""Receivers of signals from the apps below akten (connected in AktenConfig.ready)."""

from . import services


def oe_zusammengelegt(sender, *, akteur, quelle, ziel, **kwargs) -> None:
    """The Akten led by a merged OE (and what was shared with it) move to the target OE."""
    services.akten_der_oe_uebernehmen(akteur=akteur, quelle=quelle, ziel=ziel)
