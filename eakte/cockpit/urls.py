from django.urls import path

from . import views

app_name = "cockpit"

urlpatterns = [
    path("", views.start, name="start"),
    path("verbund/", views.verbund, name="verbund"),
    path("verbund/csv/<str:zahl>/", views.verbund_csv, name="verbund_csv"),
    path("kommune/<slug:slug>/", views.kommune, name="kommune"),
    path("kommune/<slug:slug>/csv/<str:zahl>/", views.kommune_csv, name="kommune_csv"),
    path("kommune/<slug:slug>/bericht/<int:jahr>/<int:monat>/", views.bericht, name="bericht"),
]
