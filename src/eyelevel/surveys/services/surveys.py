"""Surveys, their questions and anonymous links, and the responses of every audience."""

import secrets

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from eyelevel.core.errors import Conflict, InvalidInput, NotFound
from eyelevel.core.models import Organisation
from eyelevel.core.pagination import page_window
from eyelevel.core.tenancy import get_scoped, organisation_id_of
from eyelevel.customers import services as customers
from eyelevel.feedback import services as feedback
from eyelevel.relationships import services as relationships
from eyelevel.surveys.models import (
    Answer,
    Audience,
    Instrument,
    Question,
    Survey,
    SurveyLink,
    SurveyResponse,
    SurveyStatus,
)
from eyelevel.surveys.schemas import (
    AnonymousResponseIn,
    AnswerIn,
    AnswerOut,
    QuestionIn,
    QuestionOut,
    ResponseIn,
    ResponseOut,
    ResponsePage,
    SurveyIn,
    SurveyLinkOut,
    SurveyOut,
)
from eyelevel.surveys.services import invitations, totals

# (lowest, highest) answer on each instrument's scale; text has none.
SCALES: dict[str, tuple[int, int]] = {
    Instrument.NPS: (0, 10),
    Instrument.CSAT: (1, 5),
    Instrument.CES: (1, 7),
    Instrument.RATING: (1, 5),
    Instrument.SUPERIOR: (0, 1),
}
PAGE_SIZE = 50


def to_score(instrument: str, value: float) -> float:
    """A rating on the common 0–100 scale (the lowest answer is 0, the highest 100)."""
    low, high = SCALES[instrument]
    return (value - low) / (high - low) * 100.0


# ---------------------------------------------------------------- surveys and questions


def _question_out(question: Question, names: dict[int, str]) -> QuestionOut:
    scale = SCALES.get(question.instrument)
    return QuestionOut(
        id=question.pk, position=question.position, touchpoint_id=question.touchpoint_id,
        touchpoint_name=names.get(question.touchpoint_id, "") if question.touchpoint_id else "",
        dimension=question.dimension, instrument=question.instrument, text=question.text,
        required=question.required, scale_min=scale[0] if scale else None, scale_max=scale[1] if scale else None,
    )


def _touchpoint_names(organisation: Organisation | int) -> dict[int, str]:
    # One query for names alone (list_touchpoints also loads stages, values, segments and expectations).
    return {pk: name for pk, (name, _stage) in relationships.touchpoint_labels(organisation=organisation).items()}


def _survey_out(survey: Survey, names: dict[int, str], response_count: int = 0) -> SurveyOut:
    return SurveyOut(
        id=survey.pk, title=survey.title, intro=survey.intro, status=survey.status,
        for_customers=survey.for_customers, for_outsiders=survey.for_outsiders, for_staff=survey.for_staff,
        created_at=survey.created_at, questions=[_question_out(q, names) for q in survey.questions.all()],
        response_count=response_count,
    )


def list_surveys(*, organisation: Organisation | int) -> list[SurveyOut]:
    """The organisation's surveys, newest first, with their response counts."""
    names = _touchpoint_names(organisation)
    surveys = (Survey.objects.for_organisation(organisation).prefetch_related("questions")
               .annotate(response_count=Count("responses")))
    return [_survey_out(s, names, s.response_count) for s in surveys]


def get_survey(*, organisation: Organisation | int, survey_id: int) -> SurveyOut:
    """One survey with its questions, or NotFound."""
    survey = get_scoped(Survey, organisation=organisation, pk=survey_id)
    return _survey_out(survey, _touchpoint_names(organisation), survey.responses.count())


def _check_question(organisation: Organisation | int, data: QuestionIn, prefix: str) -> None:
    if data.dimension not in {c.code for c in relationships.dimension_choices()}:
        raise InvalidInput(_("unknown dimension %(dimension)s") % {"dimension": repr(data.dimension)},
                           field=f"{prefix}dimension")
    if data.touchpoint_id is not None:
        try:
            relationships.get_touchpoint(organisation=organisation, touchpoint_id=data.touchpoint_id)
        except NotFound:
            raise InvalidInput(_("touchpoint %(touchpoint)s does not exist") % {"touchpoint": data.touchpoint_id},
                               field=f"{prefix}touchpoint_id") from None


def _create_question(organisation: Organisation, survey: Survey, data: QuestionIn, position: int) -> Question:
    return Question.objects.create(
        organisation=organisation, survey=survey, position=position, touchpoint_id=data.touchpoint_id,
        dimension=data.dimension, instrument=data.instrument, text=data.text.strip(), required=data.required,
    )


