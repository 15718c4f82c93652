from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("konto/start/", views.home, name="home"),
    path("konto/profil/", views.profile, name="profile"),
]
