"""Mounted under /<county_slug>/documents/ by jwp/urls.py."""

app_name = "documents"
urlpatterns: list = []
