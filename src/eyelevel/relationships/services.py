"""The relationship charter: editing, versions, comparison and coherence checks."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from eyelevel.core.errors import Conflict, InvalidInput, NotFound
from eyelevel.core.models import Organisation
from eyelevel.core.tenancy import get_scoped
from eyelevel.relationships.models import (
    Channel,
    CharterVersion,
    Dimension,
    Expectation,
    JourneyStage,
    RelationshipType,
    Segment,
    Touchpoint,
    Value,
)
from eyelevel.relationships.schemas import (
    CharterComparison,
    CharterOut,
    CharterVersionDetail,
    CharterVersionOut,
    Choice,
    CoherenceIssue,
    DiffField,
    DiffItem,
    ExpectationIn,
    ExpectationOut,
    JourneyStageIn,
    JourneyStageOut,
    SegmentIn,
    SegmentOut,
    TouchpointDetail,
    TouchpointIn,
    TouchpointOut,
    ValueIn,
    ValueOut,
)

# Relationship types that promise a person, and the channels where a customer meets one.
PERSONAL_TYPES = {RelationshipType.PERSONAL_ASSISTANCE, RelationshipType.DEDICATED_ASSISTANCE}
HUMAN_CHANNELS = {Channel.IN_PERSON, Channel.PHONE, Channel.EMAIL, Channel.LIVE_CHAT, Channel.LETTER, Channel.VIDEO}


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
        expectations=[_expectation_out(e) for e in touchpoint.expectations.all()],
    )


def _expectation_out(expectation: Expectation) -> ExpectationOut:
    return ExpectationOut(id=expectation.pk, touchpoint_id=expectation.touchpoint_id,
                          dimension=expectation.dimension, statement=expectation.statement)


def list_expectations(*, organisation: Organisation | int) -> list[ExpectationOut]:
    """Every expectation of the charter (what surveys can ask customers to rate)."""
    return [_expectation_out(e) for e in Expectation.objects.for_organisation(organisation)
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


# ---------------------------------------------------------------- editing


def _next_position(model: type, organisation: Organisation, **lookup: object) -> int:
    current = model.objects.for_organisation(organisation).filter(**lookup).aggregate(m=Max("position"))["m"]
    return 0 if current is None else current + 1


def create_value(*, organisation: Organisation, data: ValueIn) -> ValueOut:
    """Add a value to the charter."""
    value = Value.objects.create(organisation=organisation, name=data.name.strip(),
                                 description=data.description.strip(),
                                 position=_next_position(Value, organisation))
    return get_value(organisation=organisation, value_id=value.pk)


def update_value(*, organisation: Organisation, value_id: int, data: ValueIn) -> ValueOut:
    """Change a value's name or description."""
    value = get_scoped(Value, organisation=organisation, pk=value_id)
    value.name, value.description = data.name.strip(), data.description.strip()
    value.save()
    return get_value(organisation=organisation, value_id=value.pk)


def delete_value(*, organisation: Organisation, value_id: int) -> None:
    """Remove a value from the charter (touchpoints stop serving it)."""
    get_scoped(Value, organisation=organisation, pk=value_id).delete()


def _check_relationship_type(code: str) -> str:
    if code and code not in RelationshipType.values:
        raise InvalidInput(f"unknown relationship type {code!r}; choose one of {', '.join(RelationshipType.values)}",
                           field="relationship_type")
    return code


def create_segment(*, organisation: Organisation, data: SegmentIn) -> SegmentOut:
    """Add a segment (a group of needs) with its intended relationship type."""
    segment = Segment.objects.create(
        organisation=organisation, name=data.name.strip(), needs=data.needs.strip(),
        relationship_type=_check_relationship_type(data.relationship_type),
        relationship_reason=data.relationship_reason.strip(), position=_next_position(Segment, organisation),
    )
    return get_segment(organisation=organisation, segment_id=segment.pk)


def update_segment(*, organisation: Organisation, segment_id: int, data: SegmentIn) -> SegmentOut:
    """Change a segment's needs or relationship type and its reason."""
    segment = get_scoped(Segment, organisation=organisation, pk=segment_id)
    segment.name, segment.needs = data.name.strip(), data.needs.strip()
    segment.relationship_type = _check_relationship_type(data.relationship_type)
    segment.relationship_reason = data.relationship_reason.strip()
    segment.save()
    return get_segment(organisation=organisation, segment_id=segment.pk)


def delete_segment(*, organisation: Organisation, segment_id: int) -> None:
    """Remove a segment from the charter."""
    get_scoped(Segment, organisation=organisation, pk=segment_id).delete()


