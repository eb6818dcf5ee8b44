import pytest

from eyelevel.core.errors import NotFound
from eyelevel.relationships import services
from eyelevel.relationships.schemas import Author
from tests.factories.relationships import JourneyStageFactory, TouchpointFactory, ValueFactory

AUTHOR = Author(user_id=None, name="olivia")

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


def _charter(org):  # type: ignore[no-untyped-def]
    """Two segments, two stages, four touchpoints, two values."""
    from eyelevel.relationships.schemas import ExpectationIn, JourneyStageIn, SegmentIn, TouchpointIn, ValueIn

    care = services.create_value(organisation=org, author=AUTHOR, data=ValueIn(why="Test", name="Care"))
    honesty = services.create_value(organisation=org, author=AUTHOR, data=ValueIn(why="Test", name="Honesty"))
    regulars = services.create_segment(organisation=org, author=AUTHOR, data=SegmentIn(why="Test",
        name="Regulars", needs="Know me", relationship_type="personal_assistance", relationship_reason="Trust"))
    busy = services.create_segment(organisation=org, author=AUTHOR, data=SegmentIn(why="Test", name="Busy", needs="Be quick"))
    buy = services.create_journey_stage(organisation=org, author=AUTHOR, data=JourneyStageIn(why="Test", name="Buy"))
    help_ = services.create_journey_stage(organisation=org, author=AUTHOR, data=JourneyStageIn(why="Test", name="Get help"))
    counter = services.create_touchpoint(organisation=org, author=AUTHOR, data=TouchpointIn(why="Test",
        name="Counter", journey_stage_id=buy.id, channels=["in_person"], value_ids=[care.id]))
    shop = services.create_touchpoint(organisation=org, author=AUTHOR, data=TouchpointIn(why="Test",
        name="Web shop", journey_stage_id=buy.id, channels=["website"], segment_ids=[busy.id]))
    bot = services.create_touchpoint(organisation=org, author=AUTHOR, data=TouchpointIn(why="Test",
        name="Help chat", journey_stage_id=help_.id, channels=["chatbot"], segment_ids=[regulars.id]))
    phone = services.create_touchpoint(organisation=org, author=AUTHOR, data=TouchpointIn(why="Test",
        name="Hotline", journey_stage_id=help_.id, channels=["phone"], value_ids=[care.id]))
    for t in (counter, shop, phone):
        services.add_expectation(organisation=org, author=AUTHOR, touchpoint_id=t.id,
                                 data=ExpectationIn(why="Test", dimension="speed", statement=f"{t.name} within a day"))
    return {"care": care, "honesty": honesty, "regulars": regulars, "busy": busy, "buy": buy,
            "counter": counter, "shop": shop, "bot": bot, "phone": phone}


def test_coherence_checks_find_each_kind_of_gap(org):
    made = _charter(org)
    issues = services.check_coherence(organisation=org)
    kinds = {(i.kind, i.object_id) for i in issues}
    assert ("touchpoint_without_expectation", made["bot"].id) in kinds
    assert ("segment_without_relationship_type", made["busy"].id) in kinds
    assert ("channel_contradicts_relationship", made["bot"].id) in kinds
    assert ("value_not_served", made["honesty"].id) in kinds
    # The web shop serves only the busy segment (no relationship type), so no contradiction there.
    assert ("channel_contradicts_relationship", made["shop"].id) not in kinds
    assert ("value_not_served", made["care"].id) not in kinds
    assert len(issues) == 4


