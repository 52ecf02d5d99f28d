"""The upload form of the stakeholder import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from counties.services.imports import import_read_file

__all__ = ["ImportUploadForm"]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("At most 2 MB and 1,000 rows. The content is checked, not the name."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.parsed = import_read_file(upload)
        return upload
