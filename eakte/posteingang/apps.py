from django.apps import AppConfig


class PosteingangConfig(AppConfig):
    name = "eakte.posteingang"
    verbose_name = "Posteingang"