def test_publish_versions_are_immutable_snapshots_with_who_and_why(org, owner):
    from eyelevel.core.errors import Conflict, InvalidInput
    from eyelevel.relationships.models import CharterVersion
    from eyelevel.relationships.schemas import SegmentIn

    made = _charter(org)
    with pytest.raises(InvalidInput) as excinfo:
        services.publish_charter(organisation=org, user_id=owner.pk, user_name="owner", reason="  ")
    assert excinfo.value.field == "reason"
    v1 = services.publish_charter(organisation=org, user_id=owner.pk, user_name="owner", reason="First")
    assert v1.number == 1
    assert not services.has_unpublished_changes(organisation=org)
    with pytest.raises(Conflict):
        services.publish_charter(organisation=org, user_id=owner.pk, user_name="owner", reason="Again")
    services.update_segment(organisation=org, author=AUTHOR, segment_id=made["busy"].id, data=SegmentIn(why="Test",
        name="Busy", needs="Be quick", relationship_type="self_service", relationship_reason="They prefer it"))
    assert services.has_unpublished_changes(organisation=org)
    v2 = services.publish_charter(organisation=org, user_id=owner.pk, user_name="owner", reason="Busy types")
    assert v2.number == 2

    frozen = services.get_version(organisation=org, charter_version_id=v1.id)
    assert [s.relationship_type for s in frozen.charter.segments] == ["personal_assistance", ""]
    stored = CharterVersion.objects.for_organisation(org).get(pk=v1.id)
    stored.reason = "rewritten"
    with pytest.raises(ValueError, match="cannot be changed"):
        stored.save()

    comparison = services.compare_versions(organisation=org, left=1, right=2)
    changed = [i for i in comparison.items if i.status != "unchanged"]
    assert comparison.changed_count == 1
    assert changed[0].title == "Busy"
    field = next(f for f in changed[0].fields if f.changed and f.label == "Relationship type")
    assert (field.before, field.after) == ("", "Self-service")
    assert services.list_versions(organisation=org)[0].reason == "Busy types"


def test_diff_marks_added_and_removed_items(org, owner):
    made = _charter(org)
    services.publish_charter(organisation=org, user_id=owner.pk, user_name="owner", reason="One")
    services.delete_touchpoint(organisation=org, author=AUTHOR, why="No longer needed", touchpoint_id=made["bot"].id)
    from eyelevel.relationships.schemas import ValueIn

    services.create_value(organisation=org, author=AUTHOR, data=ValueIn(why="Test", name="Speed"))
    services.publish_charter(organisation=org, user_id=owner.pk, user_name="owner", reason="Two")
    items = services.compare_versions(organisation=org, left=1, right=2).items
    status = {(i.section, i.title): i.status for i in items}
    assert status[("Touchpoints", "Help chat")] == "removed"
    assert status[("Values", "Speed")] == "added"
    assert status[("Touchpoints", "Counter")] == "unchanged"


def test_bad_input_names_the_field(org):
    from eyelevel.core.errors import InvalidInput
    from eyelevel.relationships.schemas import ExpectationIn, SegmentIn, TouchpointIn

    stage = JourneyStageFactory(organisation=org)
    with pytest.raises(InvalidInput) as excinfo:
        services.create_segment(organisation=org, author=AUTHOR, data=SegmentIn(why="Test", name="X", relationship_type="friendship"))
    assert excinfo.value.field == "relationship_type"
    with pytest.raises(InvalidInput) as excinfo:
        services.create_touchpoint(organisation=org, author=AUTHOR, data=TouchpointIn(why="Test", name="T", journey_stage_id=stage.id,
                                                                         channels=["pigeon"]))
    assert excinfo.value.field == "channels"
    other_stage = JourneyStageFactory()
    with pytest.raises(InvalidInput) as excinfo:
        services.create_touchpoint(organisation=org, author=AUTHOR, data=TouchpointIn(why="Test", name="T", journey_stage_id=other_stage.id))
    assert excinfo.value.field == "journey_stage_id"
    touchpoint = TouchpointFactory(organisation=org)
    with pytest.raises(InvalidInput) as excinfo:
        services.add_expectation(organisation=org, author=AUTHOR, touchpoint_id=touchpoint.pk,
                                 data=ExpectationIn(why="Test", dimension="mood", statement="Nice"))
    assert excinfo.value.field == "dimension"
    from eyelevel.relationships.models import Touchpoint

    assert Touchpoint.objects.for_organisation(org).count() == 1


def test_pending_changes_list_what_the_next_version_changes(org, owner):
    from eyelevel.relationships.schemas import ValueIn

    made = _charter(org)
    # Everything is new before version 1: 2 values, 2 segments, 2 stages, 4 touchpoints, 3 expectations.
    assert len(services.pending_changes(organisation=org)) == 13
    services.publish_charter(organisation=org, user_id=owner.pk, user_name="owner", reason="One")
    assert services.pending_changes(organisation=org) == []
    services.update_value(organisation=org, author=AUTHOR, value_id=made["care"].id, data=ValueIn(why="Test", name="Care", description="Warmth"))
    pending = services.pending_changes(organisation=org)
    assert [(i.status, i.title) for i in pending] == [("changed", "Care")]
