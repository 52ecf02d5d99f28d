"""Mounted under /<county_slug>/notifications/ by jwp/urls.py."""

app_name = "notifications"
urlpatterns: list = []
