from django.urls import path

from eyelevel.relationships.views import staff

staff_patterns = (
    [
        path("", staff.charter, name="charter"),
        path("values/new/", staff.value_create, name="value_create"),
        path("values/<int:value_id>/", staff.value_edit, name="value_edit"),
        path("values/<int:value_id>/delete/", staff.value_delete, name="value_delete"),
        path("segments/new/", staff.segment_create, name="segment_create"),
        path("segments/<int:segment_id>/", staff.segment_edit, name="segment_edit"),
        path("segments/<int:segment_id>/delete/", staff.segment_delete, name="segment_delete"),
        path("stages/new/", staff.stage_create, name="stage_create"),
        path("stages/<int:journey_stage_id>/", staff.stage_edit, name="stage_edit"),
        path("stages/<int:journey_stage_id>/delete/", staff.stage_delete, name="stage_delete"),
        path("touchpoints/new/", staff.touchpoint_create, name="touchpoint_create"),
        path("touchpoints/<int:touchpoint_id>/", staff.touchpoint_edit, name="touchpoint_edit"),
        path("touchpoints/<int:touchpoint_id>/delete/", staff.touchpoint_delete, name="touchpoint_delete"),
        path("touchpoints/<int:touchpoint_id>/expectations/", staff.expectation_add, name="expectation_add"),
        path("expectations/<int:expectation_id>/delete/", staff.expectation_delete, name="expectation_delete"),
        path("publish/", staff.publish, name="publish"),
        path("versions/", staff.version_list, name="versions"),
        path("versions/<int:charter_version_id>/", staff.version_detail, name="version_detail"),
        path("versions/<int:charter_version_id>/export/", staff.export_version, name="export_version"),
        path("compare/", staff.compare, name="compare"),
        path("export/", staff.export_current, name="export"),
    ],
    "relationships",
)
portal_patterns: tuple[list, str] = ([], "relationships_portal")
public_patterns: tuple[list, str] = ([], "relationships_public")
