from django.apps import AppConfig
from django.db.models.signals import post_migrate


class KommunenConfig(AppConfig):
    name = "eakte.kommunen"
    label = "kommunen"
    verbose_name = "Verbund, Kommunen und Organisationseinheiten"

    def ready(self) -> None:
        from . import regeln, rollen  # noqa: F401 - regeln registers the rules

        # Roles are plain Django groups; make sure one exists for every role.
        post_migrate.connect(rollen.sync_after_migrate, dispatch_uid="kommunen.rollen")
