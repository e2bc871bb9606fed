from django.apps import AppConfig


class AktenConfig(AppConfig):
    name = "eakte.akten"
    label = "akten"
    verbose_name = "Akten, Vorgänge und Dokumente"

    def ready(self) -> None:
        from . import regeln  # noqa: F401 - registers the rules
