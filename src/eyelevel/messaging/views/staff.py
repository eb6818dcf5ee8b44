"""Staff pages of the outbound gate: the organisation's contact caps."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from eyelevel.core.errors import DomainError
from eyelevel.core.permissions import SETTINGS_MANAGE
from eyelevel.core.web import staff_required
from eyelevel.messaging import services
from eyelevel.messaging.schemas import ContactCapIn


@staff_required(SETTINGS_MANAGE)
def caps(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            data = ContactCapIn(scope=request.POST.get("scope", ""), max_messages=request.POST.get("max_messages", ""),
                                period_days=request.POST.get("period_days", ""))
            services.set_contact_cap(organisation=request.organisation, data=data)
            messages.success(request, _("Contact cap saved."))
        except ValueError:
            messages.error(request, _("Enter a number of messages (0 to 1000) and a period of 1 to 365 days."))
        except DomainError as error:
            messages.error(request, error.detail)
        return redirect("messaging:caps")
    return render(request, "messaging/caps.html", {"caps": services.contact_caps(organisation=request.organisation)})
