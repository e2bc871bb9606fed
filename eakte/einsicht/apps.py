from django.apps import AppConfig


class EinsichtConfig(AppConfig):
    name = "eakte.einsicht"
    verbose_name = "Akteneinsicht"

    def ready(self) -> None:
        from . import regeln  # noqa: F401 - registers the rules
