from django import forms
from django.utils.translation import gettext_lazy as _

from calendars.items import ItemKind
from notifications.models import DeliveryMode, DeliveryStatus


class NotificationFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Unread")), ("all", _("All"))],
    )
    county = forms.ChoiceField(label=_("County"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ItemKind.choices]
    )

    def __init__(self, *args, counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("All my counties"))] + [
            (c.slug, c.name) for c in counties
        ]


class PreferencesForm(forms.Form):
    """One choice per kind of dated item: e-mail immediately, daily digest or in-app only."""

    def __init__(self, *args, modes: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in ItemKind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=DeliveryMode.choices,
                initial=modes.get(kind, DeliveryMode.IMMEDIATE),
                widget=forms.RadioSelect,
            )


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Failed or pending")), *DeliveryStatus.choices, ("all", _("All"))],
    )
