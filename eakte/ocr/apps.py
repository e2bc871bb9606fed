from django.apps import AppConfig


class OcrConfig(AppConfig):
    name = "eakte.ocr"
    label = "ocr"
    verbose_name = "Texterkennung (OCR)"
