from django.apps import AppConfig


class SystemConfig(AppConfig):
    name = "eakte.system"
    label = "system"
    verbose_name = "Systemzustand"

    def ready(self) -> None:
        from . import regeln  # noqa: F401  (registers the rules)
