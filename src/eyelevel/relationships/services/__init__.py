"""The relationships domain's public functions: the charter, its history and versions, coherence checks."""

from eyelevel.relationships.services.coherence import (
    HUMAN_CHANNELS,
    PERSONAL_TYPES,
    check_charter,
    check_coherence,
)
from eyelevel.relationships.services.editing import (
    add_expectation,
    create_journey_stage,
    create_segment,
    create_touchpoint,
    create_value,
    delete_expectation,
    delete_journey_stage,
    delete_segment,
    delete_touchpoint,
    delete_value,
    update_journey_stage,
    update_segment,
    update_touchpoint,
    update_value,
)
from eyelevel.relationships.services.history import (
    compare_versions,
    diff_charters,
    get_change,
    get_version,
    has_unpublished_changes,
    list_changes,
    list_points,
    list_versions,
    pending_changes,
    publish_charter,
    require_why,
)
from eyelevel.relationships.services.reading import (
    channel_choices,
    channel_label,
    dimension_choices,
    dimension_label,
    get_charter,
    get_expectation,
    get_journey_stage,
    get_segment,
    get_touchpoint,
    get_touchpoint_detail,
    get_value,
    list_expectations,
    list_touchpoints,
    relationship_type_choices,
    relationship_type_label,
    touchpoint_labels,
)

__all__ = [
    "HUMAN_CHANNELS", "PERSONAL_TYPES", "add_expectation", "channel_choices", "channel_label", "check_charter",
    "check_coherence", "compare_versions", "create_journey_stage", "create_segment", "create_touchpoint",
    "create_value", "delete_expectation", "delete_journey_stage", "delete_segment", "delete_touchpoint",
    "delete_value", "diff_charters", "dimension_choices", "dimension_label", "get_change", "get_charter",
    "get_expectation", "get_journey_stage", "get_segment", "get_touchpoint", "get_touchpoint_detail", "get_value",
    "get_version", "has_unpublished_changes", "list_changes", "list_expectations",
    "list_points", "list_touchpoints", "list_versions", "pending_changes", "publish_charter",
    "relationship_type_choices", "relationship_type_label", "require_why", "touchpoint_labels", "update_journey_stage",
    "update_segment", "update_touchpoint", "update_value",
]
