from django.apps import AppConfig


class AussonderungConfig(AppConfig):
    name = "eakte.aussonderung"
    verbose_name = "Aussonderung und Löschung"

    def ready(self) -> None:
        from . import regeln  # noqa: F401 - registers the rules