def create_journey_stage(*, organisation: Organisation, data: JourneyStageIn) -> JourneyStageOut:
    """Add a stage to the customer journey (at the end unless a position is given)."""
    position = data.position if data.position is not None else _next_position(JourneyStage, organisation)
    stage = JourneyStage.objects.create(organisation=organisation, name=data.name.strip(), position=position)
    return get_journey_stage(organisation=organisation, journey_stage_id=stage.pk)


def update_journey_stage(*, organisation: Organisation, journey_stage_id: int, data: JourneyStageIn) -> JourneyStageOut:
    """Rename or move a journey stage."""
    stage = get_scoped(JourneyStage, organisation=organisation, pk=journey_stage_id)
    stage.name = data.name.strip()
    if data.position is not None:
        stage.position = data.position
    stage.save()
    return get_journey_stage(organisation=organisation, journey_stage_id=stage.pk)


def delete_journey_stage(*, organisation: Organisation, journey_stage_id: int) -> None:
    """Remove an empty journey stage; a stage with touchpoints is refused."""
    stage = get_scoped(JourneyStage, organisation=organisation, pk=journey_stage_id)
    if stage.touchpoints.exists():
        raise Conflict(_("Move or delete the touchpoints of this stage first."))
    stage.delete()


def _apply_touchpoint(touchpoint: Touchpoint, organisation: Organisation, data: TouchpointIn) -> None:
    try:
        stage = get_scoped(JourneyStage, organisation=organisation, pk=data.journey_stage_id)
    except NotFound:
        raise InvalidInput(f"journey stage {data.journey_stage_id} does not exist", field="journey_stage_id") from None
    unknown = [c for c in data.channels if c not in Channel.values]
    if unknown:
        raise InvalidInput(f"unknown channel {unknown[0]!r}; choose from {', '.join(Channel.values)}",
                           field="channels")
    values = list(Value.objects.for_organisation(organisation).filter(pk__in=data.value_ids))
    if len(values) != len(set(data.value_ids)):
        raise InvalidInput("a value in value_ids does not exist", field="value_ids")
    segments = list(Segment.objects.for_organisation(organisation).filter(pk__in=data.segment_ids))
    if len(segments) != len(set(data.segment_ids)):
        raise InvalidInput("a segment in segment_ids does not exist", field="segment_ids")
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


@transaction.atomic
def create_touchpoint(*, organisation: Organisation, data: TouchpointIn) -> TouchpointDetail:
    """Add a touchpoint to a journey stage, with what should happen there."""
    touchpoint = Touchpoint(organisation=organisation)
    _apply_touchpoint(touchpoint, organisation, data)
    return get_touchpoint_detail(organisation=organisation, touchpoint_id=touchpoint.pk)


@transaction.atomic
def update_touchpoint(*, organisation: Organisation, touchpoint_id: int, data: TouchpointIn) -> TouchpointDetail:
    """Change a touchpoint's behaviour, communication, promise, channels, values or segments."""
    touchpoint = get_scoped(Touchpoint, organisation=organisation, pk=touchpoint_id)
    _apply_touchpoint(touchpoint, organisation, data)
    return get_touchpoint_detail(organisation=organisation, touchpoint_id=touchpoint.pk)


def delete_touchpoint(*, organisation: Organisation, touchpoint_id: int) -> None:
    """Remove a touchpoint and its expectations from the charter."""
    get_scoped(Touchpoint, organisation=organisation, pk=touchpoint_id).delete()


def add_expectation(*, organisation: Organisation, touchpoint_id: int, data: ExpectationIn) -> ExpectationOut:
    """Write down one ratable expectation for a touchpoint."""
    touchpoint = get_scoped(Touchpoint, organisation=organisation, pk=touchpoint_id)
    if data.dimension not in Dimension.values:
        raise InvalidInput(f"unknown dimension {data.dimension!r}; choose from {', '.join(Dimension.values)}",
                           field="dimension")
    expectation = Expectation.objects.create(
        organisation=organisation, touchpoint=touchpoint, dimension=data.dimension,
        statement=data.statement.strip(), position=_next_position(Expectation, organisation, touchpoint=touchpoint),
    )
    return _expectation_out(expectation)


def get_expectation(*, organisation: Organisation | int, expectation_id: int) -> ExpectationOut:
    """One expectation, or NotFound."""
    return _expectation_out(get_scoped(Expectation, organisation=organisation, pk=expectation_id))


def delete_expectation(*, organisation: Organisation, expectation_id: int) -> int:
    """Remove an expectation; returns its touchpoint's id."""
    expectation = get_scoped(Expectation, organisation=organisation, pk=expectation_id)
    touchpoint_id = expectation.touchpoint_id
    expectation.delete()
    return touchpoint_id


