"""The relationship charter: editing, versions, coherence checks and export."""

from eyelevel.core.models import Organisation
from eyelevel.core.tenancy import get_scoped
from eyelevel.relationships.models import Touchpoint
from eyelevel.relationships.schemas import TouchpointOut


def _touchpoint_out(touchpoint: Touchpoint) -> TouchpointOut:
    return TouchpointOut(
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


def list_touchpoints(*, organisation: Organisation | int) -> list[TouchpointOut]:
    """The organisation's touchpoints in journey order."""
    touchpoints = (
        Touchpoint.objects.for_organisation(organisation)
        .select_related("stage")
        .prefetch_related("values", "segments")
    )
    return [_touchpoint_out(t) for t in touchpoints]


def get_touchpoint(*, organisation: Organisation | int, touchpoint_id: int) -> TouchpointOut:
    """One touchpoint of the organisation, or NotFound."""
    touchpoint = get_scoped(Touchpoint, organisation=organisation, pk=touchpoint_id)
    return _touchpoint_out(touchpoint)
