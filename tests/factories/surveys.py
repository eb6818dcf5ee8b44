import secrets

import factory
from factory.django import DjangoModelFactory

from eyelevel.surveys.models import (
    Answer,
    InvitationJob,
    Question,
    Survey,
    SurveyInvitation,
    SurveyLink,
    SurveyResponse,
)
from tests.factories import registers
from tests.factories.core import OrganisationFactory
from tests.factories.customers import CustomerFactory


@registers("surveys.Survey")
class SurveyFactory(DjangoModelFactory):
    class Meta:
        model = Survey

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Perception survey {n}")
    intro = "Tell us how we do."
    status = "open"


@registers("surveys.Question")
class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    organisation = factory.SubFactory(OrganisationFactory)
    survey = factory.SubFactory(SurveyFactory, organisation=factory.SelfAttribute("..organisation"))
    position = factory.Sequence(lambda n: n)
    dimension = "speed"
    instrument = "csat"
    text = factory.Sequence(lambda n: f"How fast were we? ({n})")


@registers("surveys.SurveyLink")
class SurveyLinkFactory(DjangoModelFactory):
    class Meta:
        model = SurveyLink

    organisation = factory.SubFactory(OrganisationFactory)
    survey = factory.SubFactory(SurveyFactory, organisation=factory.SelfAttribute("..organisation"))
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(18))
    label = "Trade fair flyer"


@registers("surveys.SurveyResponse")
class SurveyResponseFactory(DjangoModelFactory):
    """A response; pass customer= for an own customer's answers (the erasure scan does)."""

    class Meta:
        model = SurveyResponse

    organisation = factory.SubFactory(OrganisationFactory)
    survey = factory.SubFactory(SurveyFactory, organisation=factory.SelfAttribute("..organisation"))
    audience = factory.LazyAttribute(lambda o: "customer" if o.customer is not None else "non_customer")
    channel = factory.LazyAttribute(lambda o: "portal" if o.customer is not None else "link")
    customer = None


@registers("surveys.Answer")
class AnswerFactory(DjangoModelFactory):
    class Meta:
        model = Answer

    organisation = factory.SubFactory(OrganisationFactory)
    response = factory.SubFactory(SurveyResponseFactory, organisation=factory.SelfAttribute("..organisation"))
    question = factory.SubFactory(QuestionFactory, organisation=factory.SelfAttribute("..organisation"),
                                  survey=factory.SelfAttribute("..response.survey"))
    survey = factory.SelfAttribute("response.survey")
    audience = factory.SelfAttribute("response.audience")
    dimension = "speed"
    instrument = "csat"
    raw_value = 4.0
    score = 75.0


@registers("surveys.InvitationJob")
class InvitationJobFactory(DjangoModelFactory):
    class Meta:
        model = InvitationJob

    organisation = factory.SubFactory(OrganisationFactory)
    survey = factory.SubFactory(SurveyFactory, organisation=factory.SelfAttribute("..organisation"))
    purpose_code = "surveys"
    sender_name = "Anna"
    portal_url = "https://example.org/portal/surveys/1/"
    status = "done"


@registers("surveys.SurveyInvitation")
class SurveyInvitationFactory(DjangoModelFactory):
    class Meta:
        model = SurveyInvitation

    organisation = factory.SubFactory(OrganisationFactory)
    survey = factory.SubFactory(SurveyFactory, organisation=factory.SelfAttribute("..organisation"))
    customer = factory.SubFactory(CustomerFactory, organisation=factory.SelfAttribute("..organisation"))
    status = "sent"
