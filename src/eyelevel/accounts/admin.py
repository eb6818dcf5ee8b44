from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from eyelevel.accounts.models import IntegratorToken, Membership, User
from eyelevel.core.admin import TenantAdmin

admin.site.register(User, UserAdmin)


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    list_display = ["user", "organisation", "role", "team"]


@admin.register(IntegratorToken)
class IntegratorTokenAdmin(TenantAdmin):
    list_display = ["name", "organisation", "prefix", "created_at", "revoked_at"]
    exclude = ["secret_hash"]
