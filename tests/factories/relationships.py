import factory
from factory.django import DjangoModelFactory

from eyelevel.relationships.models import (
    CharterChange,
    CharterVersion,
    Dimension,
    Expectation,
    JourneyStage,
    RelationshipType,
    Segment,
    Touchpoint,
    Value,
)
from tests.factories import registers
from tests.factories.core import OrganisationFactory


@registers("relationships.Value")
class ValueFactory(DjangoModelFactory):
    class Meta:
        model = Value

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Value {n}")
    description = "We mean it."


@registers("relationships.Segment")
class SegmentFactory(DjangoModelFactory):
    class Meta:
        model = Segment

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Segment {n}")
    needs = "Quick answers"
    relationship_type = RelationshipType.PERSONAL_ASSISTANCE
    relationship_reason = "They want a person."


@registers("relationships.JourneyStage")
class JourneyStageFactory(DjangoModelFactory):
    class Meta:
        model = JourneyStage

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Stage {n}")
    position = factory.Sequence(lambda n: n)


@registers("relationships.Touchpoint")
class TouchpointFactory(DjangoModelFactory):
    class Meta:
        model = Touchpoint

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Touchpoint {n}")
    stage = factory.SubFactory(JourneyStageFactory, organisation=factory.SelfAttribute("..organisation"))
    expected_behaviour = "Greet within a minute."
    communication = "Plain words."
    promise = "We call back the same day."
    channels = factory.LazyFunction(lambda: ["phone", "email"])


@registers("relationships.Expectation")
class ExpectationFactory(DjangoModelFactory):
    class Meta:
        model = Expectation

    organisation = factory.SubFactory(OrganisationFactory)
    touchpoint = factory.SubFactory(TouchpointFactory, organisation=factory.SelfAttribute("..organisation"))
    dimension = Dimension.SPEED
    statement = factory.Sequence(lambda n: f"We answer quickly ({n}).")


@registers("relationships.CharterVersion")
class CharterVersionFactory(DjangoModelFactory):
    class Meta:
        model = CharterVersion

    organisation = factory.SubFactory(OrganisationFactory)
    number = factory.Sequence(lambda n: n + 1)
    reason = "First version"
    snapshot = factory.LazyFunction(lambda: {"values": [], "segments": [], "stages": []})


@registers("relationships.CharterChange")
class CharterChangeFactory(DjangoModelFactory):
    class Meta:
        model = CharterChange

    organisation = factory.SubFactory(OrganisationFactory)
    number = factory.Sequence(lambda n: n + 1)
    changed_by_name = "olivia"
    why = "A first draft"
    summary = factory.LazyFunction(lambda: [{"kind": "value", "title": "Care", "status": "added", "fields": []}])
    snapshot = factory.LazyFunction(lambda: {"values": [], "segments": [], "stages": []})
