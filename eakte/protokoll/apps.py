from django.apps import AppConfig


class ProtokollConfig(AppConfig):
    name = "eakte.protokoll"
    label = "protokoll"
    verbose_name = "Protokoll"

    def ready(self) -> None:
        from . import regeln, signale  # noqa: F401  (rules; login and logout are logged)
