from django.apps import AppConfig


class CockpitConfig(AppConfig):
    name = "eakte.cockpit"
    verbose_name = "Digitalisierungs-Cockpit"

    def ready(self) -> None:
        from . import regeln  # noqa: F401 - registers the rules
