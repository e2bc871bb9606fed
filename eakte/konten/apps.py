from django.apps import AppConfig


class KontenConfig(AppConfig):
    name = "eakte.konten"
    label = "konten"
    verbose_name = "Anmeldung und Benutzerkonto"
