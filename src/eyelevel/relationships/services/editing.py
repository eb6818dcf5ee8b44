"""Editing the working charter: every saved edit is recorded as a change with who made it and why."""

from django.db.models import Max
from django.utils.translation import gettext as _

from eyelevel.core.errors import Conflict, InvalidInput, NotFound
from eyelevel.core.models import Organisation
from eyelevel.core.tenancy import get_scoped
from eyelevel.relationships.models import (
    Channel,
    Dimension,
    Expectation,
    JourneyStage,
    RelationshipType,
    Segment,
    Touchpoint,
    Value,
)
from eyelevel.relationships.schemas import (
    Author,
    ExpectationIn,
    ExpectationOut,
    JourneyStageIn,
    JourneyStageOut,
    SegmentIn,
    SegmentOut,
    TouchpointDetail,
    TouchpointIn,
    ValueIn,
    ValueOut,
)
from eyelevel.relationships.services.history import recording_change
from eyelevel.relationships.services.reading import (
    expectation_out,
    get_journey_stage,
    get_segment,
    get_touchpoint_detail,
    get_value,
)


def _next_position(model: type, organisation: Organisation, **lookup: object) -> int:
    current = model.objects.for_organisation(organisation).filter(**lookup).aggregate(m=Max("position"))["m"]
    return 0 if current is None else current + 1


# ---------------------------------------------------------------- values


def create_value(*, organisation: Organisation, data: ValueIn, author: Author) -> ValueOut:
    """Add a value to the charter."""
    with recording_change(organisation=organisation, author=author, why=data.why):
        value = Value.objects.create(organisation=organisation, name=data.name.strip(),
                                     description=data.description.strip(),
                                     position=_next_position(Value, organisation))
    return get_value(organisation=organisation, value_id=value.pk)


def update_value(*, organisation: Organisation, value_id: int, data: ValueIn, author: Author) -> ValueOut:
    """Change a value's name or description."""
    value = get_scoped(Value, organisation=organisation, pk=value_id)
    with recording_change(organisation=organisation, author=author, why=data.why):
        value.name, value.description = data.name.strip(), data.description.strip()
        value.save()
    return get_value(organisation=organisation, value_id=value.pk)


def delete_value(*, organisation: Organisation, value_id: int, author: Author, why: str) -> None:
    """Remove a value from the charter (touchpoints stop serving it)."""
    value = get_scoped(Value, organisation=organisation, pk=value_id)
    with recording_change(organisation=organisation, author=author, why=why):
        value.delete()


# ---------------------------------------------------------------- segments


def _check_relationship_type(code: str) -> str:
    if code and code not in RelationshipType.values:
        raise InvalidInput(_("unknown relationship type %(code)s; choose one of %(choices)s") % {
            "code": repr(code), "choices": ", ".join(RelationshipType.values)}, field="relationship_type")
    return code


def create_segment(*, organisation: Organisation, data: SegmentIn, author: Author) -> SegmentOut:
    """Add a segment (a group of needs) with its intended relationship type."""
    with recording_change(organisation=organisation, author=author, why=data.why):
        segment = Segment.objects.create(
            organisation=organisation, name=data.name.strip(), needs=data.needs.strip(),
            relationship_type=_check_relationship_type(data.relationship_type),
            relationship_reason=data.relationship_reason.strip(), position=_next_position(Segment, organisation),
        )
    return get_segment(organisation=organisation, segment_id=segment.pk)


def update_segment(*, organisation: Organisation, segment_id: int, data: SegmentIn, author: Author) -> SegmentOut:
    """Change a segment's needs or relationship type and its reason."""
    segment = get_scoped(Segment, organisation=organisation, pk=segment_id)
    with recording_change(organisation=organisation, author=author, why=data.why):
        segment.name, segment.needs = data.name.strip(), data.needs.strip()
        segment.relationship_type = _check_relationship_type(data.relationship_type)
        segment.relationship_reason = data.relationship_reason.strip()
        segment.save()
    return get_segment(organisation=organisation, segment_id=segment.pk)


def delete_segment(*, organisation: Organisation, segment_id: int, author: Author, why: str) -> None:
    """Remove a segment from the charter."""
    segment = get_scoped(Segment, organisation=organisation, pk=segment_id)
    with recording_change(organisation=organisation, author=author, why=why):
        segment.delete()


# ---------------------------------------------------------------- journey stages


def create_journey_stage(*, organisation: Organisation, data: JourneyStageIn, author: Author) -> JourneyStageOut:
    """Add a stage to the customer journey (at the end unless a position is given)."""
    with recording_change(organisation=organisation, author=author, why=data.why):
        position = data.position if data.position is not None else _next_position(JourneyStage, organisation)
        stage = JourneyStage.objects.create(organisation=organisation, name=data.name.strip(), position=position)
    return get_journey_stage(organisation=organisation, journey_stage_id=stage.pk)


