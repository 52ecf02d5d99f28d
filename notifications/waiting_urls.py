"""What waits for the member in one county: mounted under /<county_slug>/waiting/."""

from django.urls import path

from notifications import views

app_name = "waiting"
urlpatterns = [
    path("", views.waiting, name="page"),
    path("count/", views.waiting_count, name="count"),
]
