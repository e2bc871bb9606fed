from django.apps import AppConfig


class SignaturConfig(AppConfig):
    name = "eakte.signatur"
    label = "signatur"
    verbose_name = "Elektronische Signatur"

    def ready(self) -> None:
        from eakte.akten.signale import dokument_seite
        from eakte.geschaeftsgang.signale import schlussgezeichnet

        from . import empfaenger, regeln  # noqa: F401 - regeln registers the rules

        schlussgezeichnet.connect(empfaenger.signieren, dispatch_uid="signatur.signieren")
        dokument_seite.connect(empfaenger.signaturen_zeigen, dispatch_uid="signatur.zeigen")
