from django.apps import AppConfig


class SchulungConfig(AppConfig):
    name = "schulung"
    verbose_name = "Schulung"
