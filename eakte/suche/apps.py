from django.apps import AppConfig


class SucheConfig(AppConfig):
    name = "eakte.suche"
    label = "suche"
    verbose_name = "Suche"

    def ready(self) -> None:
        from eakte.akten import signale

        from . import services

        # the index follows every write of the records, in the writing transaction
        signale.dokumente_geaendert.connect(
            services.bei_dokumente_geaendert, dispatch_uid="suche.dokumente_geaendert"
        )
        signale.akte_geaendert.connect(
            services.bei_akte_geaendert, dispatch_uid="suche.akte_geaendert"
        )
        signale.oe_umgehaengt.connect(
            services.bei_oe_umgehaengt, dispatch_uid="suche.oe_umgehaengt"
        )
