from django.apps import AppConfig


class AktenplanConfig(AppConfig):
    name = "aktenplan"
    verbose_name = "Aktenplan"

    def ready(self) -> None:
        from . import regeln  # noqa: F401  (registers the rules)
