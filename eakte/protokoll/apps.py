from django.apps import AppConfig


class ProtokollConfig(AppConfig):
    name = "eakte.protokoll"
    label = "protokoll"
    verbose_name = "Protokoll"

    def ready(self) -> None:
        from . import signale  # noqa: F401  (login and logout are written to the Protokoll)
