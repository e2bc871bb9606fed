from django.apps import AppConfig


class AktenplanConfig(AppConfig):
    name = "aktenplan"
    verbose_name = "Aktenplan"
