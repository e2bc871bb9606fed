from django.apps import AppConfig


class IdentitaetConfig(AppConfig):
    name = "eakte.identitaet"
    label = "identitaet"
    verbose_name = "Anmeldung: Verzeichnisse, OpenID Connect und zweiter Faktor"

    def ready(self) -> None:
        from . import regeln, signale  # noqa: F401 - rules and receivers register themselves
