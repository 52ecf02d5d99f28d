"""Mounted under /<county_slug>/learning/ by jwp/urls.py."""

app_name = "learning"
urlpatterns: list = []
