"""The county's reminder e-mails (secretariat): mounted under /<county_slug>/reminders/."""

from django.urls import path

from notifications import views

app_name = "notifications_county"
urlpatterns = [
    path("emails/", views.county_deliveries, name="deliveries"),
    path("emails/<int:delivery_id>/retry/", views.delivery_retry, name="delivery_retry"),
]
