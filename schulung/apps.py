from django.apps import AppConfig


class SchulungConfig(AppConfig):
    name = "schulung"
    verbose_name = "Schulung"

    def ready(self) -> None:
        from . import regeln  # noqa: F401  (registers the rules)
