"""Staff login, organisation switch, team and token management (owners)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eyelevel.accounts import services
from eyelevel.accounts.forms import MemberForm, RoleForm, TokenForm
from eyelevel.accounts.middleware import ACTIVE_ORGANISATION_SESSION_KEY
from eyelevel.core.errors import DomainError
from eyelevel.core.permissions import DASHBOARD_VIEW, TOKENS_MANAGE, USERS_MANAGE
from eyelevel.core.web import staff_required


class StaffLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class StaffLogoutView(auth_views.LogoutView):
    pass


@require_POST
@staff_required(DASHBOARD_VIEW)
def switch_organisation(request: HttpRequest) -> HttpResponse:
    organisation_id = int(request.POST.get("organisation_id", "0") or 0)
    choices = {m.organisation_id for m in request.staff_memberships}
    if organisation_id in choices:
        request.session[ACTIVE_ORGANISATION_SESSION_KEY] = organisation_id
    return redirect("core:dashboard")


@staff_required(USERS_MANAGE)
def team(request: HttpRequest) -> HttpResponse:
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_member(organisation=request.organisation, actor=request.staff, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.detail)
        else:
            messages.success(request, _("Member added."))
            return redirect("accounts:team")
    members = services.list_members(organisation=request.organisation)
    return render(request, "accounts/team.html", {"members": members, "form": form, "role_form": RoleForm()})


@require_POST
@staff_required(USERS_MANAGE)
def change_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    try:
        services.change_role(organisation=request.organisation, actor=request.staff,
                             membership_id=membership_id, role=request.POST.get("role", ""))
        messages.success(request, _("Role changed."))
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.detail)
    return redirect("accounts:team")


@require_POST
@staff_required(USERS_MANAGE)
def remove_member(request: HttpRequest, membership_id: int) -> HttpResponse:
    try:
        services.remove_member(organisation=request.organisation, actor=request.staff, membership_id=membership_id)
        messages.success(request, _("Member removed."))
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.detail)
    return redirect("accounts:team")


@staff_required(TOKENS_MANAGE)
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_secret = services.create_token(
                organisation=request.organisation, actor=request.staff, **form.cleaned_data
            )
            form = TokenForm()
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.detail)
    return render(request, "accounts/tokens.html", {
        "tokens": services.list_tokens(organisation=request.organisation), "form": form, "new_secret": new_secret,
    })


@require_POST
@staff_required(TOKENS_MANAGE)
def revoke_token(request: HttpRequest, integrator_token_id: int) -> HttpResponse:
    services.revoke_token(organisation=request.organisation, actor=request.staff, token_id=integrator_token_id)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")
