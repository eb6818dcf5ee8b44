"""Back-office admin for platform operators (superusers), who see every organisation on purpose."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from eyelevel.core.models import Organisation


class TenantAdmin(admin.ModelAdmin):
    list_filter = ["organisation"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.model.objects.unscoped()


admin.site.register(Organisation)
