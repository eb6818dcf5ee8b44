"""URL routes: staff console under /staff/, the portal under /portal/, the API under /api/v1/."""

from importlib import import_module

from django.contrib import admin
from django.urls import include, path

from eyelevel.api import API_DOMAINS, api
from eyelevel.core import views as core_views

urlpatterns = [
    path("", core_views.landing, name="landing"),
    path("health/", core_views.health, name="health"),
    path("staff/", include("eyelevel.core.urls")),
    path("staff/", include("eyelevel.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

for _domain in API_DOMAINS:  # every domain with an API also has pages
    _urls = import_module(f"eyelevel.{_domain}.urls")
    if _domain == "customers":
        urlpatterns.append(path("staff/customers/", include(_urls.staff_patterns)))
        urlpatterns.append(path("portal/", include(_urls.portal_patterns)))
        continue
    if _urls.staff_patterns[0]:
        urlpatterns.append(path(f"staff/{_domain}/", include(_urls.staff_patterns)))
    if _urls.portal_patterns[0]:
        urlpatterns.append(path(f"portal/{_domain}/", include(_urls.portal_patterns)))
    if _urls.public_patterns[0]:
        urlpatterns.append(path(f"p/{_domain}/", include(_urls.public_patterns)))
