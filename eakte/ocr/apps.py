from django.apps import AppConfig


class OcrConfig(AppConfig):
    name = "eakte.ocr"
    label = "ocr"
    verbose_name = "Texterkennung (OCR)"

    def ready(self) -> None:
        from eakte.akten import signale

        from . import regeln, services  # noqa: F401 - regeln registers the rules

        # every newly stored file of the records is queued for recognition
        signale.datei_gespeichert.connect(
            services.bei_datei_gespeichert, dispatch_uid="ocr.datei_gespeichert"
        )
