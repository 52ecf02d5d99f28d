"""The login backend: Django's password check behind ``jwp.login_throttle``."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from jwp import login_throttle


class ThrottledModelBackend(ModelBackend):
    """Refuses (without checking the password) while the address or account must wait.

    A refusal raises ``PermissionDenied``, which stops ``authenticate()``; the wait is
    left on ``request.login_wait`` for the login page to say so (429)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return super().authenticate(request, username=username, password=password, **kwargs)
        username = username.strip().lower()
        user_pk = (
            get_user_model().objects.filter(email__iexact=username).values_list("pk", flat=True)
        ).first()
        wait = login_throttle.wait_seconds(request, username, user_pk)
        if wait:
            request.login_wait = wait
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_throttle.record_failure(request, username, user_pk)
        else:
            login_throttle.record_success(request, username)
        return user
