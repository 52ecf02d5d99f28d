"""Mounted under /<county_slug>/calendar/ by jwp/urls.py (the token feeds are global:
``calendar/feeds/<token>.ics`` in jwp/urls.py)."""

from django.urls import path

from calendars import views

app_name = "calendars"
urlpatterns = [
    path("", views.month_view, name="month"),
    path("list/", views.list_view, name="list"),
    path("clash/", views.clash_view, name="clash"),
    path("events/new/", views.event_edit, name="event_new"),
    path("events/<int:event_id>/", views.event_detail, name="event"),
    path("events/<int:event_id>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:event_id>/delete/", views.event_delete, name="event_delete"),
    path("feeds/", views.feeds, name="feeds"),
]
