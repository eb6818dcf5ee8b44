import factory
from factory.django import DjangoModelFactory

from eyelevel.knowledge.models import (
    Article,
    ArticleFlag,
    ArticleLink,
    ArticleVote,
    QualityReview,
    SelfServiceEvent,
)
from tests.factories import registers
from tests.factories.core import OrganisationFactory
from tests.factories.customers import CustomerFactory
from tests.factories.feedback import FeedbackItemFactory


@registers("knowledge.Article")
class ArticleFactory(DjangoModelFactory):
    """A validated article published to the portal (the state customers can see)."""

    class Meta:
        model = Article

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Article {n}: the oven timer resets")
    issue = "My oven timer goes back to zero when I open the door."
    environment = "Oven model B-200"
    resolution = "Hold the timer button for three seconds to lock it."
    cause = "The door switch resets the timer."
    language = "en"
    visibility = "customers"
    state = "validated"
    published = True


@registers("knowledge.ArticleLink")
class ArticleLinkFactory(DjangoModelFactory):
    class Meta:
        model = ArticleLink

    organisation = factory.SubFactory(OrganisationFactory)
    article = factory.SubFactory(ArticleFactory, organisation=factory.SelfAttribute("..organisation"))
    feedback_item = factory.SubFactory(FeedbackItemFactory, organisation=factory.SelfAttribute("..organisation"))
    kind = "created"


@registers("knowledge.ArticleFlag")
class ArticleFlagFactory(DjangoModelFactory):
    class Meta:
        model = ArticleFlag

    organisation = factory.SubFactory(OrganisationFactory)
    article = factory.SubFactory(ArticleFactory, organisation=factory.SelfAttribute("..organisation"))
    comment = "The resolution misses the model B-300."


@registers("knowledge.QualityReview")
class QualityReviewFactory(DjangoModelFactory):
    class Meta:
        model = QualityReview

    organisation = factory.SubFactory(OrganisationFactory)
    article = factory.SubFactory(ArticleFactory, organisation=factory.SelfAttribute("..organisation"))
    checks = factory.LazyFunction(lambda: {"customer_words": True, "complete": False})
    score = 0.5


@registers("knowledge.ArticleVote")
class ArticleVoteFactory(DjangoModelFactory):
    class Meta:
        model = ArticleVote

    organisation = factory.SubFactory(OrganisationFactory)
    article = factory.SubFactory(ArticleFactory, organisation=factory.SelfAttribute("..organisation"))
    customer = factory.SubFactory(CustomerFactory, organisation=factory.SelfAttribute("..organisation"))
    helped = True


@registers("knowledge.SelfServiceEvent")
class SelfServiceEventFactory(DjangoModelFactory):
    class Meta:
        model = SelfServiceEvent

    organisation = factory.SubFactory(OrganisationFactory)
    customer = factory.SubFactory(CustomerFactory, organisation=factory.SelfAttribute("..organisation"))
    kind = "suggested"
    query = "oven timer"
