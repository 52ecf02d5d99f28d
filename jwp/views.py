"""Platform pages: the landing page, login, health check."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from counties.models import County
from jwp import login_throttle, ratelimit
from jwp.access import my_memberships


def home(request):
    """Members land in their county (or choose one); visitors see the counties."""
    if request.user.is_authenticated:
        memberships = my_memberships(request)
        wanted = request.GET.get("county")  # the county switcher without JavaScript
        for membership in memberships:
            if membership.county.slug == wanted or len(memberships) == 1:
                return redirect(membership.county)
        return render(request, "home.html", {"memberships": memberships})
    return render(request, "home.html", {"counties": County.objects.all()})


home.public = True


class LoginView(auth_views.LoginView):
    """Log in; a throttled attempt gets a 429 page saying how long to wait."""

    redirect_authenticated_user = True

    def form_invalid(self, form):
        wait = getattr(self.request, "login_wait", 0)
        if wait:
            return render(
                self.request,
                "registration/locked_out.html",
                {"wait_seconds": wait, "wait_minutes": max(1, round(wait / 60))},
                status=429,
            )
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        login_throttle.remember_device(response, form.get_user())
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Reset links are limited per client address and per account (L2).

    Over the account's limit the request is answered exactly like any other (no e-mail
    is sent), so the page never tells whether an account exists; over the address's
    limit the client is asked to wait, whatever e-mail it typed."""

    def form_valid(self, form):
        hour = 60 * 60
        if not ratelimit.allow_request(
            self.request,
            "password-reset-address",
            limit=settings.JWP_PASSWORD_RESETS_PER_ADDRESS,
            period=hour,
        ):
            return render(self.request, "registration/password_reset_wait.html", status=429)
        email = form.cleaned_data["email"].strip().lower()
        if not ratelimit.hit(
            "password-reset-account",
            email,
            limit=settings.JWP_PASSWORD_RESETS_PER_ACCOUNT,
            period=hour,
        ):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


@never_cache
def healthz(request) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


healthz.public = True
