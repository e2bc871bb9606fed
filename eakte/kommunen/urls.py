from django.urls import path

from . import views

app_name = "kommunen"

urlpatterns = [
    path("", views.kommune_liste, name="liste"),
    path("<slug:slug>/", views.kommune_detail, name="detail"),
    path("<slug:slug>/benutzer/", views.benutzer_liste, name="benutzer"),
    path("<slug:slug>/oe/<uuid:uuid>/", views.oe_detail, name="oe"),
]
