from django.apps import AppConfig


class AktenConfig(AppConfig):
    name = "eakte.akten"
    label = "akten"
    verbose_name = "Akten, Vorgänge und Dokumente"

    def ready(self) -> None:
        from eakte.common.mandantenbereich import erweiterung_registrieren
        from eakte.kommunen.signale import benutzer_seite, oe_zusammengelegt

        from . import empfaenger, regeln, selectors  # noqa: F401 - regeln registers the rules
        from .views.uebergabe import uebergabe_abschnitt

        erweiterung_registrieren(selectors.kommunen_der_akten_fuer_person)
        erweiterung_registrieren(selectors.kommunen_der_akten_fuer_oes)
        benutzer_seite.connect(uebergabe_abschnitt, dispatch_uid="akten.uebergabe_abschnitt")

        oe_zusammengelegt.connect(
            empfaenger.oe_zusammengelegt, dispatch_uid="akten.oe_zusammengelegt"
        )