@transaction.atomic
def create_survey(*, organisation: Organisation, data: SurveyIn) -> SurveyOut:
    """Create a survey (a draft) with its questions; every question is checked before anything is saved."""
    for index, question in enumerate(data.questions):
        _check_question(organisation, question, f"questions[{index}].")
    survey = Survey.objects.create(organisation=organisation, title=data.title.strip(), intro=data.intro.strip(),
                                   for_customers=data.for_customers, for_outsiders=data.for_outsiders,
                                   for_staff=data.for_staff)
    for index, question in enumerate(data.questions):
        _create_question(organisation, survey, question, index)
    return get_survey(organisation=organisation, survey_id=survey.pk)


def add_question(*, organisation: Organisation, survey_id: int, data: QuestionIn) -> QuestionOut:
    """Add a question to a survey that has no responses yet."""
    survey = get_scoped(Survey, organisation=organisation, pk=survey_id)
    if survey.responses.exists():
        raise Conflict(_("This survey has responses; its questions can no longer change."))
    _check_question(organisation, data, "")
    position = survey.questions.count()
    return _question_out(_create_question(organisation, survey, data, position), _touchpoint_names(organisation))


def remove_question(*, organisation: Organisation, survey_id: int, question_id: int) -> None:
    """Remove a question from a survey that has no responses yet."""
    survey = get_scoped(Survey, organisation=organisation, pk=survey_id)
    question = get_scoped(Question, organisation=organisation, pk=question_id, survey=survey)
    if survey.responses.exists():
        raise Conflict(_("This survey has responses; its questions can no longer change."))
    question.delete()


def set_survey_status(*, organisation: Organisation, survey_id: int, status: str) -> SurveyOut:
    """Open a survey for answers or close it."""
    survey = get_scoped(Survey, organisation=organisation, pk=survey_id)
    if status not in SurveyStatus.values:
        raise InvalidInput(_("unknown status %(status)s") % {"status": repr(status)}, field="status")
    if status == SurveyStatus.OPEN and not survey.questions.exists():
        raise InvalidInput(_("Add at least one question before opening the survey."), field="status")
    survey.status = status
    survey.save(update_fields=["status"])
    return get_survey(organisation=organisation, survey_id=survey.pk)


# ---------------------------------------------------------------- anonymous links


def _link_out(link: SurveyLink, response_count: int = 0) -> SurveyLinkOut:
    return SurveyLinkOut(id=link.pk, survey_id=link.survey_id, token=link.token, label=link.label,
                         active=link.active, created_at=link.created_at, response_count=response_count)


def create_link(*, organisation: Organisation, survey_id: int, label: str) -> SurveyLinkOut:
    """Create an anonymous link for competitors' customers and non-customers."""
    survey = get_scoped(Survey, organisation=organisation, pk=survey_id)
    if not survey.for_outsiders:
        raise Conflict(_("This survey is not meant for competitors' customers and non-customers."))
    if not label.strip():
        raise InvalidInput(_("Say where the link will be shared."), field="label")
    link = SurveyLink.objects.create(organisation=organisation, survey=survey, token=secrets.token_urlsafe(18),
                                     label=label.strip()[:200])
    return _link_out(link)


def list_links(*, organisation: Organisation | int, survey_id: int) -> list[SurveyLinkOut]:
    """A survey's anonymous links with how many answered through each."""
    survey = get_scoped(Survey, organisation=organisation, pk=survey_id)
    counts = dict(SurveyResponse.objects.for_organisation(organisation).filter(survey=survey, link__isnull=False)
                  .values_list("link_id").annotate(n=Count("id")))
    return [_link_out(link, counts.get(link.pk, 0)) for link in survey.links.all()]


def deactivate_link(*, organisation: Organisation, survey_link_id: int) -> SurveyLinkOut:
    """Stop accepting answers through a link."""
    link = get_scoped(SurveyLink, organisation=organisation, pk=survey_link_id)
    link.active = False
    link.save(update_fields=["active"])
    return _link_out(link)


def _open_link(token: str) -> SurveyLink:
    # A link is found by its token alone (the respondent has no organisation yet): system lookup.
    link = (SurveyLink.objects.unscoped().select_related("survey", "organisation")
            .filter(token=token, active=True).first()) if token else None
    if link is None or link.survey.status != SurveyStatus.OPEN or not link.survey.for_outsiders:
        raise NotFound(_("This survey link is not valid or the survey is closed."))
    return link


