"""Forms of generated documents: the request (a report's quarter), the list filter,
and the public check of a PDF."""

from __future__ import annotations

import hashlib
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from documents.models import DocumentKind, JobStatus
from jwp.uploads import validate_document

MAX_VERIFY_BYTES = 20 * 1024 * 1024
QUARTER_CHOICES = [(q, _("Q%(q)s") % {"q": q}) for q in (1, 2, 3, 4)]


class ReportRequestForm(forms.Form):
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTER_CHOICES, coerce=int)

    def __init__(self, *args, quarters=None, **kwargs):
        """``quarters``: the only ones offered (those the member may request)."""
        super().__init__(*args, **kwargs)
        if quarters is not None:
            self.fields["quarter"].choices = [c for c in QUARTER_CHOICES if c[0] in quarters]


class JobFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Document"),
        choices=[("", _("All documents")), *DocumentKind.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *JobStatus.choices], required=False
    )


SHA256 = re.compile(r"^[0-9a-f]{64}$")


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("The PDF you hold"),
        required=False,
        help_text=_(
            "PDF only, up to 20 MB. The file is read to compute its fingerprint, not kept."
        ),
    )
    sha256 = forms.CharField(
        label=_("…or its SHA-256 fingerprint"),
        required=False,
        max_length=80,
        help_text=_("64 hexadecimal characters, e.g. from sha256sum."),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_document(upload, kinds=("pdf",), max_bytes=MAX_VERIFY_BYTES)
        return upload

    def clean_sha256(self):
        value = "".join(self.cleaned_data.get("sha256", "").split()).lower()
        if value and not SHA256.match(value):
            raise ValidationError(_("A SHA-256 fingerprint is 64 characters 0–9 and a–f."))
        return value

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        upload, typed = data.get("file"), data.get("sha256")
        if not upload and not typed:
            raise ValidationError(_("Choose the PDF file, or paste its SHA-256 fingerprint."))
        if upload:
            digest = hashlib.sha256()
            upload.seek(0)
            for chunk in upload.chunks():
                digest.update(chunk)
            data["digest"] = digest.hexdigest()
        else:
            data["digest"] = typed
        return data
