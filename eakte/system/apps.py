from django.apps import AppConfig


class SystemConfig(AppConfig):
    name = "eakte.system"
    label = "system"
    verbose_name = "Systemzustand"
