"""Receivers of the records' signals: a new Vorgang gets its reply token, a Vorgang closed (zdA)
tells the platform."""

from django.dispatch import receiver

from eakte.akten import signale as akten_signale

from . import services


@receiver(akten_signale.vorgang_zda_verfuegt, dispatch_uid="eingang-vorgang-abgeschlossen")
def vorgang_abgeschlossen(sender, vorgang_id: int, **kwargs) -> None:
    services.vorgang_abgeschlossen(vorgang_id=vorgang_id)


@receiver(akten_signale.vorgang_angelegt, dispatch_uid="eingang-vorgang-angelegt")
def vorgang_angelegt(sender, vorgang, **kwargs) -> None:
    services.antwortkennung_vergeben(vorgang=vorgang)
