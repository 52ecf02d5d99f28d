"""Mounted under /<county_slug>/calendar/ by jwp/urls.py."""

app_name = "calendars"
urlpatterns: list = []
