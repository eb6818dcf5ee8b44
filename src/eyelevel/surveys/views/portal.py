"""Portal pages: the organisation's own customers answer its surveys."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from eyelevel.core.errors import Conflict, InvalidInput
from eyelevel.core.web import portal_required, render_page
from eyelevel.surveys import services
from eyelevel.surveys.views.forms import answers_from_post, question_fields


@portal_required
def survey_list(request: HttpRequest) -> HttpResponse:
    portal = request.portal
    return render_page(request, "surveys/portal/list.html", {
        "surveys": services.open_surveys_for_customer(organisation=portal.organisation_id,
                                                      customer_id=portal.customer_id)})


@portal_required
def answer(request: HttpRequest, survey_id: int) -> HttpResponse:
    portal = request.portal
    survey = services.get_survey_for_customer(organisation=portal.organisation_id, customer_id=portal.customer_id,
                                              survey_id=survey_id)
    errors: list[str] = []
    if request.method == "POST" and not survey.response_count:
        answers, errors = answers_from_post(survey, request.POST)
        if not errors:
            try:
                services.submit_portal_response(
                    organisation=portal.organisation_id, customer_id=portal.customer_id, survey_id=survey_id,
                    answers=answers, location=request.POST.get("location", ""),
                    language=(get_language() or "en")[:2])
            except (InvalidInput, Conflict) as exc:
                errors = [exc.detail]
            else:
                messages.success(request, _("Thank you for your answers."))
                return redirect("surveys_portal:list")
    return render_page(request, "surveys/portal/answer.html", {
        "survey": survey, "fields": question_fields(survey, request.POST if request.method == "POST" else None),
        "errors": errors, "answered": bool(survey.response_count),
    }, status=422 if errors else 200)
