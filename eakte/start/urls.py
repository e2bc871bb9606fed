from django.urls import path

from . import views

app_name = "start"

urlpatterns = [
    path("", views.startseite, name="startseite"),
    path("hilfe/", views.hilfe, name="hilfe"),
    path("barrierefreiheit/", views.barrierefreiheit, name="barrierefreiheit"),
]