# ---------------------------------------------------------------- versions


def _version_out(version: CharterVersion) -> CharterVersionOut:
    return CharterVersionOut(id=version.pk, number=version.number, published_at=version.published_at,
                             published_by_name=version.published_by_name, reason=version.reason)


def list_versions(*, organisation: Organisation | int) -> list[CharterVersionOut]:
    """Every published version, newest first."""
    return [_version_out(v) for v in CharterVersion.objects.for_organisation(organisation).order_by("-number")]


def get_version(*, organisation: Organisation | int, charter_version_id: int) -> CharterVersionDetail:
    """One published version with its frozen charter, or NotFound."""
    version = get_scoped(CharterVersion, organisation=organisation, pk=charter_version_id)
    return CharterVersionDetail(**_version_out(version).model_dump(),
                                charter=CharterOut.model_validate(version.snapshot))


def get_version_by_number(*, organisation: Organisation | int, number: int) -> CharterVersionDetail:
    """A published version by its number, or NotFound."""
    version = get_scoped(CharterVersion, organisation=organisation, number=number)
    return get_version(organisation=organisation, charter_version_id=version.pk)


def has_unpublished_changes(*, organisation: Organisation | int) -> bool:
    """Whether the working charter differs from the latest published version."""
    latest = CharterVersion.objects.for_organisation(organisation).order_by("-number").first()
    current = get_charter(organisation=organisation).model_dump(mode="json")
    return latest is None or latest.snapshot != current


