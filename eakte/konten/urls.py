from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "konten"

urlpatterns = [
    path("anmelden/", views.AnmeldenView.as_view(), name="anmelden"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="abmelden"),
    path("konto/", views.konto, name="konto"),
    path("konto/passwort/", views.PasswortAendernView.as_view(), name="passwort"),
    path("konto/mitteilungen/", views.mitteilungen, name="mitteilungen"),
    path("konto/api-schluessel/", views.api_token_erneuern, name="token_erneuern"),
    path("konto/api-schluessel/loeschen/", views.api_token_loeschen, name="token_loeschen"),
    path(
        "passwort/neu/<uidb64>/<token>/",
        views.PasswortSetzenView.as_view(),
        name="passwort_setzen",
    ),
]
