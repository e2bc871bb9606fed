from django.apps import AppConfig


class BetriebConfig(AppConfig):
    """Operating the installation: moving the file store, backup, restore and the drill."""

    name = "eakte.betrieb"
    label = "betrieb"
    verbose_name = "Betrieb"

    def ready(self) -> None:
        from .metriken import signale_verbinden

        signale_verbinden()
