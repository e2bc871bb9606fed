from django.urls import path

from . import views

app_name = "suche"

urlpatterns = [
    path("", views.suche, name="suche"),
    path("vorschlaege/", views.vorschlaege, name="vorschlaege"),
]
