"""Mounted under /<county_slug>/progress/ by jwp/urls.py."""

app_name = "progress"
urlpatterns: list = []