def update_journey_stage(*, organisation: Organisation, journey_stage_id: int, data: JourneyStageIn,
                         author: Author) -> JourneyStageOut:
    """Rename or move a journey stage."""
    stage = get_scoped(JourneyStage, organisation=organisation, pk=journey_stage_id)
    with recording_change(organisation=organisation, author=author, why=data.why):
        stage.name = data.name.strip()
        if data.position is not None:
            stage.position = data.position
        stage.save()
    return get_journey_stage(organisation=organisation, journey_stage_id=stage.pk)


def delete_journey_stage(*, organisation: Organisation, journey_stage_id: int, author: Author, why: str) -> None:
    """Remove an empty journey stage; a stage with touchpoints is refused."""
    stage = get_scoped(JourneyStage, organisation=organisation, pk=journey_stage_id)
    with recording_change(organisation=organisation, author=author, why=why):
        if stage.touchpoints.exists():
            raise Conflict(_("Move or delete the touchpoints of this stage first."))
        stage.delete()


# ---------------------------------------------------------------- touchpoints and expectations


def _apply_touchpoint(touchpoint: Touchpoint, organisation: Organisation, data: TouchpointIn) -> None:
    try:
        stage = get_scoped(JourneyStage, organisation=organisation, pk=data.journey_stage_id)
    except NotFound:
        raise InvalidInput(_("journey stage %(stage)s does not exist") % {"stage": data.journey_stage_id},
                           field="journey_stage_id") from None
    unknown = [c for c in data.channels if c not in Channel.values]
    if unknown:
        raise InvalidInput(_("unknown channel %(channel)s; choose from %(choices)s") % {
            "channel": repr(unknown[0]), "choices": ", ".join(Channel.values)}, field="channels")
    values = list(Value.objects.for_organisation(organisation).filter(pk__in=data.value_ids))
    if len(values) != len(set(data.value_ids)):
        raise InvalidInput(_("a value in value_ids does not exist"), field="value_ids")
    segments = list(Segment.objects.for_organisation(organisation).filter(pk__in=data.segment_ids))
    if len(segments) != len(set(data.segment_ids)):
        raise InvalidInput(_("a segment in segment_ids does not exist"), field="segment_ids")
    touchpoint.name = data.name.strip()
    touchpoint.stage = stage
    touchpoint.expected_behaviour = data.expected_behaviour.strip()
    touchpoint.communication = data.communication.strip()
    touchpoint.promise = data.promise.strip()
    touchpoint.channels = list(dict.fromkeys(data.channels))
    if touchpoint.pk is None:
        touchpoint.position = _next_position(Touchpoint, organisation, stage=stage)
    touchpoint.save()
    touchpoint.values.set(values)
    touchpoint.segments.set(segments)


def create_touchpoint(*, organisation: Organisation, data: TouchpointIn, author: Author) -> TouchpointDetail:
    """Add a touchpoint to a journey stage, with what should happen there."""
    touchpoint = Touchpoint(organisation=organisation)
    with recording_change(organisation=organisation, author=author, why=data.why):
        _apply_touchpoint(touchpoint, organisation, data)
    return get_touchpoint_detail(organisation=organisation, touchpoint_id=touchpoint.pk)


def update_touchpoint(*, organisation: Organisation, touchpoint_id: int, data: TouchpointIn,
                      author: Author) -> TouchpointDetail:
    """Change a touchpoint's behaviour, communication, promise, channels, values or segments."""
    touchpoint = get_scoped(Touchpoint, organisation=organisation, pk=touchpoint_id)
    with recording_change(organisation=organisation, author=author, why=data.why):
        _apply_touchpoint(touchpoint, organisation, data)
    return get_touchpoint_detail(organisation=organisation, touchpoint_id=touchpoint.pk)


def delete_touchpoint(*, organisation: Organisation, touchpoint_id: int, author: Author, why: str) -> None:
    """Remove a touchpoint and its expectations from the charter."""
    touchpoint = get_scoped(Touchpoint, organisation=organisation, pk=touchpoint_id)
    with recording_change(organisation=organisation, author=author, why=why):
        touchpoint.delete()


def add_expectation(*, organisation: Organisation, touchpoint_id: int, data: ExpectationIn,
                    author: Author) -> ExpectationOut:
    """Write down one ratable expectation for a touchpoint."""
    touchpoint = get_scoped(Touchpoint, organisation=organisation, pk=touchpoint_id)
    with recording_change(organisation=organisation, author=author, why=data.why):
        if data.dimension not in Dimension.values:
            raise InvalidInput(_("unknown dimension %(dimension)s; choose from %(choices)s") % {
                "dimension": repr(data.dimension), "choices": ", ".join(Dimension.values)}, field="dimension")
        expectation = Expectation.objects.create(
            organisation=organisation, touchpoint=touchpoint, dimension=data.dimension,
            statement=data.statement.strip(),
            position=_next_position(Expectation, organisation, touchpoint=touchpoint),
        )
    return expectation_out(expectation)


def delete_expectation(*, organisation: Organisation, expectation_id: int, author: Author, why: str) -> int:
    """Remove an expectation; returns its touchpoint's id."""
    expectation = get_scoped(Expectation, organisation=organisation, pk=expectation_id)
    touchpoint_id = expectation.touchpoint_id
    with recording_change(organisation=organisation, author=author, why=why):
        expectation.delete()
    return touchpoint_id
