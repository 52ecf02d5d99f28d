from django.apps import AppConfig


class JwpConfig(AppConfig):
    name = "jwp"
    verbose_name = "jwp platform"
