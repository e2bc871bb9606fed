from django.urls import path

from . import views

app_name = "ocr"

urlpatterns = [
    path("", views.meine, name="meine"),
    path("versionen/<uuid:version_uuid>/status/", views.status, name="status"),
    path("versionen/<uuid:version_uuid>/erneut/", views.erneut_versuchen, name="erneut"),
    path("versionen/<uuid:version_uuid>/archiv/", views.archiv, name="archiv"),
    path("versionen/<uuid:version_uuid>/vorschaubild/", views.vorschaubild, name="vorschaubild"),
]
