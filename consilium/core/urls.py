from django.urls import path

from consilium.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
    path("health/", views.health, name="health"),
    path("floor/", views.floor, name="floor"),
]
