"""Platform pages: the landing page, login, health check."""

from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from counties.models import County
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
    redirect_authenticated_user = True


@never_cache
def healthz(request) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


healthz.public = True


def axes_username(request, credentials) -> str:
    """The e-mail a login attempt was for, lower-cased so case variants share a counter."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()
