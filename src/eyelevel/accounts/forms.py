from django import forms
from django.utils.translation import gettext_lazy as _

from eyelevel.core.permissions import Role


class MemberForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    team = forms.CharField(label=_("Team"), max_length=100, required=False)
    password = forms.CharField(
        label=_("Initial password"), widget=forms.PasswordInput, required=False,
        help_text=_("Leave empty for an existing user."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    access_reason = forms.CharField(
        label=_("Why does this integration read personal data?"), max_length=300,
        help_text=_("Customers see this reason in their access log."),
    )
