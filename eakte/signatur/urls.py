from django.urls import path

from . import views

app_name = "signatur"

urlpatterns = [
    path("zertifikat/", views.zertifikat, name="zertifikat"),
]
