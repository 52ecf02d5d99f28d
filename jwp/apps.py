from django.apps import AppConfig


class JwpConfig(AppConfig):
    name = "jwp"
    verbose_name = "jwp platform"

    def ready(self) -> None:
        from jwp.account import gate  # noqa: F401  (connects the log-in receiver)
