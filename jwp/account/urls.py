from django.urls import path

from jwp.account import views

app_name = "account"
urlpatterns = [
    path("", views.account, name="home"),
    path("logout-everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("two-factor/set-up/", views.two_factor_enrol, name="two_factor_enrol"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/turn-off/", views.two_factor_disable, name="two_factor_disable"),
    path("two-factor/backup-codes/", views.backup_codes, name="backup_codes"),
]
