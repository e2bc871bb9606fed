from django.apps import AppConfig


class EingangConfig(AppConfig):
    name = "eakte.eingang"
    verbose_name = "Antragseingang"

    def ready(self) -> None:
        from . import empfaenger, regeln  # noqa: F401 - registers the rules and receivers
