import pytest

from eyelevel.core.errors import NotFound
from eyelevel.relationships import services
from tests.factories.relationships import JourneyStageFactory, TouchpointFactory, ValueFactory

pytestmark = pytest.mark.django_db


def test_list_touchpoints_in_journey_order_and_scoped(org, other_org):
    later = JourneyStageFactory(organisation=org, name="Use", position=2)
    earlier = JourneyStageFactory(organisation=org, name="Buy", position=1)
    value = ValueFactory(organisation=org)
    b = TouchpointFactory(organisation=org, stage=later, name="Help desk")
    a = TouchpointFactory(organisation=org, stage=earlier, name="Checkout")
    b.values.add(value)
    TouchpointFactory(organisation=other_org)

    result = services.list_touchpoints(organisation=org)

    assert [t.name for t in result] == ["Checkout", "Help desk"]
    assert result[0].journey_stage == "Buy"
    assert result[1].value_ids == [value.pk]
    assert services.get_touchpoint(organisation=org, touchpoint_id=a.pk).name == "Checkout"
    with pytest.raises(NotFound):
        services.get_touchpoint(organisation=other_org, touchpoint_id=a.pk)
