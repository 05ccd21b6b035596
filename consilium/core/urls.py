"""The shell's own routes. ``consilium/urls.py`` mounts them in the ``core`` namespace together
with the home page and the language switch, whose views belong to the directory and to the
accounts."""

from django.urls import path

from consilium.core import views

urlpatterns = [
    path("health/", views.health, name="health"),
    path("floor/", views.floor, name="floor"),
]
