import pytest
from django.core.cache import cache

from eyelevel.surveys import services
from eyelevel.surveys.schemas import QuestionIn, SurveyIn
from tests.factories.relationships import TouchpointFactory


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    """Built gap reports are cached; each test starts without another test's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def touchpoints(org):  # type: ignore[no-untyped-def]
    return TouchpointFactory(organisation=org, name="Counter"), TouchpointFactory(organisation=org, name="Hotline")


@pytest.fixture
def survey(org, touchpoints):  # type: ignore[no-untyped-def]
    """An open survey: a CSAT on the counter's speed, a rating on the hotline's friendliness, superior, free text."""
    counter, hotline = touchpoints
    created = services.create_survey(organisation=org, data=SurveyIn(title="How do we do?", questions=[
        QuestionIn(touchpoint_id=counter.pk, dimension="speed", instrument="csat", text="How fast were we served?"),
        QuestionIn(touchpoint_id=hotline.pk, dimension="friendliness", instrument="rating",
                   text="The hotline was friendly."),
        QuestionIn(dimension="overall", instrument="superior", text="Is our service better than others'?"),
        QuestionIn(dimension="overall", instrument="text", text="What should we change?"),
    ]))
    return services.set_survey_status(organisation=org, survey_id=created.id, status="open")
