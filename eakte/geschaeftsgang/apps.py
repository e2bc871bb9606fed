from django.apps import AppConfig


class GeschaeftsgangConfig(AppConfig):
    name = "eakte.geschaeftsgang"
    label = "geschaeftsgang"
    verbose_name = "Geschäftsgang"

    def ready(self) -> None:
        from eakte.akten.signale import vorgang_seite, zda_pruefen

        from . import empfaenger, regeln  # noqa: F401 - regeln registers the rules

        zda_pruefen.connect(empfaenger.zda_pruefen, dispatch_uid="geschaeftsgang.zda_pruefen")
        vorgang_seite.connect(
            empfaenger.geschaeftsgangvermerk, dispatch_uid="geschaeftsgang.vermerk"
        )
