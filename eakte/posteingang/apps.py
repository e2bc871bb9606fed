from django.apps import AppConfig


class PosteingangConfig(AppConfig):
    name = "eakte.posteingang"
    verbose_name = "Posteingang"

    def ready(self) -> None:
        from . import regeln  # noqa: F401 - registers the rules
