"""Reading the working charter: choices and their labels, values, segments, stages, touchpoints, expectations."""

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
    CharterOut,
    Choice,
    ExpectationOut,
    JourneyStageOut,
    SegmentOut,
    TouchpointDetail,
    TouchpointOut,
    ValueOut,
)

# ---------------------------------------------------------------- choices


def relationship_type_choices() -> list[Choice]:
    """The Business Model Canvas relationship types, labelled in the active language."""
    return [Choice(code=code, label=str(label)) for code, label in RelationshipType.choices]


def channel_choices() -> list[Choice]:
    """The channels a touchpoint can use, labelled in the active language."""
    return [Choice(code=code, label=str(label)) for code, label in Channel.choices]


def dimension_choices() -> list[Choice]:
    """The dimensions expectations and survey questions are rated on."""
    return [Choice(code=code, label=str(label)) for code, label in Dimension.choices]


def _label(choices: type, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def relationship_type_label(code: str) -> str:
    """The translated name of a relationship type code."""
    return _label(RelationshipType, code) if code else ""


def channel_label(code: str) -> str:
    """The translated name of a channel code."""
    return _label(Channel, code)


def dimension_label(code: str) -> str:
    """The translated name of a dimension code."""
    return _label(Dimension, code)


# ---------------------------------------------------------------- reading


def _touchpoint_out(touchpoint: Touchpoint) -> TouchpointOut:
    # Built from a saved row (already valid): skip re-validation, list_touchpoints runs on every report.
    return TouchpointOut.model_construct(
        id=touchpoint.pk,
        name=touchpoint.name,
        journey_stage_id=touchpoint.stage_id,
        journey_stage=touchpoint.stage.name,
        position=touchpoint.position,
        expected_behaviour=touchpoint.expected_behaviour,
        communication=touchpoint.communication,
        promise=touchpoint.promise,
        channels=list(touchpoint.channels or []),
        value_ids=sorted(v.pk for v in touchpoint.values.all()),
        segment_ids=sorted(s.pk for s in touchpoint.segments.all()),
    )


def _touchpoints(organisation: Organisation | int):  # type: ignore[no-untyped-def]
    return (
        Touchpoint.objects.for_organisation(organisation)
        .select_related("stage")
        .prefetch_related("values", "segments", "expectations")
    )


def list_touchpoints(*, organisation: Organisation | int) -> list[TouchpointOut]:
    """The organisation's touchpoints in journey order."""
    return [_touchpoint_out(t) for t in _touchpoints(organisation)]


def touchpoint_labels(*, organisation: Organisation | int) -> dict[int, tuple[str, str]]:
    """Each touchpoint's name and journey stage name by id (one query, for reports over many touchpoints)."""
    return {pk: (name, stage) for pk, name, stage in Touchpoint.objects.for_organisation(organisation)
            .values_list("pk", "name", "stage__name")}


def get_touchpoint(*, organisation: Organisation | int, touchpoint_id: int) -> TouchpointOut:
    """One touchpoint of the organisation, or NotFound."""
    touchpoint = get_scoped(Touchpoint, organisation=organisation, pk=touchpoint_id)
    return _touchpoint_out(touchpoint)


def get_touchpoint_detail(*, organisation: Organisation | int, touchpoint_id: int) -> TouchpointDetail:
    """One touchpoint with its expectations, or NotFound."""
    touchpoint = get_scoped(Touchpoint, organisation=organisation, pk=touchpoint_id)
    return _touchpoint_detail(touchpoint)


def _touchpoint_detail(touchpoint: Touchpoint) -> TouchpointDetail:
    return TouchpointDetail(
        **_touchpoint_out(touchpoint).model_dump(),
        expectations=[expectation_out(e) for e in touchpoint.expectations.all()],
    )


def expectation_out(expectation: Expectation) -> ExpectationOut:
    return ExpectationOut(id=expectation.pk, touchpoint_id=expectation.touchpoint_id,
                          dimension=expectation.dimension, statement=expectation.statement)


def list_expectations(*, organisation: Organisation | int) -> list[ExpectationOut]:
    """Every expectation of the charter (what surveys can ask customers to rate)."""
    return [expectation_out(e) for e in Expectation.objects.for_organisation(organisation)
            .order_by("touchpoint_id", "position", "pk")]


def get_charter(*, organisation: Organisation | int) -> CharterOut:
    """The working charter as it is now (the draft that the next publication freezes)."""
    values = [ValueOut(id=v.pk, name=v.name, description=v.description, position=v.position)
              for v in Value.objects.for_organisation(organisation)]
    segments = [SegmentOut(id=s.pk, name=s.name, needs=s.needs, relationship_type=s.relationship_type,
                           relationship_reason=s.relationship_reason, position=s.position)
                for s in Segment.objects.for_organisation(organisation)]
    by_stage: dict[int, list[TouchpointDetail]] = {}
    for touchpoint in _touchpoints(organisation):
        by_stage.setdefault(touchpoint.stage_id, []).append(_touchpoint_detail(touchpoint))
    stages = [JourneyStageOut(id=s.pk, name=s.name, position=s.position, touchpoints=by_stage.get(s.pk, []))
              for s in JourneyStage.objects.for_organisation(organisation)]
    return CharterOut(values=values, segments=segments, stages=stages)


def get_value(*, organisation: Organisation | int, value_id: int) -> ValueOut:
    """One value of the charter, or NotFound."""
    v = get_scoped(Value, organisation=organisation, pk=value_id)
    return ValueOut(id=v.pk, name=v.name, description=v.description, position=v.position)


def get_segment(*, organisation: Organisation | int, segment_id: int) -> SegmentOut:
    """One segment of the charter, or NotFound."""
    s = get_scoped(Segment, organisation=organisation, pk=segment_id)
    return SegmentOut(id=s.pk, name=s.name, needs=s.needs, relationship_type=s.relationship_type,
                      relationship_reason=s.relationship_reason, position=s.position)


def get_journey_stage(*, organisation: Organisation | int, journey_stage_id: int) -> JourneyStageOut:
    """One journey stage (without its touchpoints), or NotFound."""
    s = get_scoped(JourneyStage, organisation=organisation, pk=journey_stage_id)
    return JourneyStageOut(id=s.pk, name=s.name, position=s.position)


def get_expectation(*, organisation: Organisation | int, expectation_id: int) -> ExpectationOut:
    """One expectation, or NotFound."""
    return expectation_out(get_scoped(Expectation, organisation=organisation, pk=expectation_id))
