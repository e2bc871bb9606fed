from django.urls import path

from . import views

app_name = "protokoll"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("export.csv", views.csv_export, name="csv"),
    path("kette/", views.kette, name="kette"),
]
