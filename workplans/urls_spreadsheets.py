"""Routes of the spreadsheets area (mounted by workplans/urls.py)."""

from django.urls import path

from workplans.views import spreadsheets

urlpatterns = [
    path("<int:plan_id>/spreadsheets/", spreadsheets.plan_spreadsheets, name="spreadsheets"),
    path("<int:plan_id>/export.xlsx", spreadsheets.plan_export, name="plan_export"),
]
for _what in ("activities", "budget-lines"):
    _name = _what.replace("-", "_")
    urlpatterns += [
        path(
            f"<int:plan_id>/import/{_what}/",
            spreadsheets.plan_import,
            {"what": _what},
            name=f"import_{_name}",
        ),
        *(
            path(
                f"<int:plan_id>/import/{_what}/template.{_kind}",
                spreadsheets.import_template,
                {"what": _what, "file_kind": _kind},
                name=f"import_{_name}_template_{_kind}",
            )
            for _kind in ("xlsx", "csv")
        ),
    ]