@transaction.atomic
def publish_charter(*, organisation: Organisation, user_id: int | None, user_name: str,
                    reason: str) -> CharterVersionOut:
    """Freeze the working charter as a new version, saying who published it and why."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Say why this version is published."), field="reason")
    # Lock the organisation's versions so two publications cannot take the same number.
    versions = CharterVersion.objects.for_organisation(organisation).select_for_update()
    latest = versions.order_by("-number").first()
    snapshot = get_charter(organisation=organisation).model_dump(mode="json")
    if latest is not None and latest.snapshot == snapshot:
        raise Conflict(_("Nothing changed since version %(number)s.") % {"number": latest.number})
    version = CharterVersion.objects.create(
        organisation=organisation, number=(latest.number + 1) if latest else 1, published_by_id=user_id,
        published_by_name=user_name, reason=reason, snapshot=snapshot,
    )
    return _version_out(version)


def _flatten(charter: CharterOut) -> dict[tuple[str, int], tuple[str, str, list[tuple[str, str]]]]:
    """Each charter item as (section, title, [(field label, text)]), keyed by (kind, id)."""
    value_names = {v.id: v.name for v in charter.values}
    segment_names = {s.id: s.name for s in charter.segments}
    items: dict[tuple[str, int], tuple[str, str, list[tuple[str, str]]]] = {}
    for v in charter.values:
        items[("value", v.id)] = (_("Values"), v.name, [(_("Name"), v.name), (_("Description"), v.description)])
    for s in charter.segments:
        items[("segment", s.id)] = (_("Segments"), s.name, [
            (_("Name"), s.name), (_("Needs"), s.needs),
            (_("Relationship type"), relationship_type_label(s.relationship_type)),
            (_("Why this relationship"), s.relationship_reason),
        ])
    for stage in charter.stages:
        items[("stage", stage.id)] = (_("Journey stages"), stage.name, [(_("Name"), stage.name)])
        for t in stage.touchpoints:
            items[("touchpoint", t.id)] = (_("Touchpoints"), t.name, [
                (_("Name"), t.name), (_("Journey stage"), stage.name),
                (_("Expected behaviour"), t.expected_behaviour), (_("Communication"), t.communication),
                (_("Service-design promise"), t.promise),
                (_("Channels"), ", ".join(channel_label(c) for c in t.channels)),
                (_("Values served"), ", ".join(value_names.get(i, "?") for i in t.value_ids)),
                (_("Segments"), ", ".join(segment_names.get(i, "?") for i in t.segment_ids)),
            ])
            for e in t.expectations:
                items[("expectation", e.id)] = (_("Expectations"), f"{t.name}: {e.statement}", [
                    (_("Touchpoint"), t.name), (_("Dimension"), dimension_label(e.dimension)),
                    (_("Statement"), e.statement),
                ])
    return items


def diff_charters(left: CharterOut, right: CharterOut) -> list[DiffItem]:
    """Every item of two charters side by side, marked added, removed, changed or unchanged."""
    before, after = _flatten(left), _flatten(right)
    order = {"value": 0, "segment": 1, "stage": 2, "touchpoint": 3, "expectation": 4}
    keys = sorted(set(before) | set(after), key=lambda k: (order[k[0]], k[1]))
    result = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        section, title = (new or old)[0], (new or old)[1]  # type: ignore[index]
        old_fields = dict(old[2]) if old else {}
        new_fields = dict(new[2]) if new else {}
        labels = [label for label, _text in (new or old)[2]]  # type: ignore[index]
        fields = [DiffField(label=label, before=old_fields.get(label, ""), after=new_fields.get(label, ""),
                            changed=old_fields.get(label, "") != new_fields.get(label, ""))
                  for label in labels]
        if old is None:
            status = "added"
        elif new is None:
            status = "removed"
        else:
            status = "changed" if any(f.changed for f in fields) else "unchanged"
        result.append(DiffItem(section=section, title=title, status=status, fields=fields))
    return result


def pending_changes(*, organisation: Organisation | int, current: CharterOut | None = None) -> list[DiffItem]:
    """What the next publication would change against the latest version (everything, if none yet).

    current: the working charter when the caller has already read it (saves reading it again).
    """
    latest = CharterVersion.objects.for_organisation(organisation).order_by("-number").first()
    before = CharterOut.model_validate(latest.snapshot) if latest else CharterOut(values=[], segments=[], stages=[])
    after = current if current is not None else get_charter(organisation=organisation)
    return [item for item in diff_charters(before, after) if item.status != "unchanged"]


def compare_versions(*, organisation: Organisation | int, left_number: int, right_number: int) -> CharterComparison:
    """Two published versions compared item by item."""
    left = get_version_by_number(organisation=organisation, number=left_number)
    right = get_version_by_number(organisation=organisation, number=right_number)
    items = diff_charters(left.charter, right.charter)
    return CharterComparison(
        left=CharterVersionOut(**left.model_dump(exclude={"charter"})),
        right=CharterVersionOut(**right.model_dump(exclude={"charter"})),
        items=items, changed_count=sum(1 for i in items if i.status != "unchanged"),
    )


# ---------------------------------------------------------------- coherence


def check_charter(charter: CharterOut) -> list[CoherenceIssue]:
    """What makes a charter incoherent: gaps and contradictions a reader would trip over."""
    issues: list[CoherenceIssue] = []
    touchpoints = [t for stage in charter.stages for t in stage.touchpoints]
    for segment in charter.segments:
        if not segment.relationship_type:
            issues.append(CoherenceIssue(
                kind="segment_without_relationship_type", object_kind="segment", object_id=segment.id,
                message=_("Segment “%(name)s” has no relationship type.") % {"name": segment.name}))
    for t in touchpoints:
        if not t.expectations:
            issues.append(CoherenceIssue(
                kind="touchpoint_without_expectation", object_kind="touchpoint", object_id=t.id,
                message=_("Touchpoint “%(name)s” has no expectation that could be rated.") % {"name": t.name}))
        if not t.channels:
            issues.append(CoherenceIssue(
                kind="touchpoint_without_channel", object_kind="touchpoint", object_id=t.id,
                message=_("Touchpoint “%(name)s” has no channel.") % {"name": t.name}))
            continue
        # A touchpoint serves the segments it names, or every segment when it names none.
        served = [s for s in charter.segments if not t.segment_ids or s.id in t.segment_ids]
        if not any(c in HUMAN_CHANNELS for c in t.channels):
            for segment in served:
                if segment.relationship_type in PERSONAL_TYPES:
                    issues.append(CoherenceIssue(
                        kind="channel_contradicts_relationship", object_kind="touchpoint", object_id=t.id,
                        message=_("Touchpoint “%(touchpoint)s” offers only %(channels)s, but segment “%(segment)s” "
                                  "is promised %(type)s: no person can be reached there.") % {
                            "touchpoint": t.name, "channels": ", ".join(channel_label(c) for c in t.channels),
                            "segment": segment.name, "type": relationship_type_label(segment.relationship_type)}))
    served_values = {i for t in touchpoints for i in t.value_ids}
    for value in charter.values:
        if value.id not in served_values:
            issues.append(CoherenceIssue(
                kind="value_not_served", object_kind="value", object_id=value.id,
                message=_("No touchpoint serves the value “%(name)s”.") % {"name": value.name}))
    return issues


def check_coherence(*, organisation: Organisation | int) -> list[CoherenceIssue]:
    """Coherence issues of the working charter."""
    return check_charter(get_charter(organisation=organisation))
