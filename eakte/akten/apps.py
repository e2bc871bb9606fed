from django.apps import AppConfig


class AktenConfig(AppConfig):
    name = "eakte.akten"
    label = "akten"
    verbose_name = "Akten, Vorgänge und Dokumente"
