"""Coherence checks: gaps and contradictions that keep a charter from being lived."""

from django.utils.translation import gettext as _

from eyelevel.core.models import Organisation
from eyelevel.relationships.models import Channel, RelationshipType
from eyelevel.relationships.schemas import CharterOut, CoherenceIssue
from eyelevel.relationships.services.reading import channel_label, get_charter, relationship_type_label

# Relationship types that promise a person, and the channels where a customer meets one.
PERSONAL_TYPES = {RelationshipType.PERSONAL_ASSISTANCE, RelationshipType.DEDICATED_ASSISTANCE}
HUMAN_CHANNELS = {Channel.IN_PERSON, Channel.PHONE, Channel.EMAIL, Channel.LIVE_CHAT, Channel.LETTER, Channel.VIDEO}

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