def get_survey_for_link(*, token: str) -> tuple[str, SurveyOut]:
    """The organisation's name and the open survey behind an anonymous link, or NotFound."""
    link = _open_link(token)
    return link.organisation.name, get_survey(organisation=link.organisation_id, survey_id=link.survey_id)


# ---------------------------------------------------------------- responses


def _validated_answers(survey: Survey, answers: list[AnswerIn]) -> list[tuple[Question, AnswerIn]]:
    """Pair each answer with its question; every fault is named by its position, and nothing is saved."""
    questions = {q.pk: q for q in survey.questions.all()}
    errors: list[dict] = []
    seen: set[int] = set()
    pairs: list[tuple[Question, AnswerIn]] = []
    for index, answer in enumerate(answers):
        field = f"answers[{index}]"
        question = questions.get(answer.question_id)
        if question is None:
            errors.append({"field": f"{field}.question_id", "message": _("not a question of this survey")})
            continue
        if answer.question_id in seen:
            errors.append({"field": f"{field}.question_id", "message": _("answered twice")})
            continue
        seen.add(answer.question_id)
        if question.instrument == Instrument.TEXT:
            if not answer.text.strip():
                continue
        elif answer.value is None:
            continue
        else:
            low, high = SCALES[question.instrument]
            if not (low <= answer.value <= high) or answer.value != int(answer.value):
                errors.append({"field": f"{field}.value",
                               "message": _("must be a whole number from %(low)s to %(high)s") % {"low": low, "high": high}})
                continue
        pairs.append((question, answer))
    answered = {q.pk for q, _a in pairs}
    for question in questions.values():
        if question.required and question.pk not in answered and question.pk not in seen:
            errors.append({"field": f"question {question.pk}",
                           "message": _("“%(question)s” needs an answer") % {"question": question.text}})
    if not errors and not pairs:
        errors.append({"field": "answers", "message": _("answer at least one question")})
    if errors:
        raise InvalidInput("; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors)
    return pairs


def _save_response(organisation: Organisation | int, survey: Survey, pairs: list[tuple[Question, AnswerIn]], *,
                   audience: str, channel: str, customer_id: int | None = None, staff_user_id: int | None = None,
                   link: SurveyLink | None = None, team: str = "", location: str = "", served_by: str = "",
                   language: str = "en") -> SurveyResponse:
    organisation_id = organisation_id_of(organisation)
    response = SurveyResponse.objects.create(
        organisation_id=organisation_id, survey=survey, audience=audience, channel=channel, customer_id=customer_id,
        staff_user_id=staff_user_id, link=link, team=team.strip()[:120], location=location.strip()[:120],
        served_by=served_by.strip()[:120], language=language,
    )
    texts = [a.text.strip() for q, a in pairs if q.instrument == Instrument.TEXT]
    # Free text is classified by the same models as feedback (language, sentiment, aspects, urgency).
    classified = iter(feedback.classify_texts(organisation=organisation_id, texts=texts) if texts else [])
    rows = []
    for question, answer in pairs:
        row = Answer(
            organisation_id=organisation_id, response=response, question=question, survey=survey, audience=audience,
            touchpoint_ref=question.touchpoint_id, dimension=question.dimension, instrument=question.instrument,
            team=response.team, location=response.location, served_by=response.served_by,
        )
        if question.instrument == Instrument.TEXT:
            result = next(classified)
            row.text = answer.text.strip()
            row.sentiment, row.text_language, row.urgency = result.sentiment, result.language, result.urgency
            row.aspects = [f"{a.label}:{a.polarity}" for a in result.aspects]
        else:
            row.raw_value = float(answer.value)  # type: ignore[arg-type]
            row.score = None if question.instrument == Instrument.SUPERIOR else to_score(question.instrument,
                                                                                          row.raw_value)
        rows.append(row)
    Answer.objects.bulk_create(rows)
    totals.apply_answers(organisation_id, rows, 1)
    return response


def _survey_accepting(organisation: Organisation | int, survey_id: int, **audience: bool) -> Survey:
    """The survey if it is open for answers (Conflict if not); audience narrows which surveys are found at all."""
    survey = get_scoped(Survey, organisation=organisation, pk=survey_id, **audience)
    if survey.status != SurveyStatus.OPEN:
        raise Conflict(_("This survey is not open for answers."))
    return survey


@transaction.atomic
def submit_response(*, organisation: Organisation, survey_id: int, data: ResponseIn, channel: str = "api") -> int:
    """Record a response of a customer (or, from an integrator, of an outside audience); returns its id."""
    survey = _survey_accepting(organisation, survey_id)
    if data.customer_id is not None:
        if data.audience != Audience.CUSTOMER:
            raise InvalidInput(_("only own customers are named"), field="customer_id")
        try:
            customers.get_customer(organisation=organisation, customer_id=data.customer_id)
        except NotFound:
            raise InvalidInput(_("customer %(customer)s does not exist") % {"customer": data.customer_id},
                               field="customer_id") from None
    if data.audience == Audience.CUSTOMER and not survey.for_customers:
        raise Conflict(_("This survey is not meant for customers."))
    if data.audience != Audience.CUSTOMER and not survey.for_outsiders:
        raise Conflict(_("This survey is not meant for competitors' customers and non-customers."))
    pairs = _validated_answers(survey, data.answers)
    return _save_response(organisation, survey, pairs, audience=data.audience, channel=channel,
                          customer_id=data.customer_id, team=data.team, location=data.location,
                          served_by=data.served_by, language=data.language).pk


@transaction.atomic
def submit_anonymous_response(*, token: str, data: AnonymousResponseIn) -> int:
    """Record an answer through an anonymous link: audience from the screening question, nothing personal."""
    link = _open_link(token)
    survey = link.survey
    pairs = _validated_answers(survey, data.answers)
    return _save_response(link.organisation_id, survey, pairs, audience=data.screening, channel="link", link=link,
                          language=data.language).pk


def open_surveys_for_customer(*, organisation: Organisation | int, customer_id: int) -> list[SurveyOut]:
    """Open customer surveys, each marked by whether this customer answered it already."""
    answered = set(SurveyResponse.objects.for_organisation(organisation).filter(customer_id=customer_id)
                   .values_list("survey_id", flat=True))
    names = _touchpoint_names(organisation)
    surveys = Survey.objects.for_organisation(organisation).filter(status=SurveyStatus.OPEN, for_customers=True)
    return [_survey_out(s, names, 1 if s.pk in answered else 0) for s in surveys.prefetch_related("questions")]


def get_survey_for_customer(*, organisation: Organisation | int, customer_id: int, survey_id: int) -> SurveyOut:
    """An open customer survey, or NotFound (a customer never sees staff-only or outsider-only surveys)."""
    survey = get_scoped(Survey, organisation=organisation, pk=survey_id, for_customers=True,
                        status=SurveyStatus.OPEN)
    answered = SurveyResponse.objects.for_organisation(organisation).filter(
        survey=survey, customer_id=customer_id).count()
    return _survey_out(survey, _touchpoint_names(organisation), answered)


@transaction.atomic
def submit_portal_response(*, organisation: Organisation | int, customer_id: int, survey_id: int,
                           answers: list[AnswerIn], location: str = "", language: str = "en") -> int:
    """A logged-in customer's answers (once per survey); returns the response id."""
    survey = _survey_accepting(organisation, survey_id, for_customers=True)
    if SurveyResponse.objects.for_organisation(organisation).filter(survey=survey, customer_id=customer_id).exists():
        raise Conflict(_("You have answered this survey already. Thank you!"))
    pairs = _validated_answers(survey, answers)
    return _save_response(organisation, survey, pairs, audience=Audience.CUSTOMER, channel="portal",
                          customer_id=customer_id, location=location, language=language).pk


@transaction.atomic
def submit_self_assessment(*, organisation: Organisation | int, survey_id: int, staff_user_id: int, team: str,
                           answers: list[AnswerIn]) -> int:
    """A staff member's belief of how customers rate each question; a retake replaces the earlier one."""
    survey = _survey_accepting(organisation, survey_id, for_staff=True)
    pairs = _validated_answers(survey, answers)
    earlier = SurveyResponse.objects.for_organisation(organisation).filter(survey=survey, staff_user_id=staff_user_id,
                                                                           audience=Audience.STAFF)
    totals.remove_responses(survey.organisation_id, list(earlier.values_list("pk", flat=True)))
    earlier.delete()
    return _save_response(organisation, survey, pairs, audience=Audience.STAFF, channel="staff",
                          staff_user_id=staff_user_id, team=team).pk


def has_self_assessed(*, organisation: Organisation | int, survey_id: int, staff_user_id: int) -> bool:
    """Whether the staff member has given their self-assessment for the survey."""
    return SurveyResponse.objects.for_organisation(organisation).filter(
        survey_id=survey_id, staff_user_id=staff_user_id, audience=Audience.STAFF).exists()


def _response_out(response: SurveyResponse) -> ResponseOut:
    answers = [AnswerOut(question_id=a.question_id, question=a.question.text, touchpoint_id=a.touchpoint_ref,
                         dimension=a.dimension, instrument=a.instrument, value=a.raw_value, score=a.score,
                         text=a.text, sentiment=a.sentiment, aspects=list(a.aspects or []))
               for a in response.answers.all()]
    return ResponseOut(id=response.pk, survey_id=response.survey_id, audience=response.audience,
                       channel=response.channel, customer_id=response.customer_id, team=response.team,
                       location=response.location, served_by=response.served_by, submitted_at=response.submitted_at, answers=answers)


def list_responses(*, organisation: Organisation | int, survey_id: int, page: int = 1,
                   audience: str = "") -> ResponsePage:
    """A survey's responses, newest first, a page at a time."""
    survey = get_scoped(Survey, organisation=organisation, pk=survey_id)
    responses = SurveyResponse.objects.for_organisation(organisation).filter(survey=survey)
    if audience:
        responses = responses.filter(audience=audience)
    window = page_window(total=responses.count(), page=page, page_size=PAGE_SIZE)
    chunk = responses.prefetch_related("answers__question")[window.start: window.stop]
    return ResponsePage(items=[_response_out(r) for r in chunk], total=window.total, page=window.page,
                        pages=window.pages)


# ---------------------------------------------------------------- a customer's personal data


def export_customer_answers(organisation_id: int, customer_id: int) -> dict:
    """A customer's survey responses and answers, for their data export."""
    responses = (SurveyResponse.objects.for_organisation(organisation_id).filter(customer_id=customer_id)
                 .select_related("survey").prefetch_related("answers__question"))
    return {"responses": [{
        "survey": r.survey.title, "submitted_at": r.submitted_at.isoformat(), "channel": r.channel,
        "location": r.location,
        "answers": [{"question": a.question.text, "value": a.raw_value, "text": a.text} for a in r.answers.all()],
    } for r in responses], "invitations": invitations.export_customer_invitations(organisation_id, customer_id)}


def erase_customer_answers(organisation_id: int, customer_id: int) -> int:
    """Delete a customer's survey responses, answers and invitations; returns how many responses were deleted."""
    responses = SurveyResponse.objects.for_organisation(organisation_id).filter(customer_id=customer_id)
    ids = list(responses.values_list("pk", flat=True))
    totals.remove_responses(organisation_id, ids)
    count = len(ids)
    responses.delete()
    invitations.erase_customer_invitations(organisation_id, customer_id)
    return count


def survey_of_question(*, organisation: Organisation | int, question_id: int) -> int:
    """The id of the survey a question belongs to, or NotFound."""
    return get_scoped(Question, organisation=organisation, pk=question_id).survey_id


def get_link(*, organisation: Organisation | int, survey_link_id: int) -> SurveyLinkOut:
    """One anonymous link, or NotFound."""
    return _link_out(get_scoped(SurveyLink, organisation=organisation, pk=survey_link_id))


@transaction.atomic
def create_survey_from_charter(*, organisation: Organisation, title: str) -> SurveyOut:
    """A draft survey asking to rate every expectation of the charter (agreement, 1–5), plus the superior question."""
    expectations = relationships.list_expectations(organisation=organisation)
    if not expectations:
        raise InvalidInput(_("The charter has no expectations to rate yet."), field="title")
    questions = [QuestionIn(touchpoint_id=e.touchpoint_id, dimension=e.dimension, instrument=Instrument.RATING,
                            text=e.statement[:300]) for e in expectations]
    questions.append(QuestionIn(dimension="overall", instrument=Instrument.SUPERIOR,
                                text=_("Is the experience we offer better than what others offer?")))
    questions.append(QuestionIn(dimension="overall", instrument=Instrument.TEXT,
                                text=_("What should we change first?")))
    return create_survey(organisation=organisation, data=SurveyIn(title=title.strip() or _("How do we do?"),
                                                                  questions=questions))


def survey_counts(*, organisation_id: int, days: int = 30) -> tuple[int, int]:
    """How many surveys are open, and how many responses came in the last days."""
    from datetime import timedelta

    from django.utils import timezone

    since = timezone.now() - timedelta(days=days)
    open_count = Survey.objects.for_organisation(organisation_id).filter(status=SurveyStatus.OPEN).count()
    responses = SurveyResponse.objects.for_organisation(organisation_id).filter(submitted_at__gte=since).count()
    return open_count, responses


def survey_titles(*, organisation: Organisation | int) -> list[tuple[int, str]]:
    """Each survey's id and title, newest first (for choosing one)."""
    return list(Survey.objects.for_organisation(organisation).values_list("pk", "title"))
