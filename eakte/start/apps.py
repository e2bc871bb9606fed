from django.apps import AppConfig


class StartConfig(AppConfig):
    name = "eakte.start"
    label = "start"
    verbose_name = "Startseite"
