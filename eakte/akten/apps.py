from django.apps import AppConfig


class AktenConfig(AppConfig):
    name = "eakte.akten"
    label = "akten"
    verbose_name = "Akten, Vorgänge und Dokumente"

    def ready(self) -> None:
        from eakte.kommunen.signale import oe_zusammengelegt

        from . import empfaenger, regeln  # noqa: F401 - regeln registers the rules

        oe_zusammengelegt.connect(
            empfaenger.oe_zusammengelegt, dispatch_uid="akten.oe_zusammengelegt"
        )
