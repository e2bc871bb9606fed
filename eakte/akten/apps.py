from django.apps import AppConfig


class AktenConfig(AppConfig):
    name = "eakte.akten"
    label = "akten"
    verbose_name = "Akten, Vorgänge und Dokumente"

    def ready(self) -> None:
        from eakte.kommunen.signale import oe_zusammengelegt

        from . import signale

        oe_zusammengelegt.connect(signale.oe_zusammengelegt, dispatch_uid="akten.oe_zusammengelegt")
