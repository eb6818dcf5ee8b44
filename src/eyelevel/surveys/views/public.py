"""The anonymous survey page: competitors' customers and non-customers answer through a link.

Nothing personal is asked or kept: no name, no email, no customer record, no IP address.
"""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from eyelevel.core.errors import InvalidInput
from eyelevel.core.web import render_page
from eyelevel.surveys import services
from eyelevel.surveys.schemas import AnonymousResponseIn
from eyelevel.surveys.views.forms import answers_from_post, question_fields

SCREENING = ("customer", "competitor_customer", "non_customer")


def answer(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("k", "") or request.POST.get("k", "")
    organisation_name, survey = services.get_survey_for_link(token=token)
    errors: list[str] = []
    screening = request.POST.get("screening", "")
    if request.method == "POST":
        answers, errors = answers_from_post(survey, request.POST)
        if screening not in SCREENING:
            errors.insert(0, "screening")
        if not errors:
            try:
                services.submit_anonymous_response(token=token, data=AnonymousResponseIn(
                    screening=screening, language=(get_language() or "en")[:2], answers=answers))
            except InvalidInput as exc:
                errors = [exc.detail]
            else:
                return render_page(request, "surveys/public/thanks.html", {"organisation_name": organisation_name})
    return render_page(request, "surveys/public/answer.html", {
        "survey": survey, "organisation_name": organisation_name, "token": token, "screening": screening,
        "fields": question_fields(survey, request.POST if request.method == "POST" else None),
        "errors": [e for e in errors if e != "screening"], "screening_missing": "screening" in errors,
    }, status=422 if errors else 200)
