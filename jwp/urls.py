from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from calendars import views as calendar_views
from documents import public as documents_public
from jwp import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/", include("jwp.account.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # Swagger UI's page carries one inline <style>; everything else stays 'self'.
        csp_update({"style-src": ["'self'", "'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("api/v1/", include("jwp.api_urls")),
    # Calendar feeds by secret token (no login; before the county workspaces).
    path("calendar/feeds/<str:token>.ics", calendar_views.feed, name="calendar_feed"),
    # The user's own notifications across their counties (before the county routes).
    path("notifications/", include("notifications.urls")),
    # Public check of a generated PDF (documents): before the county routes.
    path("verify/", documents_public.verify, name="verify"),
    # County workspaces last: /<county_slug>/...
    path("<slug:county_slug>/sector-plans/", include("sectorplans.urls")),
    path("<slug:county_slug>/work-plans/", include("workplans.urls")),
    path("<slug:county_slug>/monitoring/", include("monitoring.urls")),
    path("<slug:county_slug>/progress/", include("progress.urls")),
    path("<slug:county_slug>/learning/", include("learning.urls")),
    path("<slug:county_slug>/calendar/", include("calendars.urls")),
    path("<slug:county_slug>/documents/", include("documents.urls")),
    path("<slug:county_slug>/reminders/", include("notifications.county_urls")),
    path("<slug:county_slug>/waiting/", include("notifications.waiting_urls")),
    path("<slug:county_slug>/", include("counties.urls")),
]
