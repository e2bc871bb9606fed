from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "eakte.common"
    label = "common"
    verbose_name = "Gemeinsame Bausteine"
