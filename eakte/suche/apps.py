from django.apps import AppConfig


class SucheConfig(AppConfig):
    name = "eakte.suche"
    label = "suche"
    verbose_name = "Suche"
