from django.urls import path

from . import views

app_name = "akten"

urlpatterns = [
    path("", views.meine, name="meine"),
]
